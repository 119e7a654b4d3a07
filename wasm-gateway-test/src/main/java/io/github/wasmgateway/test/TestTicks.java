package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.host.TickScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The plugin's ticks ({@code proxy_set_tick_period_milliseconds}) on the test clock: a
 * tick falls due one period after it was scheduled, then every period, and runs only when
 * the test moves the clock past it ({@link PluginTester#advance}) or fires every tick at
 * once ({@link PluginTester#fireTicks()}).
 */
final class TestTicks implements TickScheduler {

	private final TestClock clock;

	private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

	TestTicks(TestClock clock) {
		this.clock = clock;
	}

	private final class Scheduled implements AutoCloseable {

		final long periodNanos;

		final Runnable tick;

		long dueNanos;

		Scheduled(Duration period, Runnable tick) {
			this.periodNanos = Math.max(1, period.toNanos());
			this.tick = tick;
			this.dueNanos = TestTicks.this.clock.epochNanos() + this.periodNanos;
		}

		@Override
		public void close() {
			TestTicks.this.scheduled.remove(this);
		}

	}

	@Override
	public AutoCloseable schedule(Duration period, Runnable tick) {
		Scheduled scheduled = new Scheduled(period, tick);
		this.scheduled.add(scheduled);
		return scheduled;
	}

	int count() {
		return this.scheduled.size();
	}

	/** Runs every scheduled tick once, whatever its due time. */
	void fireAll() {
		for (Scheduled scheduled : new ArrayList<>(this.scheduled)) {
			scheduled.tick.run();
		}
	}

	/**
	 * Moves the clock to {@code targetNanos}, running each tick at every due time on the
	 * way, earliest first (the clock stands at that time while the tick runs).
	 */
	void advanceTo(long targetNanos) {
		while (true) {
			Scheduled next = null;
			for (Scheduled scheduled : this.scheduled) {
				if (scheduled.dueNanos <= targetNanos && (next == null || scheduled.dueNanos < next.dueNanos)) {
					next = scheduled;
				}
			}
			if (next == null) {
				break;
			}
			if (next.dueNanos > this.clock.epochNanos()) {
				this.clock.advance(Duration.ofNanos(next.dueNanos - this.clock.epochNanos()));
			}
			next.dueNanos += next.periodNanos;
			next.tick.run();
		}
		if (targetNanos > this.clock.epochNanos()) {
			this.clock.advance(Duration.ofNanos(targetNanos - this.clock.epochNanos()));
		}
	}

}
