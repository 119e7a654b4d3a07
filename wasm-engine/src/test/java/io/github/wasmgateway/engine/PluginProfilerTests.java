package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.HostServices;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;

/**
 * A flame graph's samples: while a plugin burns CPU on three workers, its profile names
 * the hot Wasm functions from the module's name section, outermost first, in compiled and
 * in interpreted code; a plugin that does not run has no samples, even while another
 * plugin's compiled code is sampled.
 */
class PluginProfilerTests extends ExerciserTestSupport {

	static final int WORKERS = 3;

	final TestWorkers workers = new TestWorkers(WORKERS);

	final HostServices services = this.host.servicesBuilder().withWorkers(this.workers).build();

	final AtomicBoolean stop = new AtomicBoolean();

	@AfterEach
	void stopWorkers() {
		this.stop.set(true);
		this.workers.close();
	}

	@BothModes
	void theBurnersProfileNamesItsHotFunctionsAndAnIdlePluginHasNoSamples(ExecutionMode mode) throws Exception {
		try (Plugin burner = engine.createPlugin(Fixtures.compiled("cpu-burner", mode),
				PluginSettings.builder("burner").withCallTimeout(Duration.ofSeconds(120)).build(), this.services);
				Plugin idle = engine.createPlugin(Fixtures.compiled("trap-on-marker", mode),
						PluginSettings.builder("idle").build(), this.services)) {
			PluginConfiguration configuration = burner.configure(new byte[0]);
			idle.configure(new byte[0]);
			for (int i = 0; i < WORKERS; i++) {
				this.workers.all().get(i).execute(() -> burnUntilStopped(burner, configuration));
			}
			try {
				Map<String, Long> stacks = Map.of();
				long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
				// a busy machine may give the burners few samples in one recording:
				// record again until the hot function shows (the deadline only ends a
				// broken profiler)
				while (samplesOf(stacks, "mix_step[") == 0 && System.nanoTime() < deadline) {
					stacks = PluginProfiler.record(burner.compiled(), Duration.ofSeconds(1));
				}
				Map<String, Long> idleStacks = PluginProfiler.record(idle.compiled(), Duration.ofSeconds(1));

				assertThat(samplesOf(stacks, "mix_step[")).isPositive();
				assertThat(stacks.keySet())
					.allSatisfy((stack) -> assertThat(stack).startsWith("proxy_on_request_headers["))
					.anySatisfy((stack) -> assertThat(stack).contains(";burn_cpu[").contains(";mix_step["));
				assertThat(idleStacks).isEmpty();
			}
			finally {
				// the burners stop before their plugin closes under them
				this.stop.set(true);
				this.workers.settle();
			}
		}
	}

	private static long samplesOf(Map<String, Long> stacks, String frame) {
		return stacks.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().contains(frame))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	private void burnUntilStopped(Plugin burner, PluginConfiguration configuration) {
		while (!this.stop.get()) {
			HttpStream stream = burner.openStream(configuration, TestExchange.get("/", "x-burn", "1"));
			stream.onRequestHeaders(true);
			stream.finish();
		}
	}

}
