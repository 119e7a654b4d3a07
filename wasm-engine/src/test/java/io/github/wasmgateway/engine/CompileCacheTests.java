package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AOT compiles each binary once; the classes are kept on disk, keyed by sha256 and
 * Chicory version, so that a restart skips compilation.
 */
class CompileCacheTests {

	@TempDir
	Path cache;

	@Test
	void secondEngineLoadsCompiledClassesFromTheCache() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		try (WasmEngine first = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = first.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isFalse();
		}
		try (Stream<Path> files = Files.list(this.cache)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.containsExactly(binary.sha256() + "-chicory-1.7.5.jar");
		}
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = restarted.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isTrue();
			try (Plugin plugin = restarted.createPlugin(compiled, PluginSettings.builder("cached").build())) {
				PluginConfiguration configuration = plugin.configure(new byte[0]);
				TestExchange exchange = TestExchange.get("/");
				HttpStream stream = plugin.openStream(configuration, exchange);
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
				stream.finish();
				assertThat(exchange.requestHeaders.get("x-fixture")).isEqualTo("go-profile");
			}
		}
	}

	@Test
	void corruptCacheEntryIsRecompiled() throws IOException {
		PluginBinary binary = Fixtures.binary("tinygo-profile");
		Files.write(this.cache.resolve(binary.sha256() + "-chicory-1.7.5.jar"), new byte[] { 1, 2, 3 });
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = engine.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isFalse();
			assertThat(engine.compile(binary, ExecutionMode.AOT).fromCache()).isTrue();
		}
	}

	@Test
	void compiledPluginReportsInterpretedFunctionsAndRetainedHeap() {
		try (WasmEngine engine = WasmEngine.builder().build()) {
			PluginBinary binary = Fixtures.binary("go-profile");
			CompiledPlugin aot = engine.compile(binary, ExecutionMode.AOT);
			CompiledPlugin interpreted = engine.compile(binary, ExecutionMode.INTERPRETER);
			assertThat(aot.interpretedFunctions()).isZero();
			assertThat(interpreted.interpretedFunctions()).isPositive();
			assertThat(aot.retainedBytesEstimate()).isPositive();
		}
	}

}
