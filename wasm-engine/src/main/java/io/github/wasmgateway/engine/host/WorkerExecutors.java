package io.github.wasmgateway.engine.host;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The threads plugins serve on. A VM belongs to one worker thread; callout and Redis
 * replies, queue notifications and ticks arrive on other threads and are handed to its
 * worker through its executor. Like Envoy's worker threads, the workers listed by
 * {@link #all()} get each plugin's VM built, started and configured before the plugin
 * serves.
 */
public interface WorkerExecutors {

	/** An executor that runs tasks on the calling thread's worker (its event loop). */
	Executor currentWorker();

	/**
	 * Every worker that serves streams, each a single thread, as the same objects
	 * {@link #currentWorker()} returns on them. Empty (the default) when the host cannot
	 * list them: a VM is then built on a thread's first stream.
	 */
	default List<Executor> all() {
		return List.of();
	}

	/**
	 * Runs tasks where they are handed over, and counts the calling thread as the one
	 * worker: right only when completions already arrive on the VM's own thread
	 * (single-threaded hosts and tests).
	 */
	WorkerExecutors DIRECT = new WorkerExecutors() {

		private final Executor direct = Runnable::run;

		@Override
		public Executor currentWorker() {
			return this.direct;
		}

		@Override
		public List<Executor> all() {
			return List.of(this.direct);
		}

	};

}
