package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.host.HostServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A service plugin (Envoy's singleton WasmService): one VM on a thread of its own, a root
 * context only, no route; it ticks, makes callouts and Redis calls and consumes queues.
 */
class WasmServiceTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	final TestHost host = new TestHost();

	final HostServices services = this.host.services();

	WasmService start(ExecutionMode mode, String name, String configuration) {
		return engine.startService(Fixtures.compiled("service", mode), PluginSettings.builder(name).build(),
				configuration.getBytes(StandardCharsets.UTF_8), this.services);
	}

	@BothModes
	void aServiceStartsOnItsOwnThreadAndTicksWithNoRoute(ExecutionMode mode) throws Exception {
		try (WasmService service = start(mode, "ticker", "tick=100")) {
			assertThat(service.plugin().vms()).singleElement().satisfies((vm) -> {
				assertThat(vm.thread()).isEqualTo("wasm-service-ticker");
				assertThat(vm.state()).isEqualTo("READY");
			});
			assertThat(this.host.logger.lines).containsSubsequence("INFO service vm_start",
					"INFO service configure tick=100");
			assertThat(this.host.ticks.active()).singleElement()
				.satisfies((schedule) -> assertThat(schedule.period).isEqualTo(Duration.ofMillis(100)));

			this.host.ticks.tick();
			this.host.logger.await("service tick 1");
			this.host.ticks.tick();
			this.host.logger.await("service tick 2");
		}
		assertThat(this.host.ticks.active()).isEmpty();
	}

	@BothModes
	void aServiceCallsOutFromItsTicks(ExecutionMode mode) throws Exception {
		try (WasmService service = start(mode, "caller", "tick=100;callout=upstream")) {
			this.host.ticks.tick();
			this.host.logger.await("service callout sent status=0");
			TestHost.RecordingCallouts.Call call = this.host.callouts.only();
			assertThat(call.request().headers().get(":path")).isEqualTo("/service/tick/1");
			assertThat(call.request().cluster()).isEqualTo("upstream");

			call.reply(200, "pong");
			this.host.logger.await("service callout status=200 body=pong");
		}
	}

	@BothModes
	void aServiceCallsRedisFromItsTicks(ExecutionMode mode) throws Exception {
		try (WasmService service = start(mode, "cache", "tick=100;redis=redis")) {
			assertThat(this.host.logger.lines).contains("INFO service redis_init status=0");
			this.host.ticks.tick();
			this.host.logger.await("service redis sent status=0");
			this.host.redis.only().reply("+PONG\r\n");
			this.host.logger.await("service redis reply status=0 +PONG");
		}
	}

	@BothModes
	void aServiceConsumesTheQueueARoutePluginOfItsVmIdFeeds(ExecutionMode mode) throws Exception {
		try (WasmService service = start(mode, "consumer", "queue=jobs");
				Exerciser producer = Exerciser.start(engine, mode, this.services,
						PluginSettings.builder("producer").withVmId("consumer"), "")) {
			String queue = producer.run("queue-resolve:jobs", "x-vm-id", "").result();
			assertThat(producer.run("queue-enqueue:" + queue, "x-value", "job-1").status()).isEqualTo(Exerciser.OK);
			this.host.logger.await("service dequeued job-1");
		}
	}

	@BothModes
	void aServiceThatRejectsItsConfigurationDoesNotStart(ExecutionMode mode) {
		assertThatThrownBy(() -> start(mode, "picky", "reject")).isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("rejected its configuration");
	}

}
