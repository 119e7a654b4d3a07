package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.PluginCore;
import io.github.wasmgateway.engine.internal.PluginVm;
import io.github.wasmgateway.engine.internal.StreamContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running plugin: one VM per worker thread, created on the first stream that thread
 * opens, all sharing the compiled code. A VM that fails while serving (a trap, a missed
 * deadline, the memory cap) costs only the call that failed: the next stream of its
 * thread gets a fresh VM at once. Only a VM that cannot be built (instantiation,
 * {@code _initialize}, {@code proxy_on_vm_start} or {@code proxy_on_configure} fails) is
 * retried at most once per rebuild backoff; streams meanwhile get the failure at once.
 */
public final class Plugin implements AutoCloseable {

	/** Failures kept for {@link #recentFailures()}. */
	public static final int RECENT_FAILURES = 10;

	private final PluginSettings settings;

	private final CompiledPlugin compiled;

	private final PluginCore core;

	private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);

	private final List<PluginVm> vms = new CopyOnWriteArrayList<>();

	private final ConcurrentLinkedDeque<PluginFailure> recentFailures = new ConcurrentLinkedDeque<>();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong rebuilds = new AtomicLong();

	/** The last failure to build a VM, while no VM has been built since. */
	private volatile PluginFailure buildFailing;

	private volatile boolean closed;

	private volatile boolean retired;

	Plugin(CompiledPlugin compiled, PluginSettings settings, io.github.wasmgateway.engine.host.HostServices services,
			io.github.wasmgateway.engine.internal.CallWatchdog watchdog) {
		this.settings = settings;
		this.compiled = compiled;
		this.core = new PluginCore(settings.name(), settings.rootId(), settings.vmId(),
				settings.vmConfigurationUnsafe(), settings.memoryLimitBytes(), settings.callTimeout().toNanos(),
				compiled.module(), compiled.profile(), services, watchdog, this::recordFailure,
				settings.wasiEnvironment(), settings.wasiArguments());
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
	 * Accepts a plugin configuration: checks it now on a short-lived VM
	 * ({@code proxy_on_vm_start}, {@code proxy_on_configure}) so that a rejected
	 * configuration fails here, at start-up, not on the first request.
	 * @throws PluginLoadException when the plugin rejects it or fails while reading it
	 */
	public PluginConfiguration configure(byte[] configuration) {
		byte[] bytes = (configuration != null) ? configuration.clone() : new byte[0];
		int index = this.core.indexOf(bytes);
		PluginVm probe = new PluginVm(this.core, Runnable::run);
		try {
			probe.configureRoot(index);
			return new PluginConfiguration(this, index, bytes);
		}
		catch (PluginCallException ex) {
			throw new PluginLoadException(
					"plugin '" + name() + "' failed while reading its configuration: " + ex.getMessage(), ex);
		}
		finally {
			probe.close();
		}
	}

	/**
	 * Opens a stream on the calling thread's VM ({@code proxy_on_context_create}).
	 * @throws PluginCallException when the VM cannot be had or created (failure policy)
	 */
	public HttpStream openStream(PluginConfiguration configuration, HttpExchange exchange) {
		if (configuration.plugin() != this) {
			throw new IllegalArgumentException(configuration + " belongs to another plugin");
		}
		Worker worker = this.workers.get();
		PluginVm vm = worker.vm(configuration.index());
		StreamContext context = vm.openStream(configuration.index(), exchange);
		return new HttpStream(context);
	}

	private long now() {
		return this.core.services().clock().monotonicNanos();
	}

	/**
	 * One worker thread's VM, and when a VM that could not be built may be tried again.
	 */
	private final class Worker {

		private PluginVm vm;

		/** Set after a VM failed to build: no new attempt before this time. */
		private long retryAtNanos;

		private PluginCallException buildFailure;

		/**
		 * The VM to serve a stream of configuration {@code index}: the current one, or a
		 * fresh one (with that configuration's root context ready) when it failed or
		 * retired.
		 */
		PluginVm vm(int index) {
			if (Plugin.this.closed) {
				throw new IllegalStateException("plugin '" + name() + "' is closed");
			}
			PluginVm current = this.vm;
			if (current != null && current.usable()) {
				long threshold = Plugin.this.settings.rebuildMemoryThresholdBytes();
				if (threshold > 0 && current.memoryBytes() > threshold) {
					current.retire();
				}
				else if (current.hasRoot(index)) {
					return current;
				}
				else {
					// a configuration this VM has not seen yet (a new route, a refresh)
					checkBackoff();
					return withRoot(current, index);
				}
			}
			checkBackoff();
			PluginVm fresh;
			try {
				fresh = new PluginVm(Plugin.this.core, Plugin.this.core.services().workers().currentWorker());
			}
			catch (PluginLoadException ex) {
				throw buildFailed("vm start", ex);
			}
			if (current != null) {
				Plugin.this.rebuilds.incrementAndGet();
			}
			Plugin.this.vms.removeIf(PluginVm::finished);
			Plugin.this.vms.add(fresh);
			this.vm = fresh;
			if (Plugin.this.retired) {
				// a late stream of a replaced version: serve it, then let the VM go
				fresh.retire();
			}
			return withRoot(fresh, index);
		}

		private void checkBackoff() {
			if (this.buildFailure != null && now() - this.retryAtNanos < 0) {
				throw this.buildFailure;
			}
		}

		private PluginVm withRoot(PluginVm vm, int index) {
			try {
				vm.configureRoot(index);
			}
			catch (PluginLoadException | PluginCallException ex) {
				throw buildFailed("proxy_on_configure", ex);
			}
			this.buildFailure = null;
			Plugin.this.buildFailing = null;
			return vm;
		}

		private PluginCallException buildFailed(String callback, RuntimeException cause) {
			this.retryAtNanos = now() + Plugin.this.settings.rebuildBackoff().toNanos();
			this.buildFailure = new PluginCallException(new PluginFailure(
					Instant.ofEpochSecond(0, Plugin.this.core.services().clock().epochNanos()), name(), callback,
					PluginFailure.Kind.VM_UNAVAILABLE, "no VM could be built (" + cause.getMessage()
							+ "); next attempt after " + Plugin.this.settings.rebuildBackoff().toMillis() + " ms",
					List.of()), cause);
			Plugin.this.buildFailing = this.buildFailure.failure();
			recordFailure(this.buildFailure.failure());
			return this.buildFailure;
		}

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
		for (PluginVm vm : this.vms) {
			info.add(new VmInfo(vm.id(), vm.state().name(), vm.owner().getName(), vm.memoryBytes(), vm.ageMillis(),
					vm.requestsServed(), vm.activeStreams()));
		}
		return info;
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
		return this.buildFailing;
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
		return this.rebuilds.get();
	}

	/**
	 * Takes this plugin out of service after a newer version replaced it: streams in
	 * flight finish on its VMs, each VM closes once its last stream ends, and a stream
	 * still opened here (a request that picked this version just before the swap) runs
	 * normally.
	 */
	public void retire() {
		this.retired = true;
		for (PluginVm vm : this.vms) {
			vm.retire();
		}
	}

	/**
	 * Closes every VM. Streams still open should be finished first; their VMs are
	 * released either way.
	 */
	@Override
	public void close() {
		this.closed = true;
		for (PluginVm vm : this.vms) {
			vm.close();
		}
		this.vms.clear();
	}

	@Override
	public String toString() {
		return "Plugin[" + name() + ", " + this.compiled + "]";
	}

}
