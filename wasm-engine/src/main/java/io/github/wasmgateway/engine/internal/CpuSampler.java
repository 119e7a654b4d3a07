package io.github.wasmgateway.engine.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Measures the thread CPU time of one VM's guest calls: about one call in {@code oneIn},
 * counted {@code oneIn} times, so that totals are right on average while most calls skip
 * the thread clock, which costs far more than a small plugin call. The gap to the next
 * measured call is drawn at random (uniform in 1 to {@code 2 * oneIn - 1}, mean
 * {@code oneIn}): a fixed stride would measure the same phase of every request. A call
 * that is not measured costs one decrement. The clock's own cost, which a measured call
 * would otherwise be charged (a read costs about 1.5 µs on some machines, ten times a
 * small callback), is measured once and subtracted. Used by the VM's own thread only.
 */
public final class CpuSampler {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported()
			&& THREADS.isThreadCpuTimeEnabled();

	/** What two reads of the clock in a row measure: charged to no call. */
	private static final long CLOCK_COST = SUPPORTED ? clockCost() : 0;

	private final int oneIn;

	/** xorshift state: a random draw without allocation or shared state. */
	private int seed;

	/** Calls until the next measured one. */
	private int countdown;

	/**
	 * Whether this JVM measures thread CPU time. The first call loads the JVM's thread
	 * management bean (about 75 ms here) and measures the clock: the engine makes it at
	 * start-up, so that no VM build or guest call, each under a deadline, pays it.
	 */
	public static boolean available() {
		return SUPPORTED;
	}

	CpuSampler(int oneIn) {
		this.oneIn = SUPPORTED ? oneIn : 0;
		this.seed = System.identityHashCode(this) | 1;
		this.countdown = nextGap();
	}

	/** The thread's CPU time now when this call is measured, else -1. */
	long start() {
		if (--this.countdown > 0) {
			return -1;
		}
		this.countdown = nextGap();
		return (this.oneIn > 0) ? THREADS.getCurrentThreadCpuTime() : -1;
	}

	/** The CPU time that the measured call begun at {@code started} stands for. */
	long end(long started) {
		return Math.max(0, THREADS.getCurrentThreadCpuTime() - started - CLOCK_COST) * this.oneIn;
	}

	private int nextGap() {
		if (this.oneIn <= 1) {
			return (this.oneIn == 1) ? 1 : Integer.MAX_VALUE;
		}
		int x = this.seed;
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		this.seed = x;
		return 1 + Integer.remainderUnsigned(x, 2 * this.oneIn - 1);
	}

	/**
	 * The median of a few differences between two reads in a row: what a measured call
	 * typically pays for the clock (the least would leave most of it charged).
	 */
	private static long clockCost() {
		long[] costs = new long[31];
		for (int i = 0; i < costs.length; i++) {
			long first = THREADS.getCurrentThreadCpuTime();
			costs[i] = THREADS.getCurrentThreadCpuTime() - first;
		}
		Arrays.sort(costs);
		return Math.max(0, costs[costs.length / 2]);
	}

}
