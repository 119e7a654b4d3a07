package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.PluginFailure.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two deadlines: start-up calls (start-up export, {@code proxy_on_vm_start},
 * {@code proxy_on_configure}) get a generous one, calls while serving a short one, so a
 * slow start is fine while a loop holds its worker only briefly.
 */
class DeadlineTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	final TestHost host = new TestHost();

	WasmService service(ExecutionMode mode, PluginSettings.Builder settings, String configuration) {
		return engine.startService(Fixtures.compiled("service", mode), settings.build(),
				configuration.getBytes(StandardCharsets.UTF_8), this.host.services());
	}

	@BothModes
	void aStartUpCallHasTheStartDeadlineNotTheCallDeadline(ExecutionMode mode) {
		// proxy_on_configure takes 300 ms: past the call deadline, well within the start
		// one
		try (WasmService slow = service(mode,
				PluginSettings.builder("slow-start")
					.withCallTimeout(Duration.ofMillis(50))
					.withStartTimeout(Duration.ofSeconds(20)),
				"spin=300")) {
			assertThat(slow.plugin().vms()).singleElement()
				.satisfies((vm) -> assertThat(vm.state()).isEqualTo("READY"));
		}
	}

	@BothModes
	void aStartUpCallPastTheStartDeadlineRefusesThePlugin(ExecutionMode mode) {
		assertThatThrownBy(() -> service(mode,
				PluginSettings.builder("too-slow")
					.withCallTimeout(Duration.ofSeconds(20))
					.withStartTimeout(Duration.ofMillis(50)),
				"spin=60000"))
			.isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("deadline of 50 ms");
	}

	@BothModes
	void aLoopWhileServingEndsAtTheCallDeadline(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("infinite-loop", mode),
				PluginSettings.builder("looper").withCallTimeout(Duration.ofMillis(50)).build(),
				this.host.services())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			HttpStream stream = plugin.openStream(configuration, TestExchange.get("/", "x-loop", "1"));
			assertThat(stream.onRequestHeaders(true)).isInstanceOfSatisfying(Decision.Fail.class, (fail) -> {
				assertThat(fail.failure().kind()).isEqualTo(Kind.TIMEOUT);
				assertThat(fail.failure().getMessage()).contains("deadline of 50 ms");
			});
			stream.finish();
		}
	}

	@Test
	void theDefaultCallDeadlineDependsOnTheExecutionMode() {
		PluginSettings defaults = PluginSettings.builder("defaults").build();
		assertThat(defaults.callTimeout(ExecutionMode.AOT)).isEqualTo(Duration.ofMillis(500));
		assertThat(defaults.callTimeout(ExecutionMode.PRECOMPILED)).isEqualTo(Duration.ofMillis(500));
		assertThat(defaults.callTimeout(ExecutionMode.INTERPRETER)).isEqualTo(Duration.ofSeconds(5));
		assertThat(defaults.startTimeout()).isEqualTo(Duration.ofSeconds(30));
		PluginSettings set = PluginSettings.builder("set").withCallTimeout(Duration.ofMillis(80)).build();
		assertThat(set.callTimeout(ExecutionMode.INTERPRETER)).isEqualTo(Duration.ofMillis(80));
	}

}
