package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.host.HostClock;

/**
 * Lets one log line through per period and counts the ones it holds back, so that a
 * failure repeated thousands of times a second is logged about once a second with a count
 * (as Envoy's periodic log macros and Netty's rate-limited loggers do), never thousands
 * of lines.
 */
public final class LogThrottle {

	private final HostClock clock;

	private final long periodNanos;

	private boolean started;

	private long nextNanos;

	private long suppressed;

	public LogThrottle(HostClock clock, long periodNanos) {
		this.clock = clock;
		this.periodNanos = periodNanos;
	}

	/**
	 * Whether to log now: the number of lines held back since the last one let through,
	 * or -1 to hold this one back too.
	 */
	public synchronized long admit() {
		long now = this.clock.monotonicNanos();
		if (this.started && now - this.nextNanos < 0) {
			this.suppressed++;
			return -1;
		}
		this.started = true;
		this.nextNanos = now + this.periodNanos;
		long held = this.suppressed;
		this.suppressed = 0;
		return held;
	}

	/** Text to append to a line let through after {@code suppressed} were held back. */
	public static String suppressedNote(long suppressed) {
		return (suppressed > 0) ? "; " + suppressed + " more like it since the last line" : "";
	}

}
