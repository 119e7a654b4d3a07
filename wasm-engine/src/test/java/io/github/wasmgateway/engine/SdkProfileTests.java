package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.AbiProfile.StartFunction;
import io.github.wasmgateway.engine.host.HostServices;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Plugins shaped like each SDK family's output load, start the way that family needs
 * (each fixture traps if its start-up export was not run) and handle a request.
 */
class SdkProfileTests {

	static final RecordingLogger logger = new RecordingLogger();

	static final WasmEngine engine = WasmEngine.builder()
		.withHostServices(HostServices.builder().withLoggers((name) -> logger).build())
		.build();

	@AfterAll
	static void close() {
		engine.close();
	}

	static ListHeaderMap runRequest(String fixture, ExecutionMode mode, String configuration) {
		Plugin plugin = engine.createPlugin(Fixtures.compiled(fixture, mode), PluginSettings.builder(fixture).build());
		try {
			PluginConfiguration config = plugin.configure(configuration.getBytes(StandardCharsets.UTF_8));
			TestExchange exchange = TestExchange.get("/hello");
			HttpStream stream = plugin.openStream(config, exchange);
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
			stream.finish();
			assertThat(stream.deleted()).isTrue();
			return exchange.requestHeaders;
		}
		finally {
			plugin.close();
		}
	}

	@BothModes
	void goProfileRunsInitializeAndOffersWasi(ExecutionMode mode) {
		AbiProfile profile = Fixtures.compiled("go-profile", mode).profile();
		assertThat(profile.abiVersion()).isEqualTo(AbiVersion.V0_2_0);
		assertThat(profile.startFunction()).isEqualTo(StartFunction.INITIALIZE);
		assertThat(profile.allocator()).isEqualTo("proxy_on_memory_allocate");
		assertThat(profile.imports()).contains("wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.random_get",
				"wasi_snapshot_preview1.poll_oneoff");
		assertThat(runRequest("go-profile", mode, "").get("x-fixture")).isEqualTo("go-profile");
		assertThat(logger.contains("go-profile initialized")).isTrue();
	}

	@BothModes
	void tinyGoProfileRunsStartWithWasiUnstable(ExecutionMode mode) {
		AbiProfile profile = Fixtures.compiled("tinygo-profile", mode).profile();
		assertThat(profile.abiVersion()).isEqualTo(AbiVersion.V0_1_0);
		assertThat(profile.startFunction()).isEqualTo(StartFunction.START);
		assertThat(profile.allocator()).isEqualTo("malloc");
		assertThat(profile.imports()).contains("wasi_unstable.fd_write");
		assertThat(runRequest("tinygo-profile", mode, "").get("x-fixture")).isEqualTo("tinygo-profile");
	}

	@BothModes
	void emscriptenProfileGetsItsHelpersAndFixedMemory(ExecutionMode mode) {
		AbiProfile profile = Fixtures.compiled("emscripten-profile", mode).profile();
		assertThat(profile.imports()).contains("env.emscripten_notify_memory_growth", "env.pthread_equal",
				"env.proxy_get_configuration");
		ListHeaderMap headers = runRequest("emscripten-profile", mode, "{\"k\":1}");
		assertThat(headers.get("x-fixture")).isEqualTo("emscripten-profile");
		assertThat(headers.get("x-config")).isEqualTo("{\"k\":1}");
	}

	@BothModes
	void twoParameterHeaderCallbacksAreCalledWithTwoArguments(ExecutionMode mode) {
		assertThat(Fixtures.compiled("abi010-two-param", mode).profile().arity("proxy_on_request_headers"))
			.isEqualTo(2);
		assertThat(runRequest("abi010-two-param", mode, "").get("x-fixture")).isEqualTo("abi010-two-param");
	}

	@BothModes
	void threeParameterCallbacksUnderAbi010AreCalledWithThree(ExecutionMode mode) {
		AbiProfile profile = Fixtures.compiled("abi010-three-param", mode).profile();
		assertThat(profile.abiVersion()).isEqualTo(AbiVersion.V0_1_0);
		assertThat(profile.arity("proxy_on_request_headers")).isEqualTo(3);
		assertThat(runRequest("abi010-three-param", mode, "").get("x-arity")).isEqualTo("3");
	}

	@Test
	void moduleWithoutAbiExportIsRefused() {
		assertThatThrownBy(() -> engine.compile(Fixtures.binary("no-abi"), ExecutionMode.AOT))
			.isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("fixtures/no-abi.wasm")
			.hasMessageContaining("exports no proxy_abi_version_* marker")
			.hasMessageContaining("pre-0.1.0");
	}

	@BothModes
	void moduleWithoutMemoryIsRefusedAtLoad(ExecutionMode mode) {
		assertThatThrownBy(() -> engine.compile(Fixtures.binary("no-memory"), mode))
			.isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("fixtures/no-memory.wasm defines no linear memory")
			.hasMessageContaining("export as \"memory\"");
	}

	@BothModes
	void moduleThatDoesNotExportItsMemoryIsRefusedAtLoad(ExecutionMode mode) {
		assertThatThrownBy(() -> engine.compile(Fixtures.binary("unexported-memory"), mode))
			.isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("fixtures/unexported-memory.wasm does not export its linear memory")
			.hasMessageContaining("exports as \"memory\"");
	}

	@BothModes
	void moduleThatImportsItsMemoryIsRefusedNamingTheImport(ExecutionMode mode) {
		assertThatThrownBy(() -> engine.compile(Fixtures.binary("imported-memory"), mode))
			.isInstanceOf(PluginLoadException.class)
			.hasMessage("fixtures/imported-memory.wasm imports memory env.memory; a proxy-wasm host offers only "
					+ "functions");
	}

	@Test
	void fileThatIsNotWasmIsRefused() {
		PluginBinary text = PluginBinary.of("hello, I am a text file".getBytes(StandardCharsets.UTF_8), "notes.txt");
		assertThatThrownBy(() -> engine.compile(text, ExecutionMode.AOT)).isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("notes.txt is not a WebAssembly binary");
	}

	@Test
	void truncatedWasmIsRefused() {
		byte[] bytes = Fixtures.binary("go-profile").bytes();
		byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
		assertThatThrownBy(() -> engine.compile(PluginBinary.of(truncated, "cut.wasm"), ExecutionMode.AOT))
			.isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("cut.wasm is not a valid WebAssembly module");
	}

}
