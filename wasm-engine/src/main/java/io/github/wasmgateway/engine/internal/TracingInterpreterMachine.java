package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.runtime.StackFrame;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Chicory's interpreter, noting the function of every frame a failure unwinds through, so
 * a trap in interpreter mode has a Wasm stack trace too (innermost first).
 */
final class TracingInterpreterMachine extends InterpreterMachine {

	private final List<Integer> unwound = new ArrayList<>();

	private Throwable unwinding;

	TracingInterpreterMachine(Instance instance) {
		super(instance);
	}

	@Override
	protected long[] call(MStack stack, Instance instance, Deque<StackFrame> callStack, int funcId, long[] args,
			FunctionType callType, boolean popResults) {
		try {
			return super.call(stack, instance, callStack, funcId, args, callType, popResults);
		}
		catch (RuntimeException | StackOverflowError ex) {
			if (this.unwinding != ex) {
				this.unwinding = ex;
				this.unwound.clear();
			}
			if (this.unwound.size() < 64) {
				this.unwound.add(funcId);
			}
			throw ex;
		}
	}

	/**
	 * The functions the last failure unwound through, innermost first; then forgets them.
	 */
	List<Integer> drainFrames() {
		List<Integer> frames = List.copyOf(this.unwound);
		this.unwound.clear();
		this.unwinding = null;
		this.callStack.clear();
		return frames;
	}

}
