package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.PluginCore;
import io.github.wasmgateway.engine.internal.PluginVm;
import io.github.wasmgateway.engine.internal.StreamContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running plugin: one VM per worker thread, created on the first stream that thread
 * opens, all sharing the compiled code. A VM that fails is replaced by a fresh one on the
 * next stream of its thread (at most once per rebuild backoff); other VMs never notice.
 */
public final class Plugin implements AutoCloseable {

	private static final int RECENT_FAILURES = 10;

	private final PluginSettings settings;

	private final CompiledPlugin compiled;

	private final PluginCore core;

	private final ThreadLocal<PluginVm> current = new ThreadLocal<>();

	private final List<PluginVm> vms = new CopyOnWriteArrayList<>();

	private final ConcurrentLinkedDeque<PluginFailure> recentFailures = new ConcurrentLinkedDeque<>();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong rebuilds = new AtomicLong();

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
		PluginVm vm = vmForCurrentThread();
		StreamContext context = vm.openStream(configuration.index(), exchange);
		return new HttpStream(context);
	}

	private PluginVm vmForCurrentThread() {
		if (this.closed) {
			throw new IllegalStateException("plugin '" + name() + "' is closed");
		}
		PluginVm vm = this.current.get();
		if (vm != null && vm.usable()) {
			long threshold = this.settings.rebuildMemoryThresholdBytes();
			if (threshold <= 0 || vm.memoryBytes() <= threshold) {
				return vm;
			}
			vm.retire();
		}
		if (vm != null && vm.state() == PluginVm.State.FAILED) {
			// a VM that served a while is replaced at once; one that failed soon after it
			// was built is in a crash loop: at most one rebuild per backoff
			long backoff = this.settings.rebuildBackoff().toMillis();
			long sinceFailure = java.time.Duration.between(vm.failure().time(), java.time.Instant.now()).toMillis();
			long lived = vm.ageMillis() - sinceFailure;
			if (lived < backoff && sinceFailure < backoff) {
				throw vm.unavailableForRebuild();
			}
		}
		PluginVm fresh;
		try {
			fresh = new PluginVm(this.core, this.core.services().workers().currentWorker());
		}
		catch (PluginLoadException ex) {
			throw new PluginCallException(new PluginFailure(java.time.Instant.now(), name(), "vm start",
					PluginFailure.Kind.VM_UNAVAILABLE, ex.getMessage(), List.of()), ex);
		}
		if (vm != null) {
			this.rebuilds.incrementAndGet();
		}
		this.vms.removeIf(PluginVm::finished);
		this.vms.add(fresh);
		this.current.set(fresh);
		if (this.retired) {
			// a late stream of a replaced version: serve it, then let the VM go
			fresh.retire();
		}
		return fresh;
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

	/** Failed calls since start (traps, timeouts, memory caps, exits, host errors). */
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

	public boolean retired() {
		return this.retired;
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
