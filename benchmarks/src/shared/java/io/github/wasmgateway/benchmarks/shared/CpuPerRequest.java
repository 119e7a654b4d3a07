package io.github.wasmgateway.benchmarks.shared;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A benchmark state that prints, after each iteration, the CPU time of the benchmark
 * thread per request: on a busy machine JMH's average time also counts the waits for a
 * core, this does not. The benchmark calls {@link #request()} once per request. Shared by
 * the benchmarks of both hosts (compiled into each module: they run on different
 * Chicory versions).
 */
public abstract class CpuPerRequest {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private long requests;

	private long cpuAtStart;

	private long pluginCpuAtStart;

	@Setup(Level.Iteration)
	public void startCpu() {
		this.requests = 0;
		this.cpuAtStart = threads.getCurrentThreadCpuTime();
		this.pluginCpuAtStart = pluginCpuNanos();
	}

	@TearDown(Level.Iteration)
	public void printCpu() {
		long cpu = threads.getCurrentThreadCpuTime() - this.cpuAtStart;
		long pluginCpu = pluginCpuNanos() - this.pluginCpuAtStart;
		System.out.printf("cpu: %.1f ns/request%s%n", perRequest(cpu),
				(this.pluginCpuAtStart >= 0) ? String.format(", host's plugin CPU meter: %.1f ns/request",
						perRequest(pluginCpu)) : "");
	}

	private double perRequest(long nanos) {
		return (this.requests > 0) ? (double) nanos / this.requests : 0.0;
	}

	/**
	 * What the host's own CPU meter charged the plugin so far, to set against the
	 * thread's CPU time; -1 for a host without one.
	 */
	protected long pluginCpuNanos() {
		return -1;
	}

	protected final void request() {
		this.requests++;
	}

}
