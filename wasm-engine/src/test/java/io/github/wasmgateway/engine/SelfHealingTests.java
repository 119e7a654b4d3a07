package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;

/**
 * VMs are replaced proactively, without a failure: when the plugin asks for it
 * ({@code wasm_need_rebuild}) and when a VM's memory passed the configured threshold; the
 * old VM finishes its stream first.
 */
class SelfHealingTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	@AfterAll
	static void close() {
		engine.close();
	}

	static int servingVm(Plugin plugin, PluginConfiguration configuration, String... headers) {
		HttpStream stream = plugin.openStream(configuration, TestExchange.get("/", headers));
		try {
			assertThat(stream.onRequestHeaders(true)).isNotNull();
			return stream.vmId();
		}
		finally {
			stream.finish();
		}
	}

	@BothModes
	void pluginAskingForARebuildGetsAFreshVmForTheNextRequest(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("exerciser", mode),
				PluginSettings.builder("asks").build())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			int first = servingVm(plugin, configuration);
			assertThat(servingVm(plugin, configuration)).isEqualTo(first);
			assertThat(servingVm(plugin, configuration, "x-op", "set-property:wasm_need_rebuild", "x-value", "true"))
				.isEqualTo(first);
			int next = servingVm(plugin, configuration);
			assertThat(next).isNotEqualTo(first);
			assertThat(plugin.vms()).extracting(VmInfo::id).containsExactly(next);
			assertThat(plugin.failureCount()).isZero();
		}
	}

	@BothModes
	void vmPastTheMemoryThresholdIsReplacedOnceItsStreamEnded(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("exerciser", mode),
				PluginSettings.builder("grows")
					.withRebuildMemoryThresholdBytes(256 * 1024)
					.withCallTimeout(java.time.Duration.ofSeconds(10))
					.build())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			int first = servingVm(plugin, configuration);
			// the host copies a 300 KiB header value into the plugin's memory, which
			// grows past 256 KiB
			servingVm(plugin, configuration, "x-op", "get-header:x-big", "x-big", "a".repeat(300 * 1024));
			assertThat(plugin.vms().get(0).memoryBytes()).isGreaterThan(256 * 1024);
			int next = servingVm(plugin, configuration);
			assertThat(next).isNotEqualTo(first);
			assertThat(plugin.vms()).extracting(VmInfo::id).containsExactly(next);
			assertThat(plugin.failureCount()).isZero();
		}
	}

}
