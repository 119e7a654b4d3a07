package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.host.HostClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock the test moves by hand.
 */
final class TestClock implements HostClock {

	private final AtomicLong nanos = new AtomicLong(1_700_000_000_000_000_000L);

	@Override
	public long epochNanos() {
		return this.nanos.get();
	}

	@Override
	public long monotonicNanos() {
		return this.nanos.get();
	}

	void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	long epochSeconds() {
		return this.nanos.get() / 1_000_000_000L;
	}

}
