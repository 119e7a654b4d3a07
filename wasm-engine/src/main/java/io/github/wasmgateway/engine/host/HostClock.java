package io.github.wasmgateway.engine.host;

/**
 * Wall-clock and monotonic time, injected so that tests never sleep.
 */
public interface HostClock {

	long epochNanos();

	long monotonicNanos();

	HostClock SYSTEM = new HostClock() {
		@Override
		public long epochNanos() {
			java.time.Instant now = java.time.Instant.now();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		}

		@Override
		public long monotonicNanos() {
			return System.nanoTime();
		}
	};

}
