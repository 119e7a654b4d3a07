package io.github.wasmgateway.engine.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a failure inside a guest call into Wasm frames with function names, innermost
 * first. Compiled code leaves {@code func_N} methods on the JVM stack; the interpreter
 * leaves its frames on its own call stack (see {@link TracingInterpreterMachine}).
 */
final class WasmStackTraces {

	private static final int MAX_FRAMES = 64;

	private WasmStackTraces() {
	}

	static List<String> fromJvmStack(Throwable failure, FunctionNames names) {
		List<String> frames = new ArrayList<>();
		for (Throwable t = failure; t != null && frames.isEmpty(); t = t.getCause()) {
			for (StackTraceElement element : t.getStackTrace()) {
				String frame = names.ofCompiledMethod(element.getMethodName());
				if (frame != null && frames.size() < MAX_FRAMES) {
					frames.add(frame);
				}
			}
		}
		return frames;
	}

	static List<String> fromInterpreter(List<Integer> functionIndices, FunctionNames names) {
		List<String> frames = new ArrayList<>();
		for (int index : functionIndices) {
			if (frames.size() < MAX_FRAMES) {
				frames.add(names.describe(index));
			}
		}
		return frames;
	}

}
