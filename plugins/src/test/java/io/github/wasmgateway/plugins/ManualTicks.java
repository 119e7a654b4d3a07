package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.host.TickScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ticks the test fires by hand.
 */
final class ManualTicks implements TickScheduler {

	private final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

	@Override
	public AutoCloseable schedule(Duration period, Runnable tick) {
		this.scheduled.add(tick);
		return () -> this.scheduled.remove(tick);
	}

	int scheduled() {
		return this.scheduled.size();
	}

	void fire() {
		this.scheduled.forEach(Runnable::run);
	}

}
