package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.host.WorkerExecutors;

/**
 * The engine's way back onto the gateway's worker threads (Netty event loops).
 */
public final class WorkerThreads {

	private WorkerThreads() {
	}

	public static WorkerExecutors workers() {
		return EventLoops.workers();
	}

}
