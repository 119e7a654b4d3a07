package io.github.wasmgateway.benchmarks;

import io.github.wasmgateway.engine.ExecutionMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * {@link FullRequestBenchmark}'s full request (AOT) and its {@code plainJava} floor in
 * one JVM, alternating every eighth of a second: prints, per round, the thread CPU time
 * per operation of each and their ratio. On this shared machine the speed of a core moves
 * by up to 2x from minute to minute and both move together, so the ratio shows what is
 * the request's own (the JIT's shape of this JVM) and what is the machine's
 * (docs/performance.md, "Why the same jar settles at different levels").
 * {@code chicoryFloor} is left out: it would share Chicory's export classes, and so their
 * profiles, with the request.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.wasmgateway.benchmarks.FullRequestInterleaved [cpuSampling] [rounds]
 * </pre>
 */
public final class FullRequestInterleaved {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private static final long SLICE_NANOS = 125_000_000L;

	private static final int SLICES_PER_ROUND = 4;

	private static long sink;

	private FullRequestInterleaved() {
	}

	public static void main(String[] args) throws IOException {
		FullRequestBenchmark benchmark = new FullRequestBenchmark();
		benchmark.mode = ExecutionMode.AOT;
		benchmark.cpuSampling = (args.length > 0) ? Integer.parseInt(args[0]) : 256;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 40;
		benchmark.start();
		try {
			for (int round = 1; round <= rounds; round++) {
				double full = 0;
				double plain = 0;
				for (int slice = 0; slice < SLICES_PER_ROUND; slice++) {
					full += cpuPerOperation(() -> benchmark.fullRequest().hashCode());
					plain += cpuPerOperation(() -> benchmark.plainJava().hashCode());
				}
				System.out.printf(
						"round %3d: CPU ns/op fullRequest %6.0f, plainJava %5.0f, fullRequest/plainJava %.1f%n", round,
						full / SLICES_PER_ROUND, plain / SLICES_PER_ROUND, full / plain);
			}
		}
		finally {
			benchmark.stop();
		}
		if (sink == 42) {
			System.out.println();
		}
	}

	/** Runs the operation for one slice; the thread's CPU time per operation. */
	private static double cpuPerOperation(LongSupplier operation) {
		long operations = 0;
		long cpuAtStart = threads.getCurrentThreadCpuTime();
		long end = System.nanoTime() + SLICE_NANOS;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 1000; i++) {
				sink += operation.getAsLong();
			}
			operations += 1000;
		}
		return (double) (threads.getCurrentThreadCpuTime() - cpuAtStart) / operations;
	}

}
