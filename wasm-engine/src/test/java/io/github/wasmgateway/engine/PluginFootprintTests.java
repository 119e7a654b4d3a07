package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.internal.HeapWalker;
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
