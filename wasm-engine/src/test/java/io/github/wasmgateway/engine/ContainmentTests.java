package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.PluginFailure.Kind;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A failing plugin call (trap, deadline, memory cap, wrong thread) ends that call with a
 * typed failure naming the plugin, the callback and the Wasm stack; the VM is replaced,
 * the worker thread is left clean and other VMs never notice.
 */
class ContainmentTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	@AfterAll
	static void close() {
		engine.close();
	}

	static Plugin plugin(String fixture, ExecutionMode mode, PluginSettings.Builder settings) {
		return engine.createPlugin(Fixtures.compiled(fixture, mode),
				settings.withRebuildBackoff(Duration.ZERO).build());
	}

	/**
	 * The decision of the request headers; a failure is thrown as the exception it
	 * carries.
	 */
	static Decision request(Plugin plugin, PluginConfiguration configuration, String... headers) {
		HttpStream stream = plugin.openStream(configuration, TestExchange.get("/", headers));
		try {
			Decision decision = stream.onRequestHeaders(true);
			if (decision instanceof Decision.Fail fail) {
				throw fail.failure();
			}
			return decision;
		}
		finally {
			stream.finish();
		}
	}

	@BothModes
	void trapFailsTheCallWithNamedStackAndTheVmIsReplaced(ExecutionMode mode) {
		try (Plugin plugin = plugin("trap-on-marker", mode, PluginSettings.builder("trapper"))) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			assertThat(request(plugin, configuration)).isEqualTo(Decision.Flow.CONTINUE);
			int firstVm = plugin.vms().get(0).id();

			assertThatThrownBy(() -> request(plugin, configuration, "x-trap", "1"))
				.isInstanceOfSatisfying(PluginCallException.class, (ex) -> {
					PluginFailure failure = ex.failure();
					assertThat(failure.kind()).isEqualTo(Kind.TRAP);
					assertThat(failure.plugin()).isEqualTo("trapper");
					assertThat(failure.callback()).isEqualTo("proxy_on_request_headers");
					assertThat(failure.wasmStack()).isNotEmpty();
					assertThat(failure.wasmStack().get(0)).startsWith("crash_here[");
					assertThat(failure.wasmStack()).anyMatch((frame) -> frame.startsWith("proxy_on_request_headers["));
					assertThat(ex.getMessage()).contains("plugin 'trapper' failed in proxy_on_request_headers")
						.contains("at crash_here[");
				});
			assertThat(Thread.currentThread().isInterrupted()).isFalse();

			// the next request gets a fresh VM built from the shared compiled code
			assertThat(request(plugin, configuration)).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(plugin.vms()).extracting(VmInfo::id).doesNotContain(firstVm);
			assertThat(plugin.rebuildCount()).isEqualTo(1);
			assertThat(plugin.failureCount()).isEqualTo(1);
			assertThat(plugin.recentFailures()).hasSize(1);
		}
	}

	@BothModes
	void infiniteLoopIsInterruptedAtTheDeadlineAndTheThreadIsLeftClean(ExecutionMode mode) {
		try (Plugin plugin = plugin("infinite-loop", mode,
				PluginSettings.builder("looper").withCallTimeout(Duration.ofMillis(100)))) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			long started = System.nanoTime();
			assertThatThrownBy(() -> request(plugin, configuration, "x-loop", "1"))
				.isInstanceOfSatisfying(PluginCallException.class, (ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.TIMEOUT);
					assertThat(ex.getMessage()).contains("deadline of 100 ms");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
			assertThat(request(plugin, configuration)).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
		}
	}

	@BothModes
	void memoryCapEndsTheCallAndTheVmIsReplaced(ExecutionMode mode) {
		try (Plugin plugin = plugin("memory-hog", mode,
				PluginSettings.builder("hog").withMemoryLimitBytes(4L * 1024 * 1024))) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			assertThatThrownBy(() -> request(plugin, configuration, "x-grow", "1"))
				.isInstanceOfSatisfying(PluginCallException.class, (ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.MEMORY_LIMIT);
					assertThat(ex.getMessage()).contains("memory limit of 4194304 bytes reached");
				});
			assertThat(request(plugin, configuration)).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(plugin.vms()).allSatisfy((vm) -> assertThat(vm.memoryBytes()).isLessThan(4L * 1024 * 1024));
		}
	}

	@Test
	void aVmCannotBeEnteredFromAnotherThread() throws Exception {
		try (Plugin plugin = plugin("trap-on-marker", ExecutionMode.AOT, PluginSettings.builder("confined"))) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			HttpStream stream = plugin.openStream(configuration, TestExchange.get("/"));
			ExecutorService other = Executors.newSingleThreadExecutor();
			try {
				Future<?> attempt = other.submit(() -> stream.onRequestHeaders(true));
				assertThatThrownBy(attempt::get).hasCauseInstanceOf(IllegalStateException.class)
					.hasMessageContaining("belongs to thread " + Thread.currentThread().getName());
			}
			finally {
				other.shutdown();
			}
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
			stream.finish();
		}
	}

	@Test
	void eachWorkerThreadHasItsOwnVmAndATrapInOneLeavesTheOtherServing() throws Exception {
		try (Plugin plugin = plugin("trap-on-marker", ExecutionMode.AOT, PluginSettings.builder("two-workers"))) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			ExecutorService workerA = Executors.newSingleThreadExecutor();
			ExecutorService workerB = Executors.newSingleThreadExecutor();
			try {
				// a stream stays open on worker B while worker A's VM traps
				HttpStream open = workerB.submit(() -> plugin.openStream(configuration, TestExchange.get("/"))).get();
				assertThatThrownBy(() -> workerA.submit(() -> request(plugin, configuration, "x-trap", "1")).get())
					.hasCauseInstanceOf(PluginCallException.class);
				assertThat(workerB.submit(() -> open.onRequestHeaders(true)).get()).isEqualTo(Decision.Flow.CONTINUE);
				workerB.submit(open::finish).get();
				assertThat(plugin.vms()).extracting(VmInfo::thread).doesNotHaveDuplicates();
			}
			finally {
				workerA.shutdown();
				workerB.shutdown();
			}
		}
	}

}
