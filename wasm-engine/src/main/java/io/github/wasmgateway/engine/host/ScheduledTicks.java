package io.github.wasmgateway.engine.host;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ticks from one shared daemon thread; the engine hops each tick to its VM's thread.
 */
public final class ScheduledTicks implements TickScheduler {

	private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "wasm-plugin-ticks");
		thread.setDaemon(true);
		return thread;
	});

	@Override
	public AutoCloseable schedule(Duration period, Runnable tick) {
		long millis = Math.max(1, period.toMillis());
		ScheduledFuture<?> future = TIMER.scheduleAtFixedRate(tick, millis, millis, TimeUnit.MILLISECONDS);
		return () -> future.cancel(false);
	}

}
