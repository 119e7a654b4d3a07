package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.HostServices;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * CPU time per plugin, VM and stream: the thread CPU time of guest calls, so a plugin
 * that computes is charged what it computed and one that waits on a callout is not
 * charged the wait. Calls run on the test's thread (direct workers), so the test can read
 * the same thread clock around them.
 */
class CpuTimeTests extends ExerciserTestSupport {

	static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	/** Every call measured, so one request's figure is exact rather than an estimate. */
	HostServices everyCallMeasured() {
		return this.host.servicesBuilder().withCpuSampling(1).build();
	}

	@BothModes
	void aPluginThatComputesIsChargedTheCpuTimeOfItsCalls(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("cpu-burner", mode),
				PluginSettings.builder("burner").withCallTimeout(Duration.ofSeconds(60)).build(),
				everyCallMeasured())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			TestExchange exchange = TestExchange.get("/", "x-burn", "1");
			HttpStream stream = plugin.openStream(configuration, exchange);
			long threadBefore = threads.getCurrentThreadCpuTime();
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
			long threadSpent = threads.getCurrentThreadCpuTime() - threadBefore;
			stream.finish();

			assertThat(exchange.requestHeaders.get("x-burned")).isEqualTo("1");
			// the burn is nearly all of what the thread did around the call
			assertThat(stream.cpuNanos()).isBetween(threadSpent / 2, threadSpent + stream.cpuNanos());
			assertThat(plugin.vms()).singleElement()
				.satisfies((vm) -> assertThat(vm.cpuNanos()).isGreaterThanOrEqualTo(stream.cpuNanos()));
			assertThat(plugin.cpuNanos()).isGreaterThanOrEqualTo(stream.cpuNanos());
		}
	}

	@BothModes
	void aPluginWaitingOnACalloutIsNotChargedTheWait(ExecutionMode mode) {
		try (Exerciser exerciser = Exerciser.start(engine, mode, everyCallMeasured())) {
			TestExchange exchange = Exerciser.request("http-call");
			HttpStream stream = exerciser.open(exchange);
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
			long beforeWait = exerciser.plugin.cpuNanos();

			// the thread is busy elsewhere for 100 ms of CPU while the callout is out
			long busy = busyFor(100_000_000L);
			this.host.callouts.only().reply(200, "allowed");
			stream.finish();

			assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
			assertThat(stream.cpuNanos()).isPositive().isLessThan(busy);
			assertThat(exerciser.plugin.cpuNanos() - beforeWait).isLessThan(busy);
		}
	}

	@Test
	void noCallIsMeasuredWhenSamplingIsOff() {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("cpu-burner", ExecutionMode.AOT),
				PluginSettings.builder("burner").build(), this.host.servicesBuilder().withCpuSampling(0).build())) {
			HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), TestExchange.get("/", "x-burn", "1"));
			stream.onRequestHeaders(true);
			stream.finish();
			assertThat(stream.cpuNanos()).isZero();
			assertThat(plugin.cpuNanos()).isZero();
		}
	}

	/** Spends at least {@code nanos} of this thread's CPU time; answers how much. */
	private static long busyFor(long nanos) {
		long start = threads.getCurrentThreadCpuTime();
		long spent;
		long sink = 0;
		do {
			for (int i = 0; i < 10_000; i++) {
				sink = sink * 31 + i;
			}
			spent = threads.getCurrentThreadCpuTime() - start;
		}
		while (spent < nanos || sink == 42);
		return spent;
	}

}
