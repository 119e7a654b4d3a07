package io.github.wasmgateway.engine.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Measures the thread CPU time of one VM's guest calls: one call in {@code oneIn}, chosen
 * at random (a fixed stride would measure the same phase of every request), counted
 * {@code oneIn} times, so that totals are right on average while most calls skip the
 * thread clock, which costs far more than a small plugin call. Used by the VM's own
 * thread only.
 */
public final class CpuSampler {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported()
			&& THREADS.isThreadCpuTimeEnabled();

	private final int oneIn;

	/** xorshift state: a random draw without allocation or shared state. */
	private int seed;

	/**
	 * Whether this JVM measures thread CPU time. The first call loads the JVM's thread
	 * management bean (about 75 ms here): the engine makes it at start-up, so that no VM
	 * build or guest call, each under a deadline, pays it.
	 */
	public static boolean available() {
		return SUPPORTED;
	}

	CpuSampler(int oneIn) {
		this.oneIn = SUPPORTED ? oneIn : 0;
		this.seed = System.identityHashCode(this) | 1;
	}

	/** The thread's CPU time now when this call is measured, else -1. */
	long start() {
		if (this.oneIn == 0) {
			return -1;
		}
		if (this.oneIn > 1) {
			int x = this.seed;
			x ^= x << 13;
			x ^= x >>> 17;
			x ^= x << 5;
			this.seed = x;
			if (Integer.remainderUnsigned(x, this.oneIn) != 0) {
				return -1;
			}
		}
		return THREADS.getCurrentThreadCpuTime();
	}

	/** The CPU time that the measured call begun at {@code started} stands for. */
	long end(long started) {
		return Math.max(0, THREADS.getCurrentThreadCpuTime() - started) * this.oneIn;
	}

}
