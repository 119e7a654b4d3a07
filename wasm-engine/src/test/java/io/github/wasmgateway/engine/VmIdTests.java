package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.NOT_FOUND;
import static io.github.wasmgateway.engine.Exerciser.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.HostServices;

/**
 * The vm_id is the scope of shared data and shared queues, as in Envoy
 * (proxy-wasm-cpp-host keys both by vm_id): two plugins of one vm_id share a key-value
 * store and reach each other's queues; a plugin of another vm_id sees neither, unless it
 * names the vm_id when it resolves a queue.
 */
class VmIdTests extends ExerciserTestSupport {

	final HostServices services = this.host.services();

	Exerciser plugin(ExecutionMode mode, String name, String vmId) {
		return Exerciser.start(engine, mode, this.services, PluginSettings.builder(name).withVmId(vmId), "");
	}

	@BothModes
	void pluginsOfOneVmIdShareTheirData(ExecutionMode mode) {
		try (Exerciser producer = plugin(mode, "producer", "pipeline");
				Exerciser consumer = plugin(mode, "consumer", "pipeline");
				Exerciser stranger = plugin(mode, "stranger", null)) {
			assertThat(producer.run("shared-set:limit=42").status()).isEqualTo(OK);

			Exerciser.Outcome read = consumer.run("shared-get:limit");
			assertThat(read.status()).isEqualTo(OK);
			assertThat(read.result()).isEqualTo("42");
			assertThat(stranger.run("shared-get:limit").status()).isEqualTo(NOT_FOUND);
			assertThat(consumer.run("get-property:plugin_vm_id").result()).isEqualTo("pipeline");
			assertThat(stranger.run("get-property:plugin_vm_id").result()).isEqualTo("stranger");
		}
	}

	@BothModes
	void aProducerReachesTheQueueAConsumerOfItsVmIdRegistered(ExecutionMode mode) {
		try (Exerciser producer = plugin(mode, "producer", "pipeline");
				Exerciser consumer = plugin(mode, "consumer", "pipeline")) {
			String queue = consumer.run("queue-register:events").result();

			// an empty vm_id means the caller's own, as in proxy-wasm-cpp-host
			Exerciser.Outcome resolved = producer.run("queue-resolve:events", "x-vm-id", "");
			assertThat(resolved.status()).isEqualTo(OK);
			assertThat(resolved.result()).isEqualTo(queue);
			assertThat(producer.run("queue-enqueue:" + queue, "x-value", "order-1").status()).isEqualTo(OK);

			// the consumer's root context hears of it, and takes the message
			assertThat(this.host.logger.lines).contains("INFO queue_ready " + queue);
			Exerciser.Outcome taken = consumer.run("queue-dequeue:" + queue);
			assertThat(taken.status()).isEqualTo(OK);
			assertThat(taken.result()).isEqualTo("order-1");
		}
	}

	@BothModes
	void aPluginOfAnotherVmIdFindsTheQueueOnlyByNamingTheVmId(ExecutionMode mode) {
		try (Exerciser consumer = plugin(mode, "consumer", "pipeline");
				Exerciser stranger = plugin(mode, "stranger", null)) {
			String queue = consumer.run("queue-register:events").result();

			assertThat(stranger.run("queue-resolve:events", "x-vm-id", "").status()).isEqualTo(NOT_FOUND);
			Exerciser.Outcome named = stranger.run("queue-resolve:events", "x-vm-id", "pipeline");
			assertThat(named.status()).isEqualTo(OK);
			assertThat(named.result()).isEqualTo(queue);
		}
	}

}
