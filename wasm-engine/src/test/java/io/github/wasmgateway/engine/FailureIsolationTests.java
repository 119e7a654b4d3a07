package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.BAD_ARGUMENT;
import static io.github.wasmgateway.engine.Exerciser.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.PluginFailure.Kind;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.HttpCalloutClient;
import io.github.wasmgateway.engine.host.MetricsSink;
import io.github.wasmgateway.engine.host.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A failure costs only what it must: a VM that fails while serving costs the one call
 * that failed (the next request gets a fresh VM at once, with the default settings); only
 * a VM that cannot be built is retried once per backoff; streams waiting on a VM that
 * fails are answered at once; and a host service that throws answers the guest's call
 * with a status, leaving the VM alive (as Envoy does).
 */
class FailureIsolationTests extends ExerciserTestSupport {

	static final String INTERNAL_FAILURE = "10";

	@BothModes
	void aTrapCostsOnlyItsOwnRequestWithTheDefaultSettings(ExecutionMode mode) {
		// the clock stands still: every request is "within the backoff" of the last trap
		try (Exerciser exerciser = exerciser(mode)) {
			List<Object> outcomes = new ArrayList<>();
			for (int i = 1; i <= 100; i++) {
				if (i % 10 == 5) {
					assertThatThrownBy(() -> exerciser.run("trap")).isInstanceOfSatisfying(PluginCallException.class,
							(ex) -> assertThat(ex.kind()).isEqualTo(Kind.TRAP));
				}
				else {
					outcomes.add(exerciser.run("get-log-level").decision());
				}
			}
			assertThat(outcomes).hasSize(90).containsOnly(Decision.Flow.CONTINUE);
			assertThat(exerciser.plugin.failureCount()).isEqualTo(10);
			assertThat(exerciser.plugin.rebuildCount()).isEqualTo(10);
			assertThat(exerciser.plugin.vms()).hasSize(1).allSatisfy((vm) -> assertThat(vm.state()).isEqualTo("READY"));
		}
	}

	@BothModes
	void aVmThatCannotBeBuiltIsTriedAgainOncePerBackoff(ExecutionMode mode) {
		HostServices services = this.host.services();
		try (Exerciser exerciser = Exerciser.start(engine, mode, services,
				PluginSettings.builder(Exerciser.NAME).withRebuildBackoff(Duration.ofSeconds(1)),
				"reject-if-shared:poison")) {
			assertThat(exerciser.run("shared-set:poison=1").status()).isEqualTo(OK);
			int configuresBefore = configureLines();
			assertThatThrownBy(() -> exerciser.run("trap")).isInstanceOf(PluginCallException.class);

			// the replacement, built right after the trap, refuses its configuration now:
			// the next request gets the failure
			assertThat(configureLines()).isEqualTo(configuresBefore + 1);
			assertThat(exerciser.plugin.buildFailure()).isNotNull();
			assertThatThrownBy(() -> exerciser.run("get-log-level")).isInstanceOfSatisfying(PluginCallException.class,
					(ex) -> {
						assertThat(ex.kind()).isEqualTo(Kind.VM_UNAVAILABLE);
						assertThat(ex.getMessage()).contains("rejected its configuration")
							.contains("next attempt after 1000 ms");
					});

			// within the backoff nothing is tried again: the failure is answered at once
			for (int i = 0; i < 5; i++) {
				assertThatThrownBy(() -> exerciser.run("get-log-level")).isInstanceOf(PluginCallException.class);
			}
			assertThat(configureLines()).isEqualTo(configuresBefore + 1);

			// once the backoff has passed, the next request tries again (and succeeds)
			this.host.clock.nanos += Duration.ofMillis(999).toNanos();
			assertThatThrownBy(() -> exerciser.run("get-log-level")).isInstanceOf(PluginCallException.class);
			services.sharedData(Exerciser.NAME).set("poison", "0".getBytes(StandardCharsets.UTF_8), 0);
			this.host.clock.nanos += Duration.ofMillis(1).toNanos();
			assertThat(exerciser.run("get-log-level").decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(configureLines()).isEqualTo(configuresBefore + 2);
		}
	}

	private int configureLines() {
		return (int) this.host.logger.lines.stream()
			.filter((line) -> line.startsWith("INFO exerciser configure"))
			.count();
	}

	@BothModes
	void streamsWaitingOnAVmThatFailsAreAnsweredAtOnce(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			List<TestExchange> waiting = new ArrayList<>();
			List<HttpStream> streams = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				TestExchange exchange = Exerciser.request("http-call");
				HttpStream stream = exerciser.open(exchange);
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				waiting.add(exchange);
				streams.add(stream);
			}

			assertThatThrownBy(() -> exerciser.run("trap")).isInstanceOf(PluginCallException.class);

			assertThat(waiting).allSatisfy((exchange) -> {
				assertThat(exchange.failures).singleElement()
					.satisfies((failure) -> assertThat(failure.kind()).isEqualTo(Kind.TRAP));
				assertThat(exchange.resumed).isEmpty();
			});
			// a reply for a failed VM goes nowhere; the streams end cleanly
			this.host.callouts.calls.get(0).reply(200, "late");
			streams.forEach(HttpStream::finish);
			assertThat(waiting).allSatisfy((exchange) -> assertThat(exchange.failures).hasSize(1));
			assertThat(exerciser.run("get-log-level").decision()).isEqualTo(Decision.Flow.CONTINUE);
		}
	}

	@BothModes
	void aHostServiceThatThrowsAnswersTheCallAndTheVmLivesOn(ExecutionMode mode) {
		HttpCalloutClient callouts = (request, completion) -> {
			if (request.headers().get(":path").contains(" ")) {
				throw new IllegalArgumentException(
						"Illegal character in path at index 2: " + request.headers().get(":path"));
			}
			throw new IllegalStateException("connection pool shut down");
		};
		RedisClient redis = new RedisClient() {

			@Override
			public boolean init(String plugin, String cluster, String username, String password, Duration timeout) {
				return true;
			}

			@Override
			public boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion) {
				throw new IllegalStateException("redis client closed");
			}

		};
		MetricsSink metrics = new MetricsSink() {

			@Override
			public int define(String plugin, MetricType type, String name) {
				throw new IllegalStateException("meter registry closed");
			}

			@Override
			public boolean increment(int id, long offset) {
				return false;
			}

			@Override
			public boolean record(int id, long value) {
				return false;
			}

			@Override
			public Long get(int id) {
				return null;
			}

		};
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withHttpCallouts(callouts).withRedis(redis).withMetrics(metrics).build())) {
			assertThat(exerciser.run("get-log-level").decision()).isEqualTo(Decision.Flow.CONTINUE);
			int vm = exerciser.plugin.vms().get(0).id();
			assertThat(exerciser.run("http-call", "x-path", "/a b").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("http-call", "x-path", "/ab").status()).isEqualTo(INTERNAL_FAILURE);
			assertThat(exerciser.run("redis-init", "x-cluster", "redis").status()).isEqualTo(OK);
			assertThat(exerciser.run("redis-call", "x-cluster", "redis").status()).isEqualTo(INTERNAL_FAILURE);
			assertThat(exerciser.run("metric-define:counter", "x-name", "requests").status())
				.isEqualTo(INTERNAL_FAILURE);

			assertThat(exerciser.plugin.failureCount()).isZero();
			assertThat(exerciser.plugin.vms()).singleElement().satisfies((info) -> {
				assertThat(info.id()).isEqualTo(vm);
				assertThat(info.state()).isEqualTo("READY");
			});
		}
	}

}
