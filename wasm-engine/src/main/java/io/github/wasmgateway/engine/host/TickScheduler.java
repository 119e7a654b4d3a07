package io.github.wasmgateway.engine.host;

import java.time.Duration;

/**
 * Runs a plugin's ticks ({@code proxy_set_tick_period_milliseconds}). The engine hops
 * each tick to the VM's own thread.
 */
public interface TickScheduler {

	/** Calls {@code tick} every {@code period} until the returned handle is closed. */
	AutoCloseable schedule(Duration period, Runnable tick);

}
