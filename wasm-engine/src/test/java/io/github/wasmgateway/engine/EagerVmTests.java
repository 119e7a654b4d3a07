package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.host.HostServices;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;

/**
 * As in Envoy, every worker the host lists has the plugin's VM built, started and
 * configured on its own thread before it serves a stream: {@code proxy_on_vm_start} and
 * ticks run on every worker from the moment a configuration is accepted, a configuration
 * any worker's VM rejects is refused, and a VM that fails is replaced on its worker
 * before the next stream needs it.
 */
class EagerVmTests extends ExerciserTestSupport {

	final TestWorkers workers = new TestWorkers(3);

	@AfterEach
	void stopWorkers() {
		this.workers.close();
	}

	final HostServices services = this.host.servicesBuilder().withWorkers(this.workers).build();

	Exerciser start(ExecutionMode mode, String configuration) {
		return Exerciser.start(engine, mode, this.services, PluginSettings.builder(Exerciser.NAME), configuration);
	}

	long lines(String fragment) {
		return this.host.logger.lines.stream().filter((line) -> line.contains(fragment)).count();
	}

	@BothModes
	void everyWorkerStartsConfiguresAndTicksBeforeItsFirstStream(ExecutionMode mode) throws Exception {
		try (Exerciser exerciser = start(mode, "tick:50")) {
			assertThat(exerciser.plugin.vms()).extracting(VmInfo::thread)
				.containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2");
			assertThat(exerciser.plugin.vms()).extracting(VmInfo::state).containsOnly("READY");
			assertThat(lines("exerciser vm_start")).isEqualTo(3);
			assertThat(lines("exerciser configure")).isEqualTo(3);
			assertThat(this.host.ticks.active()).hasSize(3);

			this.host.ticks.tick();
			this.workers.settle();
			assertThat(lines("INFO tick 1")).isEqualTo(3);

			// a stream finds its worker's VM ready: nothing more is built
			Exerciser.Outcome stats = this.workers.on(1, () -> exerciser.run("stats"));
			assertThat(stats.header("x-result-ticks")).isEqualTo("1");
			assertThat(exerciser.plugin.vms()).hasSize(3);
			assertThat(lines("exerciser vm_start")).isEqualTo(3);
		}
	}

	@BothModes
	void aConfigurationOneWorkerRejectsIsRefused(ExecutionMode mode) throws Exception {
		try (Exerciser exerciser = start(mode, "")) {
			CountDownLatch release = new CountDownLatch(1);
			this.workers.all().get(2).execute(() -> await(release));
			// worker 2 configures last, once the poison is set: only its VM rejects
			CompletableFuture<PluginConfiguration> configured = CompletableFuture.supplyAsync(
					() -> exerciser.plugin.configure("reject-if-shared:poison".getBytes(StandardCharsets.UTF_8)));
			long configures = 3 + 2;
			while (lines("exerciser configure") < configures) {
				this.workers.on(0, () -> null);
				this.workers.on(1, () -> null);
			}
			this.services.sharedData(Exerciser.NAME).set("poison", "1".getBytes(StandardCharsets.UTF_8), 0);
			release.countDown();

			assertThatThrownBy(configured::get).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(PluginLoadException.class)
				.hasMessageContaining("rejected its configuration");
			assertThat(lines("exerciser configure")).isEqualTo(configures + 1);
		}
	}

	@BothModes
	void aVmThatFailsIsReplacedOnItsWorkerBeforeTheNextStream(ExecutionMode mode) throws Exception {
		try (Exerciser exerciser = start(mode, "")) {
			int before = vmOf(exerciser, "worker-0");

			assertThatThrownBy(() -> this.workers.on(0, () -> exerciser.run("trap")))
				.isInstanceOf(PluginCallException.class);
			this.workers.settle();

			// built by a task of its own on worker 0, without a stream asking for it
			assertThat(exerciser.plugin.vms()).hasSize(3);
			assertThat(vmOf(exerciser, "worker-0")).isNotEqualTo(before);
			assertThat(exerciser.plugin.rebuildCount()).isEqualTo(1);
			assertThat(lines("exerciser configure")).isEqualTo(4);

			int replacement = vmOf(exerciser, "worker-0");
			assertThat(this.workers.on(0, () -> exerciser.run("get-log-level")).decision())
				.isEqualTo(Decision.Flow.CONTINUE);
			assertThat(vmOf(exerciser, "worker-0")).isEqualTo(replacement);
			assertThat(lines("exerciser configure")).isEqualTo(4);
		}
	}

	@BothModes
	void aWorkerConfiguringAPluginDoesNotWaitForTheOtherWorkers(ExecutionMode mode) throws Exception {
		try (Exerciser exerciser = start(mode, "")) {
			CountDownLatch release = new CountDownLatch(1);
			this.workers.all().get(1).execute(() -> await(release));
			try {
				// a route refresh on an event loop: it must not wait for a busy loop
				PluginConfiguration configuration = this.workers.on(0,
						() -> exerciser.plugin.configure("second".getBytes(StandardCharsets.UTF_8)));
				assertThat(this.workers.on(0, () -> exerciser.plugin.openStream(configuration, TestExchange.get("/"))))
					.isNotNull();
			}
			finally {
				release.countDown();
			}
			this.workers.settle();
			assertThat(lines("exerciser configure")).isEqualTo(6);
		}
	}

	@BothModes
	void aThreadTheHostDoesNotListGetsItsVmAtItsFirstStream(ExecutionMode mode) {
		try (Exerciser exerciser = start(mode, "")) {
			assertThat(exerciser.run("get-log-level").decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(exerciser.plugin.vms()).extracting(VmInfo::thread)
				.contains(Thread.currentThread().getName())
				.hasSize(4);
		}
	}

	private static int vmOf(Exerciser exerciser, String thread) {
		return exerciser.plugin.vms()
			.stream()
			.filter((vm) -> vm.thread().equals(thread))
			.findFirst()
			.orElseThrow()
			.id();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
