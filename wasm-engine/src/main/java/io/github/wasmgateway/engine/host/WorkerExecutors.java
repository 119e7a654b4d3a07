package io.github.wasmgateway.engine.host;

import java.util.concurrent.Executor;

/**
 * How the engine gets back onto a worker thread. A VM belongs to the worker thread that
 * created it; callout and Redis replies, queue notifications and ticks arrive on other
 * threads and are handed to that worker through the executor returned here.
 */
public interface WorkerExecutors {

	/** An executor that runs tasks on the calling thread's worker (its event loop). */
	Executor currentWorker();

	/**
	 * Runs tasks where they are handed over: right only when completions already arrive
	 * on the VM's own thread (single-threaded hosts and tests).
	 */
	WorkerExecutors DIRECT = () -> Runnable::run;

}
