package io.github.wasmgateway.engine.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces call deadlines: one daemon thread looks at every VM's {@link Guard} a few
 * times per millisecond-scale tick and interrupts a worker whose call ran past its
 * deadline (Chicory checks the interrupt flag on loops and calls). The per-call cost on
 * the worker is two volatile writes and a CAS; there is no lock on that path.
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
	 * The deadline of the call a VM is in. States: idle, running, interrupting,
	 * interrupted. A worker leaving a call either moves running to idle, or waits for the
	 * watchdog to finish interrupting and then clears the interrupt flag, so no interrupt
	 * ever leaks onto the worker thread after the call.
	 */
	static final class Guard {

		private static final int IDLE = 0;

		private static final int RUNNING = 1;

		private static final int INTERRUPTING = 2;

		private static final int INTERRUPTED = 3;

		private final Thread owner;

		private final AtomicInteger state = new AtomicInteger(IDLE);

		private volatile long deadline;

		private boolean timedOut;

		Guard(Thread owner) {
			this.owner = owner;
		}

		void enter(long timeoutNanos) {
			this.timedOut = false;
			this.deadline = System.nanoTime() + timeoutNanos;
			this.state.set(RUNNING);
		}

		/** Leaves the call; returns whether it was interrupted for its deadline. */
		boolean exit() {
			if (this.state.compareAndSet(RUNNING, IDLE)) {
				return this.timedOut;
			}
			while (this.state.get() == INTERRUPTING) {
				Thread.onSpinWait();
			}
			Thread.interrupted();
			this.timedOut = true;
			this.state.set(IDLE);
			return true;
		}

		boolean timedOut() {
			return this.timedOut || this.state.get() >= INTERRUPTING;
		}

		void interruptIfLate(long now) {
			if (this.state.get() == RUNNING && now - this.deadline > 0
					&& this.state.compareAndSet(RUNNING, INTERRUPTING)) {
				this.owner.interrupt();
				this.state.set(INTERRUPTED);
			}
		}

	}

}
