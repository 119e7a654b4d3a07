package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A guard's deadline, with the watchdog's ticks played by the test ({@code now} in
 * nanoseconds): a call is timed from the first tick that sees it, never interrupted
 * early, and an interrupt meant for one call never reaches the next. The watchdog's own
 * thread ticks once an hour here, so it never gets in the way.
 */
class CallWatchdogTests {

	final CallWatchdog watchdog = new CallWatchdog(TimeUnit.HOURS.toNanos(1));

	final CallWatchdog.Guard guard = this.watchdog.register(Thread.currentThread());

	@AfterEach
	void close() {
		this.watchdog.close();
		Thread.interrupted();
	}

	@Test
	void aCallIsInterruptedOnceItsTimeoutHasPassedSinceTheFirstTickThatSawIt() {
		this.guard.enter(100);
		this.guard.interruptIfLate(1_000);
		this.guard.interruptIfLate(1_099);
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(this.guard.timedOut()).isFalse();

		this.guard.interruptIfLate(1_100);
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(this.guard.timedOut()).isTrue();

		assertThat(this.guard.exit()).isTrue();
		// the interrupt does not outlive the call
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void aCallThatEndsInTimeIsNotInterrupted() {
		this.guard.enter(100);
		this.guard.interruptIfLate(1_000);
		assertThat(this.guard.exit()).isFalse();
		this.guard.interruptIfLate(5_000);
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(this.guard.timedOut()).isFalse();
	}

	@Test
	void theNextCallGetsItsOwnFullTimeout() {
		this.guard.enter(100);
		this.guard.interruptIfLate(1_000);
		assertThat(this.guard.exit()).isFalse();
		// a new call, seen first long after the last one was: it is timed from here
		this.guard.enter(100);
		this.guard.interruptIfLate(5_000);
		this.guard.interruptIfLate(5_099);
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		this.guard.interruptIfLate(5_100);
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(this.guard.exit()).isTrue();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();

		// and the call after a timed-out one starts clean
		this.guard.enter(100);
		assertThat(this.guard.timedOut()).isFalse();
		assertThat(this.guard.exit()).isFalse();
	}

	@Test
	void anIdleGuardIsNeverInterrupted() {
		this.guard.interruptIfLate(0);
		this.guard.interruptIfLate(Long.MAX_VALUE / 2);
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(this.guard.timedOut()).isFalse();
	}

}
