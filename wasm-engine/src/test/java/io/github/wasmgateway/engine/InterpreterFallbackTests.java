package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A function too large for one JVM method runs in the interpreter inside an AOT-compiled
 * plugin, and the engine reports how many did.
 */
class InterpreterFallbackTests {

	@Test
	void oversizedFunctionFallsBackToTheInterpreterAndIsCounted() {
		try (WasmEngine engine = WasmEngine.builder().build()) {
			CompiledPlugin compiled = engine.compile(Fixtures.binary("huge-function"), ExecutionMode.AOT);
			assertThat(compiled.mode()).isEqualTo(ExecutionMode.AOT);
			assertThat(compiled.interpretedFunctions()).isEqualTo(1);
			try (Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder("huge").build())) {
				PluginConfiguration configuration = plugin.configure(new byte[0]);
				TestExchange exchange = TestExchange.get("/");
				HttpStream stream = plugin.openStream(configuration, exchange);
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
				stream.finish();
				assertThat(exchange.requestHeaders.get("x-huge")).isEqualTo("ok");
			}
		}
	}

}
