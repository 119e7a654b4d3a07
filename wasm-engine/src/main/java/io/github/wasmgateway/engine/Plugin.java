package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.WorkerExecutors;
import io.github.wasmgateway.engine.internal.CallWatchdog;
import io.github.wasmgateway.engine.internal.PluginCore;
import io.github.wasmgateway.engine.internal.PluginVm;
import io.github.wasmgateway.engine.internal.StreamContext;
import io.github.wasmgateway.engine.internal.VmPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running plugin: one VM per worker thread, all sharing the compiled code. As in Envoy,
 * every worker the host lists gets its VM built, started ({@code proxy_on_vm_start}) and
 * configured ({@code proxy_on_configure}) when a configuration is accepted
 * ({@link #configure}), before it serves a stream of it; ticks run on every worker from
 * then on. A VM that fails while serving (a trap, a missed deadline, the memory cap)
 * costs only the call that failed: a fresh VM is built on its worker right after. Only a
 * VM that cannot be built is retried at most once per rebuild backoff; streams meanwhile
 * get the failure at once.
 */
public final class Plugin implements AutoCloseable {

	/** The least time a configuring caller waits for every worker's VM (a hang guard). */
	private static final long MIN_READY_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

	/** Failures kept for {@link #recentFailures()}. */
	public static final int RECENT_FAILURES = 10;

	private final PluginSettings settings;

	private final CompiledPlugin compiled;

	private final PluginCore core;

	private final VmPool pool;

	private final ConcurrentLinkedDeque<PluginFailure> recentFailures = new ConcurrentLinkedDeque<>();

	private final AtomicLong failures = new AtomicLong();

	private final PluginFootprint footprint;

	Plugin(CompiledPlugin compiled, PluginSettings settings, HostServices services, WorkerExecutors workers,
			CallWatchdog watchdog) {
		this.settings = settings;
		this.compiled = compiled;
		this.core = new PluginCore(settings.name(), settings.rootId(), settings.vmId(),
				settings.vmConfigurationUnsafe(), settings.memoryLimitBytes(),
				settings.callTimeout(compiled.mode()).toNanos(), settings.startTimeout().toNanos(), compiled.module(),
				compiled.profile(), services, watchdog, this::recordFailure, settings.wasiEnvironment(),
				settings.wasiArguments());
		// a worker readies a configuration with a few start-up calls (start-up export,
		// proxy_on_vm_start, proxy_on_configure), each under the start-up deadline; the
		// wait for all workers only guards against a worker that never gets to it, and
		// leaves room for instantiation (under no deadline, slow on a loaded machine)
		this.pool = new VmPool(this.core, workers, settings.rebuildBackoff().toNanos(),
				settings.rebuildMemoryThresholdBytes(),
				Math.max(4 * settings.startTimeout().toNanos(), MIN_READY_WAIT_NANOS));
		this.footprint = new PluginFootprint(this, services.clock());
	}

	public String name() {
		return this.settings.name();
	}

	public PluginSettings settings() {
		return this.settings;
	}

	public CompiledPlugin compiled() {
		return this.compiled;
	}

	/**
	 * Accepts a plugin configuration: every worker's VM gets its root context now
	 * ({@code proxy_on_vm_start}, {@code proxy_on_configure}), so that a rejected
	 * configuration fails here, at start-up or reload, not on the first request.
	 * @throws PluginLoadException when the plugin rejects it or fails while reading it
	 */
	public PluginConfiguration configure(byte[] configuration) {
		byte[] bytes = (configuration != null) ? configuration.clone() : new byte[0];
		int index = this.core.indexOf(bytes);
		this.pool.configure(index);
		return new PluginConfiguration(this, index, bytes);
	}

	/**
	 * Opens a stream on the calling thread's VM ({@code proxy_on_context_create}).
	 * @throws PluginCallException when the VM cannot be had or created (failure policy)
	 */
	public HttpStream openStream(PluginConfiguration configuration, HttpExchange exchange) {
		if (configuration.plugin() != this) {
			throw new IllegalArgumentException(configuration + " belongs to another plugin");
		}
		PluginVm vm = this.pool.vmForStream(configuration.index());
		StreamContext context = vm.openStream(configuration.index(), exchange);
		return new HttpStream(context);
	}

	private void recordFailure(PluginFailure failure) {
		this.failures.incrementAndGet();
		this.recentFailures.addFirst(failure);
		while (this.recentFailures.size() > RECENT_FAILURES) {
			this.recentFailures.pollLast();
		}
	}

	/** The VMs alive now. */
	public List<VmInfo> vms() {
		List<VmInfo> info = new ArrayList<>();
		for (PluginVm vm : liveVms()) {
			info.add(new VmInfo(vm.id(), vm.state().name(), vm.owner().getName(), vm.memoryBytes(), vm.ageMillis(),
					vm.requestsServed(), vm.activeStreams(), vm.cpuNanos()));
		}
		return info;
	}

	/**
	 * The heap and metaspace this plugin retains, measured when asked (not on the request
	 * path).
	 */
	public PluginFootprint footprint() {
		return this.footprint;
	}

	List<PluginVm> liveVms() {
		return this.pool.vms();
	}

	/**
	 * CPU time of this plugin's guest calls since it was created, on every VM including
	 * closed ones; sampled (see {@code HostServices.Builder#withCpuSampling}).
	 */
	public long cpuNanos() {
		return this.core.cpuNanos();
	}

	/** The last failures, newest first. */
	public List<PluginFailure> recentFailures() {
		return List.copyOf(this.recentFailures);
	}

	/**
	 * Why the last attempt to build a VM failed (instantiation, start, configuration), or
	 * null when a VM has been built since: a plugin in a crash loop, retried once per
	 * rebuild backoff.
	 */
	public PluginFailure buildFailure() {
		return this.pool.buildFailure();
	}

	/**
	 * Failed calls since start (traps, timeouts, memory caps, exits, VMs that could not
	 * be built).
	 */
	public long failureCount() {
		return this.failures.get();
	}

	/** VMs created to replace a failed or retired one. */
	public long rebuildCount() {
		return this.pool.rebuildCount();
	}

	/**
	 * Takes this plugin out of service after a newer version replaced it: streams in
	 * flight finish on its VMs, each VM closes once its last stream ends, and a stream
	 * still opened here (a request that picked this version just before the swap) runs
	 * normally.
	 */
	public void retire() {
		this.pool.retire();
		this.core.releaseMetrics();
	}

	/**
	 * Closes every VM. Streams still open should be finished first; their VMs are
	 * released either way.
	 */
	@Override
	public void close() {
		this.pool.close();
		this.core.releaseMetrics();
	}

	@Override
	public String toString() {
		return "Plugin[" + name() + ", " + this.compiled + "]";
	}

}
