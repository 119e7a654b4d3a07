package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one worker of a service plugin: a daemon thread of its own, where its VM is built
 * and every tick, reply and queue notification runs (Envoy runs a singleton
 * {@code WasmService} on its main thread). Work handed over after {@link #close()} is
 * dropped: the VM is closed by then.
 */
public final class ServiceThread implements WorkerExecutors, AutoCloseable {

	private final ThreadPoolExecutor executor;

	private final Executor elsewhere = Runnable::run;

	private volatile Thread thread;

	public ServiceThread(String name) {
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread created = new Thread(task, "wasm-service-" + name);
			created.setDaemon(true);
			this.thread = created;
			return created;
		}, new ThreadPoolExecutor.DiscardPolicy());
	}

	@Override
	public Executor currentWorker() {
		return (Thread.currentThread() == this.thread) ? this.executor : this.elsewhere;
	}

	@Override
	public List<Executor> all() {
		return List.of(this.executor);
	}

	@Override
	public void close() {
		this.executor.shutdown();
	}

}
