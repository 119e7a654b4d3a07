package io.github.wasmgateway.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.AbiVersion;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.WasmEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The index names every plugin with a binary and a precompiled class, and each loads in
 * PRECOMPILED mode as the gateway will load {@code builtin:<name>}.
 */
class BuiltinPluginsTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	@AfterAll
	static void close() {
		engine.close();
	}

	@Test
	void indexNamesEveryPlugin() {
		assertThat(BuiltinPlugins.names()).contains("key-auth", "basic-auth", "request-block", "custom-response",
				"bot-detect", "key-rate-limit", "cluster-key-rate-limit");
		for (String name : BuiltinPlugins.names()) {
			assertThat(BuiltinPlugins.className(name)).as(name)
				.startsWith("io.github.wasmgateway.plugins.compiled.")
				.doesNotContain("-");
		}
	}

	@Test
	void everyPluginLoadsPrecompiled() {
		for (String name : BuiltinPlugins.names()) {
			CompiledPlugin compiled = BuiltinPlugins.precompiled(engine, name);
			assertThat(compiled.mode()).as(name).isEqualTo(ExecutionMode.PRECOMPILED);
			assertThat(compiled.profile().abiVersion()).as(name).isEqualTo(AbiVersion.V0_2_1);
			assertThat(compiled.origin()).isEqualTo("builtin:" + name);
			// proxy-wasm functions, and WASI random_get for plugins that use the SDK's
			// randomBytes (oauth's jti)
			assertThat(compiled.profile().imports()).as(name)
				.allMatch((i) -> i.startsWith("env.proxy_") || i.equals("wasi_snapshot_preview1.random_get"));
		}
	}

}
