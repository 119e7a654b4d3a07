package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plugin's VMs, one per worker thread, as Envoy keeps one per worker. Each worker the
 * host lists ({@link WorkerExecutors#all()}) gets its VM built, started and configured on
 * its own thread when a configuration is accepted, before a stream of it can arrive
 * (Envoy: the thread-local VMs created by {@code getOrCreateThreadLocalPlugin} on each
 * worker); a thread the host does not list gets its VM at its first stream.
 * <p>
 * A VM that fails while serving is replaced right after the failed call, by a task posted
 * to its worker, so the next stream finds a fresh VM; only a VM that cannot be built
 * (instantiation, start, {@code proxy_on_vm_start}, {@code proxy_on_configure}) is
 * retried at most once per rebuild backoff, at the worker's next stream.
 */
public final class VmPool {

	private final PluginCore core;

	private final WorkerExecutors workers;

	private final long rebuildBackoffNanos;

	private final long memoryThresholdBytes;

	private final long readyTimeoutNanos;

	private final ThreadLocal<Worker> local = ThreadLocal.withInitial(Worker::new);

	private final List<PluginVm> vms = new CopyOnWriteArrayList<>();

	private final AtomicLong rebuilds = new AtomicLong();

	/** The configurations every VM has a root context of, by index. */
	private volatile int[] configured = new int[0];

	/** The last failure to build a VM, while no VM has been built since. */
	private volatile PluginFailure buildFailing;

	private volatile boolean closed;

	private volatile boolean retired;

	public VmPool(PluginCore core, WorkerExecutors workers, long rebuildBackoffNanos, long memoryThresholdBytes,
			long readyTimeoutNanos) {
		this.core = core;
		this.workers = workers;
		this.rebuildBackoffNanos = rebuildBackoffNanos;
		this.memoryThresholdBytes = memoryThresholdBytes;
		this.readyTimeoutNanos = readyTimeoutNanos;
	}

	/**
	 * The VM of the calling thread for a stream of configuration {@code index}: the
	 * current one, or a fresh one when it failed or retired.
	 * @throws PluginCallException when no VM can be had (failure policy)
	 */
	public PluginVm vmForStream(int index) {
		if (this.closed) {
			throw new IllegalStateException("plugin '" + this.core.name + "' is closed");
		}
		return this.local.get().forStream(index);
	}

	/**
	 * Readies configuration {@code index}: on every listed worker, its VM is built if it
	 * has none and the configuration gets its root context ({@code proxy_on_vm_start},
	 * {@code proxy_on_configure}), each on the worker's own thread. A caller that is not
	 * a worker waits for all of them, so a configuration any VM rejects is refused; a
	 * caller that is a worker (a route refresh on an event loop) readies its own VM
	 * inline and does not wait for the others, which could be waiting for it. Without
	 * listed workers the configuration is checked on a short-lived VM (Envoy's
	 * "configuration canary").
	 * @throws PluginLoadException when the configuration is rejected or cannot be read
	 */
	public void configure(int index) {
		if (isConfigured(index)) {
			return;
		}
		List<Executor> all = this.workers.all();
		if (all.isEmpty()) {
			canary(index);
		}
		else {
			readyEverywhere(all, index);
		}
		addConfigured(index);
	}

	private void readyEverywhere(List<Executor> all, int index) {
		Executor own = this.workers.currentWorker();
		List<Executor> others = new ArrayList<>();
		List<CompletableFuture<Void>> readied = new ArrayList<>();
		boolean onWorker = false;
		for (Executor executor : all) {
			if (executor == own) {
				onWorker = true;
				continue;
			}
			CompletableFuture<Void> ready = new CompletableFuture<>();
			executor.execute(() -> {
				try {
					readyHere(executor, index);
					ready.complete(null);
				}
				catch (RuntimeException ex) {
					ready.completeExceptionally(ex);
				}
			});
			others.add(executor);
			readied.add(ready);
		}
		if (onWorker) {
			try {
				readyHere(own, index);
			}
			catch (RuntimeException ex) {
				dropEverywhere(others, index);
				throw refused(ex);
			}
			// the other workers record their own failures; they may be waiting for us
			return;
		}
		RuntimeException rejected = awaitAll(readied);
		if (rejected != null) {
			dropEverywhere(others, index);
			throw refused(rejected);
		}
	}

	private RuntimeException awaitAll(List<CompletableFuture<Void>> readied) {
		long deadline = System.nanoTime() + this.readyTimeoutNanos;
		for (CompletableFuture<Void> ready : readied) {
			try {
				ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				return (ex.getCause() instanceof RuntimeException cause) ? cause
						: new IllegalStateException(ex.getCause());
			}
			catch (TimeoutException ex) {
				return new PluginLoadException(
						"plugin '" + this.core.name + "': a worker did not finish building its VM" + " within "
								+ TimeUnit.NANOSECONDS.toMillis(this.readyTimeoutNanos) + " ms");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new PluginLoadException("plugin '" + this.core.name + "': interrupted while its VMs were built");
			}
		}
		return null;
	}

	private PluginLoadException refused(RuntimeException cause) {
		if (cause instanceof PluginLoadException load) {
			return load;
		}
		return new PluginLoadException(
				"plugin '" + this.core.name + "' failed while reading its configuration: " + cause.getMessage(), cause);
	}

	/**
	 * On a worker's thread: its VM has the root context of configuration {@code index}.
	 */
	private void readyHere(Executor home, int index) {
		if (this.closed) {
			return;
		}
		Worker worker = this.local.get();
		worker.home = home;
		worker.ready(index);
	}

	/** A configuration some VM rejected: the VMs that accepted it let it go. */
	private void dropEverywhere(List<Executor> executors, int index) {
		for (Executor executor : executors) {
			executor.execute(() -> {
				PluginVm vm = this.local.get().vm;
				if (vm != null) {
					vm.dropRoot(index);
				}
			});
		}
	}

	private void canary(int index) {
		PluginVm probe = new PluginVm(this.core, Runnable::run, null);
		try {
			probe.configureRoot(index);
		}
		catch (PluginCallException ex) {
			throw refused(ex);
		}
		finally {
			probe.close();
		}
	}

	private boolean isConfigured(int index) {
		for (int configuredIndex : this.configured) {
			if (configuredIndex == index) {
				return true;
			}
		}
		return false;
	}

	private synchronized void addConfigured(int index) {
		if (!isConfigured(index)) {
			int[] next = Arrays.copyOf(this.configured, this.configured.length + 1);
			next[this.configured.length] = index;
			this.configured = next;
		}
	}

	/** The VMs alive now. */
	public List<PluginVm> vms() {
		this.vms.removeIf(PluginVm::finished);
		return List.copyOf(this.vms);
	}

	/**
	 * Why the last attempt to build a VM failed, or null when a VM has been built since.
	 */
	public PluginFailure buildFailure() {
		return this.buildFailing;
	}

	/** VMs created to replace a failed or retired one. */
	public long rebuildCount() {
		return this.rebuilds.get();
	}

	/**
	 * Takes the VMs out of service after a newer version replaced the plugin: each closes
	 * once its last stream ends, and none is replaced.
	 */
	public void retire() {
		this.retired = true;
		for (PluginVm vm : this.vms) {
			vm.retire();
		}
	}

	public void close() {
		this.closed = true;
		for (PluginVm vm : this.vms) {
			vm.close();
		}
		this.vms.clear();
	}

	private long now() {
		return this.core.services.clock().monotonicNanos();
	}

	/**
	 * One worker thread's VM, and when a VM that could not be built may be tried again.
	 * Touched only on its own thread.
	 */
	private final class Worker {

		private Executor home;

		private PluginVm vm;

		/** Set after a VM failed to build: no new attempt before this time. */
		private long retryAtNanos;

		private PluginCallException buildFailure;

		PluginVm forStream(int index) {
			PluginVm current = this.vm;
			if (current != null && current.usable()) {
				long threshold = VmPool.this.memoryThresholdBytes;
				if (threshold > 0 && current.memoryBytes() > threshold) {
					current.retire();
				}
				else if (current.hasRoot(index)) {
					return current;
				}
			}
			checkBackoff();
			return serve(index);
		}

		/**
		 * Configure time: this worker's VM gets the root of {@code index}, whatever the
		 * backoff; a failure goes to the caller (the configuration is refused), not into
		 * the plugin's build failures.
		 */
		void ready(int index) {
			PluginVm target = this.vm;
			if (target == null || !target.usable()) {
				target = fresh();
			}
			rootsOf(target, index);
			built();
		}

		/**
		 * Called on this worker's thread after its VM failed while serving or asked for a
		 * rebuild: a fresh VM is built by a task of its own, after the call that failed,
		 * so the next stream does not wait for it.
		 */
		void replaceSoon(PluginVm lost) {
			home().execute(() -> {
				boolean inBackoff = this.buildFailure != null && now() - this.retryAtNanos < 0;
				if (VmPool.this.closed || VmPool.this.retired || this.vm != lost || inBackoff) {
					return;
				}
				try {
					serve(-1);
				}
				catch (PluginCallException ex) {
					// recorded; the next stream after the backoff tries again
				}
			});
		}

		private Executor home() {
			if (this.home == null) {
				this.home = VmPool.this.workers.currentWorker();
			}
			return this.home;
		}

		private void checkBackoff() {
			if (this.buildFailure != null && now() - this.retryAtNanos < 0) {
				throw this.buildFailure;
			}
		}

		/**
		 * A VM with the root context of every configuration and of {@code index} (-1:
		 * none more) for a stream or a replacement: building it fresh when the current
		 * one is gone. A failure starts the backoff.
		 */
		private PluginVm serve(int index) {
			PluginVm target = this.vm;
			if (target == null || !target.usable()) {
				try {
					target = fresh();
				}
				catch (PluginLoadException ex) {
					throw buildFailed("vm start", ex);
				}
			}
			try {
				rootsOf(target, index);
			}
			catch (PluginLoadException | PluginCallException ex) {
				throw buildFailed("proxy_on_configure", ex);
			}
			built();
			return target;
		}

		/** A new VM, started, in place of the current one. */
		private PluginVm fresh() {
			PluginVm previous = this.vm;
			PluginVm fresh = new PluginVm(VmPool.this.core, home(), this::replaceSoon);
			VmPool.this.vms.removeIf(PluginVm::finished);
			VmPool.this.vms.add(fresh);
			if (previous != null) {
				VmPool.this.rebuilds.incrementAndGet();
			}
			this.vm = fresh;
			if (VmPool.this.retired) {
				// a late stream of a replaced version: serve it, then let the VM go
				fresh.retire();
			}
			return fresh;
		}

		private void rootsOf(PluginVm target, int index) {
			for (int configuredIndex : VmPool.this.configured) {
				target.configureRoot(configuredIndex);
			}
			if (index >= 0) {
				target.configureRoot(index);
			}
		}

		private void built() {
			this.buildFailure = null;
			VmPool.this.buildFailing = null;
		}

		private PluginCallException buildFailed(String callback, RuntimeException cause) {
			Duration backoff = Duration.ofNanos(VmPool.this.rebuildBackoffNanos);
			this.retryAtNanos = now() + VmPool.this.rebuildBackoffNanos;
			this.buildFailure = new PluginCallException(new PluginFailure(VmPool.this.core.now(), VmPool.this.core.name,
					callback, PluginFailure.Kind.VM_UNAVAILABLE, "no VM could be built (" + cause.getMessage()
							+ "); next attempt after " + backoff.toMillis() + " ms",
					List.of()), cause);
			VmPool.this.buildFailing = this.buildFailure.failure();
			VmPool.this.core.failures.accept(this.buildFailure.failure());
			return this.buildFailure;
		}

	}

}
