package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import io.github.wasmgateway.engine.Fixtures;
import io.github.wasmgateway.engine.PluginBinary;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module from the compile cache defines its machine class up front and each function
 * group when a call first reaches it; until then the group's bytes are part of the
 * plugin's heap, as a walk of it counts them (the walk stops at class loaders, which hold
 * them too). AOT only: the interpreter has no classes.
 */
class CachedClassesTests {

	@TempDir
	Path cacheDirectory;

	@Test
	void functionGroupsAreDefinedWhenFirstCalledAndCountedUntilThen() {
		PluginBinary binary = Fixtures.binary("exerciser");
		CompileCache cache = new CompileCache(this.cacheDirectory);
		// 16 functions per class: the exerciser's 177 functions in a dozen groups
		ModuleCompiler.compile(binary.bytes(), ModuleCompiler.parse(binary.bytes(), "exerciser"), binary.sha256(),
				cache, 16);

		LoadedModule cached = ModuleCompiler.cached(binary.sha256(), cache);

		CachedClasses.Machines machines = (CachedClasses.Machines) cached.machineFactory();
		Set<String> undefinedAtLoad = new HashSet<>(machines.undefined().keySet());
		assertThat(undefinedAtLoad).filteredOn((name) -> name.contains("FuncGroup_")).hasSizeGreaterThan(10);
		assertThat(undefinedAtLoad).doesNotContain(machines.constructor().getDeclaringClass().getName());
		PluginBoundary boundary = new PluginBoundary(cached.compiledClassPrefix());
		HeapWalker walker = new HeapWalker(boundary);
		long retainedAtLoad = walker.retainedBytes(cached);
		long withoutMachines = new HeapWalker(boundary.or((object) -> object == machines)).retainedBytes(cached);
		assertThat(retainedAtLoad - withoutMachines).as("the undefined classes' bytes are counted")
			.isGreaterThanOrEqualTo(undefinedBytes(machines));

		Instance instance = Instance.builder(cached.module())
			.withImportValues(stubImports(cached.module()))
			.withMachineFactory(cached.machineFactory())
			.withStart(false)
			.build();
		long pointer = instance.export("malloc").apply(64)[0];

		assertThat(pointer).as("a function of a group defined on its first call ran").isPositive();
		assertThat(machines.undefined().keySet()).as("defined on the call")
			.hasSizeLessThan(undefinedAtLoad.size())
			.allMatch(undefinedAtLoad::contains);
		assertThat(machines.undefined().keySet()).as("groups the call did not reach")
			.anyMatch((name) -> name.contains("FuncGroup_"));
		assertThat(walker.retainedBytes(cached)).as("what was defined left the heap for the metaspace")
			.isLessThan(retainedAtLoad);
	}

	private static long undefinedBytes(CachedClasses.Machines machines) {
		return machines.undefined().values().stream().mapToLong((bytes) -> bytes.length).sum();
	}

	/** Every function import (the exerciser imports nothing else) answered with zeros. */
	private static ImportValues stubImports(WasmModule module) {
		return ImportValues.builder()
			.withFunctions(module.importSection().stream().map((item) -> (FunctionImport) item).map((function) -> {
				FunctionType type = module.typeSection().getType(function.typeIndex());
				return (ImportFunction) new HostFunction(function.module(), function.name(), type,
						(instance, arguments) -> new long[type.returns().size()]);
			}).toList())
			.build();
	}

}
