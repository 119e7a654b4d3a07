package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.function.Function;

/**
 * What every VM of one binary shares: the module instances are built from (stripped of
 * compiled function bodies in AOT mode), the machine factory, and the function names.
 * {@code compiledClassPrefix} starts the name of every class holding this module's
 * compiled functions (null in interpreter mode); {@code interpretedStacks} holds the
 * interpreter's call stacks of its VMs (interpreter mode), both for a profiler.
 */
public record LoadedModule(WasmModule module, Function<Instance, Machine> machineFactory, FunctionNames names,
		int interpretedFunctions, boolean fromCache, long compileMillis, String compiledClassPrefix,
		InterpretedStacks interpretedStacks) {

	Function<Instance, Machine> machineFactoryOrInterpreter() {
		return (this.machineFactory != null) ? this.machineFactory : this.interpretedStacks::newMachine;
	}

	/**
	 * The Wasm function that a method of a JVM frame runs ({@code name[index]}), or null
	 * when the frame is not this module's compiled code.
	 */
	public String wasmFunctionOf(String className, String methodName) {
		return (this.compiledClassPrefix != null && className.startsWith(this.compiledClassPrefix))
				? this.names.ofCompiledMethod(methodName) : null;
	}

}
