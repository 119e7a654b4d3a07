package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.function.Function;

/**
 * What every VM of one binary shares: the module instances are built from (stripped of
 * compiled function bodies in AOT mode), the machine factory, and the function names.
 */
public record LoadedModule(WasmModule module, Function<Instance, Machine> machineFactory, FunctionNames names,
		int interpretedFunctions, boolean fromCache, long compileMillis, long retainedBytesEstimate) {

	Function<Instance, Machine> machineFactoryOrInterpreter() {
		return (this.machineFactory != null) ? this.machineFactory : TracingInterpreterMachine::new;
	}

}
