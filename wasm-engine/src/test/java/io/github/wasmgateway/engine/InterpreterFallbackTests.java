package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
			// the interpreted function is slow in a cold JVM: a deadline a loaded machine
			// cannot miss (the test is about the fallback, not the deadline)
			try (Plugin plugin = engine.createPlugin(compiled,
					PluginSettings.builder("huge").withCallTimeout(Duration.ofSeconds(60)).build())) {
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
