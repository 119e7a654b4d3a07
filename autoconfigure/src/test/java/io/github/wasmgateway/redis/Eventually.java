package io.github.wasmgateway.redis;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Polls what a test waits for (a reconnect, a failover, a copy catching up) until it
 * holds or the patience runs out, and returns the last reading for the test to assert on:
 * the tests' one poll with a deadline, no fixed sleeps.
 */
final class Eventually {

	private Eventually() {
	}

	static <T> T poll(Callable<T> read, Predicate<T> done, Duration patience, Duration interval) throws Exception {
		long deadline = System.nanoTime() + patience.toNanos();
		T value = read.call();
		while (!done.test(value) && System.nanoTime() < deadline) {
			Thread.sleep(interval.toMillis());
			value = read.call();
		}
		return value;
	}

}
