package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.HostClock;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTests {

	final AtomicLong nanos = new AtomicLong(5_000_000_000L);

	final HostClock clock = new HostClock() {

		@Override
		public long epochNanos() {
			return LogThrottleTests.this.nanos.get();
		}

		@Override
		public long monotonicNanos() {
			return LogThrottleTests.this.nanos.get();
		}

	};

	@Test
	void oneLineAPeriodThenTheCountOfThoseHeldBack() {
		LogThrottle throttle = new LogThrottle(this.clock, 1_000_000_000L);
		assertThat(throttle.admit()).isZero();
		for (int i = 0; i < 1000; i++) {
			assertThat(throttle.admit()).isEqualTo(-1);
		}
		this.nanos.addAndGet(999_999_999L);
		assertThat(throttle.admit()).isEqualTo(-1);
		this.nanos.addAndGet(1);
		assertThat(throttle.admit()).isEqualTo(1001);
		assertThat(LogThrottle.suppressedNote(1001)).isEqualTo("; 1001 more like it since the last line");
		this.nanos.addAndGet(5_000_000_000L);
		assertThat(throttle.admit()).isZero();
		assertThat(LogThrottle.suppressedNote(0)).isEmpty();
	}

}
