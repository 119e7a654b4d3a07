package io.github.wasmgateway.engine.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Measures the thread CPU time of one VM's guest calls: at most about one call in
 * {@code oneIn}, each measured call counted as many times as the calls it stands for, so
 * that totals are right on average while most calls skip the thread clock, which costs
 * far more than a small plugin call. The gap to the next measured call is drawn at random
 * (uniform in 1 to {@code 2 * mean - 1}): a fixed stride would measure the same phase of
 * every request. The mean gap adapts to the plugin: it is {@code oneIn} for calls that
 * cost at least {@value #BUDGET} times the clock, and grows for cheaper ones (up to
 * {@value #MAX_STRETCH} times {@code oneIn}) so that reading the clock costs about
 * 1/{@value #BUDGET} of the plugin's own CPU time; a measured call counts as many times
 * as the mean of the gap that chose it, which keeps the totals unbiased. A call that is
 * not measured costs one decrement. The clock's own cost, which a measured call would
 * otherwise be charged (a read costs about 1.5-4 µs on some machines, ten times a small
 * callback), is measured once and subtracted. Used by the VM's own thread only.
 */
public final class CpuSampler {

	/** The clock may cost about this fraction (one in) of the plugin's CPU time. */
	static final int BUDGET = 32;

	/** The mean gap grows up to this many times {@code oneIn} for cheap calls. */
	static final int MAX_STRETCH = 16;

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported()
			&& THREADS.isThreadCpuTimeEnabled();

	/** What two reads of the clock in a row measure: charged to no call. */
	private static final long CLOCK_COST = SUPPORTED ? clockCost() : 0;

	private final int oneIn;

	private final LongSupplier clock;

	private final long clockCost;

	/** xorshift state: a random draw without allocation or shared state. */
	private int seed;

	/** Calls until the next measured one. */
	private int countdown;

	/** The mean of the gap being counted down: what the call that ends it stands for. */
	private int mean;

	/** A running mean of the measured calls' CPU time (ns); -1 before the first. */
	private long callNanos = -1;

	/**
	 * Whether this JVM measures thread CPU time. The first call loads the JVM's thread
	 * management bean (about 75 ms here) and measures the clock: the engine makes it at
	 * start-up, so that no VM build or guest call, each under a deadline, pays it.
	 */
	public static boolean available() {
		return SUPPORTED;
	}

	CpuSampler(int oneIn) {
		this(SUPPORTED ? oneIn : 0, THREADS::getCurrentThreadCpuTime, CLOCK_COST);
	}

	/** A sampler on the given clock, whose reads cost {@code clockCost} (tests). */
	CpuSampler(int oneIn, LongSupplier clock, long clockCost) {
		this.oneIn = oneIn;
		this.clock = clock;
		this.clockCost = clockCost;
		this.seed = System.identityHashCode(this) | 1;
		this.mean = Math.max(oneIn, 1);
		this.countdown = nextGap();
	}

	/** The thread's CPU time now when this call is measured, else -1. */
	long start() {
		if (--this.countdown > 0 || this.oneIn == 0) {
			return -1;
		}
		return this.clock.getAsLong();
	}

	/**
	 * The CPU time that the measured call begun at {@code started} stands for; draws the
	 * gap to the next measured call.
	 */
	long end(long started) {
		long nanos = Math.max(0, this.clock.getAsLong() - started - this.clockCost);
		long counted = nanos * this.mean;
		if (this.oneIn > 1) {
			// a running mean over about the last 8 measured calls
			this.callNanos = (this.callNanos < 0) ? nanos : this.callNanos + (nanos - this.callNanos) / 8;
			this.mean = adaptedMean();
		}
		this.countdown = nextGap();
		return counted;
	}

	/** Calls each measured call stands for, at most, now (what the next one counts). */
	int mean() {
		return this.mean;
	}

	/**
	 * {@code oneIn}, or more when the measured calls cost less than {@value #BUDGET}
	 * times the two clock reads a measurement makes.
	 */
	private int adaptedMean() {
		long measurement = 2 * Math.max(this.clockCost, 1);
		long wanted = BUDGET * measurement / Math.max(this.callNanos, 1);
		return (int) Math.min(Math.max(wanted, this.oneIn), (long) this.oneIn * MAX_STRETCH);
	}

	private int nextGap() {
		if (this.mean <= 1) {
			return 1;
		}
		int x = this.seed;
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		this.seed = x;
		return 1 + Integer.remainderUnsigned(x, 2 * this.mean - 1);
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
