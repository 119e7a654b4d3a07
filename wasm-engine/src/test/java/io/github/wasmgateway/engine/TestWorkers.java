package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Worker threads as a host lists them (the gateway's event loops): single-thread
 * executors named {@code worker-<n>}, each the current worker on its own thread.
 */
final class TestWorkers implements WorkerExecutors, AutoCloseable {

	private final List<ExecutorService> executors = new ArrayList<>();

	private final ThreadLocal<Executor> current = new ThreadLocal<>();

	private final Executor direct = Runnable::run;

	TestWorkers(int count) {
		for (int i = 0; i < count; i++) {
			ExecutorService[] self = new ExecutorService[1];
			String name = "worker-" + i;
			self[0] = Executors.newSingleThreadExecutor((task) -> new Thread(() -> {
				this.current.set(self[0]);
				task.run();
			}, name));
			this.executors.add(self[0]);
		}
	}

	@Override
	public Executor currentWorker() {
		Executor executor = this.current.get();
		return (executor != null) ? executor : this.direct;
	}

	@Override
	public List<Executor> all() {
		return List.copyOf(this.executors);
	}

	/** Runs {@code work} on worker {@code index} and waits for its result. */
	<T> T on(int index, Callable<T> work) throws InterruptedException {
		try {
			return this.executors.get(index).submit(work).get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	/** Waits until every worker has run what was handed to it so far. */
	void settle() throws InterruptedException {
		for (int i = 0; i < this.executors.size(); i++) {
			on(i, () -> null);
		}
	}

	@Override
	public void close() {
		this.executors.forEach(ExecutorService::shutdownNow);
	}

}
