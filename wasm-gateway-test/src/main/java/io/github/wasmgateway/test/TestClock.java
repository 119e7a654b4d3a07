package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.host.HostClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plugin's clock ({@code proxy_get_current_time_nanoseconds}, WASI clocks), moved
 * only by the test: it starts at 2023-11-14T22:13:20Z. Move it with
 * {@link PluginTester#advance(Duration)} to fire ticks that fall due on the way.
 */
public final class TestClock implements HostClock {

	/** 2023-11-14T22:13:20Z. */
	public static final Instant START = Instant.ofEpochSecond(1_700_000_000L);

	private final AtomicLong nanos = new AtomicLong(START.getEpochSecond() * 1_000_000_000L);

	@Override
	public long epochNanos() {
		return this.nanos.get();
	}

	@Override
	public long monotonicNanos() {
		return this.nanos.get();
	}

	/** Now, as the plugin sees it. */
	public Instant now() {
		long value = this.nanos.get();
		return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
	}

	public long epochSeconds() {
		return Math.floorDiv(this.nanos.get(), 1_000_000_000L);
	}

	/**
	 * Sets the time (backwards too); ticks are not fired, see
	 * {@link PluginTester#advance(Duration)}.
	 */
	public void set(Instant instant) {
		this.nanos.set(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
	}

	void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
