package io.github.wasmgateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.gateway.WasmPluginException;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.gateway.FailurePolicy;
import io.github.wasmgateway.gateway.PluginDefinition;
import io.github.wasmgateway.gateway.PluginLimits;
import io.github.wasmgateway.gateway.PluginLoader;
import io.github.wasmgateway.gateway.ResourcePluginSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The largest binary and the largest configuration a plugin may have
 * (wasm-gateway.max-binary-size, max-configuration-size): beyond them the plugin or the
 * route is refused with a message that says which limit.
 */
class PluginLimitsTests {

	private static final byte[] PLUGIN = SourceTestSupport.fixture("go-profile");

	@TempDir
	Path directory;

	private final WasmEngine engine = WasmEngine.builder().build();

	@AfterEach
	void close() {
		this.engine.close();
	}

	private WasmPluginRegistry registry(PluginLimits limits, String location, byte[] configuration) {
		PluginDefinition definition = new PluginDefinition("demo", location, null, ExecutionMode.INTERPRETER,
				PluginSettings.builder("demo").build(), configuration, FailurePolicy.FAIL_CLOSED);
		PluginLoader loader = new PluginLoader(this.engine, getClass().getClassLoader(),
				List.of(new ResourcePluginSource(new DefaultResourceLoader(), limits.maxBinaryBytes())), limits);
		return new WasmPluginRegistry(loader, List.of(definition));
	}

	@Test
	void binaryLargerThanTheLimitIsRefused() throws Exception {
		Path file = Files.write(this.directory.resolve("demo.wasm"), PLUGIN);
		assertThatExceptionOfType(WasmPluginException.class)
			.isThrownBy(() -> registry(new PluginLimits(PLUGIN.length - 1, 1024), "file:" + file, new byte[0]))
			.withMessageContaining("is larger than the " + (PLUGIN.length - 1) + " bytes allowed")
			.withMessageContaining("wasm-gateway.max-binary-size");
		try (WasmPluginRegistry registry = registry(new PluginLimits(PLUGIN.length, 1024), "file:" + file,
				new byte[0])) {
			assertThat(registry.plugin("demo")).isNotNull();
		}
	}

	@Test
	void configurationLargerThanTheLimitIsRefusedForThePluginAndForARoute() throws Exception {
		Path file = Files.write(this.directory.resolve("demo.wasm"), PLUGIN);
		assertThatExceptionOfType(WasmPluginException.class)
			.isThrownBy(() -> registry(new PluginLimits(1 << 20, 16), "file:" + file, new byte[17]))
			.withMessageContaining("its configuration is 17 bytes, more than the 16 allowed")
			.withMessageContaining("wasm-gateway.max-configuration-size");
		try (WasmPluginRegistry registry = registry(new PluginLimits(1 << 20, 16), "file:" + file, new byte[16])) {
			assertThatExceptionOfType(WasmPluginException.class)
				.isThrownBy(() -> registry.check("demo", "api", new byte[17]))
				.withMessageContaining("api")
				.withMessageContaining("its configuration is 17 bytes, more than the 16 allowed");
		}
	}

}
