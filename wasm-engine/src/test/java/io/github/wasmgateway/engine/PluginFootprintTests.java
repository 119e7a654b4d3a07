package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.internal.HeapWalker;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * The heap and metaspace a loaded plugin retains, measured by walking its own object
 * graph: larger for a larger module, linear memory left out, metaspace only for classes
 * compiled at run time.
 */
class PluginFootprintTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	@AfterAll
	static void close() {
		engine.close();
	}

	static void serve(Plugin plugin, PluginConfiguration configuration, String... headers) {
		HttpStream stream = plugin.openStream(configuration, TestExchange.get("/", headers));
		try {
			assertThat(stream.onRequestHeaders(true)).isNotNull();
		}
		finally {
			stream.finish();
		}
	}

	@BothModes
	void largerModuleRetainsMoreHeap(ExecutionMode mode) {
		try (Plugin small = engine.createPlugin(Fixtures.compiled("go-profile", mode),
				PluginSettings.builder("small").build());
				Plugin large = engine.createPlugin(Fixtures.compiled("exerciser", mode),
						PluginSettings.builder("large").build())) {
			small.configure(new byte[0]);
			large.configure(new byte[0]);
			PluginFootprint.Figures smallFigures = small.footprint().measure();
			PluginFootprint.Figures largeFigures = large.footprint().measure();
			assertThat(smallFigures.retainedHeapBytes()).isPositive();
			assertThat(largeFigures.retainedHeapBytes()).isGreaterThan(smallFigures.retainedHeapBytes());
			// a plugin's heap is its module model and VMs: more than a few bytes, well
			// under a gigabyte
			assertThat(largeFigures.retainedHeapBytes()).isBetween(10_000L, 1L << 30);
			assertThat(largeFigures.heapToBinaryRatio())
				.isEqualTo((double) largeFigures.retainedHeapBytes() / largeFigures.binaryBytes());
			assertThat(large.footprint().latest()).isSameAs(largeFigures);
		}
	}

	@BothModes
	void linearMemoryIsNotCountedInTheRetainedHeap(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("exerciser", mode),
				PluginSettings.builder("grows").build())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			serve(plugin, configuration);
			long memoryBefore = plugin.vms().get(0).memoryBytes();
			long heapBefore = plugin.footprint().measure().retainedHeapBytes();
			// 32 pages of 64 KiB: 2 MiB more linear memory
			plugin.liveVms().get(0).memory().grow(32);
			long grown = plugin.vms().get(0).memoryBytes() - memoryBefore;
			assertThat(grown).isEqualTo(32 * 64 * 1024);
			long heapAfter = plugin.footprint().measure().retainedHeapBytes();
			assertThat(heapAfter - heapBefore).isLessThan(grown / 100);
			serve(plugin, configuration);
		}
	}

	/**
	 * A further VM of a small plugin (the AssemblyScript fixture, the shape of the
	 * built-in plugins) costs its instance and the host's per-VM objects, nothing sized
	 * up front. The bound: about 3 KiB of the host's own per-VM objects (the VM, its
	 * guest calls, context table, callback data, ABI objects, the 256-byte string buffer
	 * and header-name cache), and for Chicory's instance 8 bytes per function (its body
	 * and type arrays) and per data segment (the instance's segment array), 48 per global
	 * (its instance), 96 per export (the export map's node, the callback looked up) and
	 * per import (the host function, its handle, the import arrays); the interpreter adds
	 * its stacks (4 KiB). Measured 4.3 KiB compiled and 7.4 KiB interpreted, 84% and 80%
	 * of the bound; when the host's scratch array was allocated with the VM, a compiled
	 * VM took 1 KiB more, above it.
	 */
	@BothModes
	void aFurtherVmRetainsLittle(ExecutionMode mode) throws Exception {
		CompiledPlugin compiled = Fixtures.compiled("as-plugin", mode);
		WasmModule module = compiled.module().module();
		int functions = module.importSection().count(ExternalType.FUNCTION) + module.functionSection().functionCount();
		long bound = 3 * 1024 + 8L * functions + 8L * module.dataSection().dataSegmentCount()
				+ 48L * module.globalSection().globalCount() + 96L * module.exportSection().exportCount()
				+ 96L * module.importSection().importCount() + ((mode == ExecutionMode.INTERPRETER) ? 4 * 1024 : 0);
		long oneVm = retainedWithVms(compiled, 1);
		long threeVms = retainedWithVms(compiled, 3);
		assertThat((threeVms - oneVm) / 2).isPositive().isLessThan(bound);
	}

	@Test
	void compiledFunctionsShareOneStubBody() {
		CompiledPlugin compiled = Fixtures.compiled("as-plugin", ExecutionMode.AOT);
		FunctionBody[] bodies = compiled.module().module().codeSection().functionBodies();
		Set<FunctionBody> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
		distinct.addAll(Arrays.asList(bodies));
		assertThat(compiled.interpretedFunctions()).isZero();
		assertThat(bodies).hasSizeGreaterThan(1);
		assertThat(distinct).hasSize(1);
		assertThat(bodies[0].instructions()).extracting(Instruction::opcode)
			.containsExactly(OpCode.UNREACHABLE, OpCode.END);
	}

	@BothModes
	void aLargeHeaderDoesNotKeepItsBufferInTheVm(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("exerciser", mode),
				PluginSettings.builder("large-header").build())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			serve(plugin, configuration, "x-op", "shared-get", "x-key", "small");
			long before = plugin.footprint().measure().retainedHeapBytes();
			// read into the host's scratch array as three bytes a character: 3 MiB
			serve(plugin, configuration, "x-op", "shared-get", "x-key", "k".repeat(1 << 20));
			serve(plugin, configuration, "x-op", "shared-get", "x-key", "small");
			long after = plugin.footprint().measure().retainedHeapBytes();
			assertThat(after - before).isLessThan(64 * 1024);
		}
	}

	private static long retainedWithVms(CompiledPlugin compiled, int vms) throws Exception {
		try (TestWorkers workers = new TestWorkers(vms);
				WasmEngine engine = WasmEngine.builder()
					.withHostServices(HostServices.builder().withWorkers(workers).build())
					.build();
				Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder("vms").build())) {
			plugin.configure(new byte[0]);
			assertThat(plugin.vms()).hasSize(vms);
			return plugin.footprint().measure().retainedHeapBytes();
		}
	}

	@Test
	void runtimeCompiledClassesHaveMetaspaceInterpretedNone() {
		try (Plugin compiled = engine.createPlugin(Fixtures.compiled("exerciser", ExecutionMode.AOT),
				PluginSettings.builder("compiled").build());
				Plugin interpreted = engine.createPlugin(Fixtures.compiled("exerciser", ExecutionMode.INTERPRETER),
						PluginSettings.builder("interpreted").build())) {
			compiled.configure(new byte[0]);
			interpreted.configure(new byte[0]);
			assertThat(compiled.footprint().measure().metaspaceBytes()).isPositive();
			assertThat(interpreted.footprint().measure().metaspaceBytes()).isZero();
		}
	}

	@Test
	void walkAgreesWithJolOnAModuleModel() {
		Object module = Fixtures.compiled("exerciser", ExecutionMode.INTERPRETER).module().module();
		long walked = new HeapWalker((object) -> object instanceof Enum || object instanceof Class)
			.retainedBytes(module);
		long jol = GraphLayout.parseInstance(module).totalSize();
		// JOL also counts the enum constants (opcodes) the model points at
		assertThat((double) walked / jol).isBetween(0.8, 1.1);
	}

}
