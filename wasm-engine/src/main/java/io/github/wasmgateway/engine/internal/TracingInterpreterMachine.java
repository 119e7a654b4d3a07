package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chicory's interpreter, with access to the frames a trap leaves on its call stack.
 */
final class TracingInterpreterMachine extends InterpreterMachine {

	private static final Pattern FRAME = Pattern.compile("\\[(\\d+)]");

	TracingInterpreterMachine(Instance instance) {
		super(instance);
	}

	/** The function indices left on the call stack, innermost first; then clears it. */
	List<Integer> drainFrames() {
		List<Integer> indices = new ArrayList<>();
		for (StackFrame frame : this.callStack) {
			// StackFrame exposes its function index only through toString: "name[idx]..."
			String text = frame.toString();
			int newline = text.indexOf('\n');
			Matcher matcher = FRAME.matcher((newline >= 0) ? text.substring(0, newline) : text);
			String last = null;
			while (matcher.find()) {
				last = matcher.group(1);
			}
			if (last != null) {
				indices.add(Integer.parseInt(last));
			}
		}
		this.callStack.clear();
		return indices;
	}

}
