package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.runtime.StackFrame;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Chicory's interpreter, noting the function of every frame a failure unwinds through, so
 * a trap in interpreter mode has a Wasm stack trace too (innermost first), and keeping
 * the functions of the frames it runs now, for a profiler's sampler on another thread
 * ({@link InterpretedStacks}).
 */
final class TracingInterpreterMachine extends InterpreterMachine {

	private final List<Integer> unwound = new ArrayList<>();

	private Throwable unwinding;

	/** The functions being run, outermost first; written before {@link #depth}. */
	private int[] active = new int[16];

	/**
	 * How many of {@link #active} are running; volatile so that a sampler that reads it
	 * sees the entries written before it.
	 */
	private volatile int depth;

	TracingInterpreterMachine(Instance instance) {
		super(instance);
	}

	@Override
	protected long[] call(MStack stack, Instance instance, Deque<StackFrame> callStack, int funcId, long[] args,
			FunctionType callType, boolean popResults) {
		int outer = this.depth;
		if (outer == this.active.length) {
			this.active = Arrays.copyOf(this.active, outer * 2);
		}
		this.active[outer] = funcId;
		this.depth = outer + 1;
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
		finally {
			this.depth = outer;
		}
	}

	/** The functions this machine runs now, outermost first (empty between calls). */
	int[] activeFunctions() {
		int running = this.depth;
		int[] functions = this.active;
		return Arrays.copyOf(functions, Math.min(running, functions.length));
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
