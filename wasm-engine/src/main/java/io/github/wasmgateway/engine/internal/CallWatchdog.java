package io.github.wasmgateway.engine.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces call deadlines: one daemon thread looks at every VM's {@link Guard} once per
 * tick and interrupts a worker whose call ran past its deadline (Chicory checks the
 * interrupt flag on loops and calls). The per-call cost on the worker is one ordered
 * (release) write and one CAS: no clock read, no lock, no allocation.
 */
public final class CallWatchdog implements AutoCloseable {

	private final CopyOnWriteArrayList<Guard> guards = new CopyOnWriteArrayList<>();

	private final long tickNanos;

	private final Thread thread;

	private volatile boolean running = true;

	public CallWatchdog(long tickNanos) {
		this.tickNanos = tickNanos;
		this.thread = new Thread(this::watch, "wasm-call-watchdog");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	Guard register(Thread owner) {
		Guard guard = new Guard(owner);
		this.guards.add(guard);
		return guard;
	}

	void unregister(Guard guard) {
		this.guards.remove(guard);
	}

	private void watch() {
		while (this.running) {
			LockSupport.parkNanos(this.tickNanos);
			long now = System.nanoTime();
			for (Guard guard : this.guards) {
				guard.interruptIfLate(now);
			}
		}
	}

	@Override
	public void close() {
		this.running = false;
		LockSupport.unpark(this.thread);
	}

	/**
	 * The deadline of the call a VM is in. The worker reads no clock: each call gets a
	 * number, and the watchdog times a call from the first tick that sees it running, so
	 * a call is interrupted after at least its timeout and at most two ticks more (plus
	 * whatever keeps the watchdog from running), never early. States: idle, running,
	 * interrupting, interrupted, in the low bits of one word with the call's number, so
	 * the watchdog's CAS can only hit the call it timed. A worker leaving a call either
	 * moves running to idle, or waits for the watchdog to finish interrupting and then
	 * clears the interrupt flag, so no interrupt ever leaks onto the worker thread after
	 * the call.
	 */
	static final class Guard {

		private static final long IDLE = 0;

		private static final long RUNNING = 1;

		private static final long INTERRUPTING = 2;

		private static final long INTERRUPTED = 3;

		private static final long PHASE = 3;

		/** Added to the word per call: the number lives above the state bits. */
		private static final long NEXT_CALL = 4;

		private final Thread owner;

		/** The call's number and state. */
		private final AtomicLong word = new AtomicLong(IDLE);

		/** The number of the worker's latest call (its word without state bits). */
		private long call;

		/** Written before the release of RUNNING, so the watchdog reads it after it. */
		private long timeoutNanos;

		private boolean timedOut;

		/** The watchdog's own: the running call it saw last, and since when. */
		private long watchedWord = -1;

		private long watchedSince;

		Guard(Thread owner) {
			this.owner = owner;
		}

		/**
		 * Enters a call. Only the worker leaves IDLE, and the watchdog acts on RUNNING
		 * only, so a release write will do: the watchdog sees the call at worst a moment
		 * late.
		 */
		void enter(long timeoutNanos) {
			this.timedOut = false;
			this.timeoutNanos = timeoutNanos;
			this.call += NEXT_CALL;
			this.word.lazySet(this.call | RUNNING);
		}

		/**
		 * Leaves the call; returns whether it was interrupted for its deadline. The CAS
		 * orders leaving against an interrupt the watchdog may be starting.
		 */
		boolean exit() {
			if (this.word.compareAndSet(this.call | RUNNING, this.call | IDLE)) {
				return this.timedOut;
			}
			while (this.word.get() == (this.call | INTERRUPTING)) {
				Thread.onSpinWait();
			}
			Thread.interrupted();
			this.timedOut = true;
			this.word.set(this.call | IDLE);
			return true;
		}

		boolean timedOut() {
			return this.timedOut || (this.word.get() & PHASE) >= INTERRUPTING;
		}

		/** Called by the watchdog thread only. */
		void interruptIfLate(long now) {
			long seen = this.word.get();
			if ((seen & PHASE) != RUNNING) {
				return;
			}
			if (seen != this.watchedWord) {
				this.watchedWord = seen;
				this.watchedSince = now;
				return;
			}
			long interrupting = (seen & ~PHASE) | INTERRUPTING;
			if (now - this.watchedSince >= this.timeoutNanos && this.word.compareAndSet(seen, interrupting)) {
				this.owner.interrupt();
				this.word.set((seen & ~PHASE) | INTERRUPTED);
			}
		}

	}

}
