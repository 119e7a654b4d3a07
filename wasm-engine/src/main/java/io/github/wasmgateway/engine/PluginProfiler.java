package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.LoadedModule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;

/**
 * Samples where one plugin's code spends its time, for a flame graph, as collapsed stacks
 * ({@code outer;inner;leaf} and a sample count) of Wasm function names.
 * <p>
 * Compiled plugins (AOT, runtime-compiled or precompiled): JFR's
 * {@code jdk.ExecutionSample} every {@link #SAMPLING_PERIOD}, through a
 * {@link RecordingStream} open only while recording; of each sampled JVM stack, only the
 * frames of this plugin's compiled classes count, each named by the module's name
 * section; a sample without one is another plugin's or the gateway's and is dropped. When
 * the innermost frame is host code (a host function the plugin called), it ends the stack
 * as {@code package/Class.method}.
 * <p>
 * Interpreted plugins: the JVM stack shows only Chicory's interpreter loop, so a sampler
 * on the recording thread reads, every {@link #SAMPLING_PERIOD}, the function stack each
 * of the plugin's interpreter machines keeps while it runs a guest call.
 */
public final class PluginProfiler {

	/** How often a thread's stack is sampled: 100 samples a second per busy thread. */
	public static final Duration SAMPLING_PERIOD = Duration.ofMillis(10);

	private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

	/** JFR delivers what it wrote about once a second; how long to wait for the rest. */
	private static final long FLUSH_WAIT_SECONDS = 5;

	private PluginProfiler() {
	}

	/**
	 * Records {@code plugin}'s samples for {@code duration} on the calling thread (it
	 * blocks that long, and up to a few seconds more for JFR's last events).
	 * @return collapsed stacks and their sample counts, in stack order
	 */
	public static Map<String, Long> record(CompiledPlugin plugin, Duration duration) throws InterruptedException {
		LoadedModule module = plugin.module();
		Map<String, Long> stacks = new ConcurrentHashMap<>();
		if (module.compiledClassPrefix() == null) {
			sampleInterpreter(module, duration, stacks);
		}
		else {
			recordCompiled(module, duration, stacks);
		}
		return new TreeMap<>(stacks);
	}

	private static void recordCompiled(LoadedModule module, Duration duration, Map<String, Long> stacks)
			throws InterruptedException {
		try (RecordingStream stream = new RecordingStream()) {
			stream.enable(EXECUTION_SAMPLE).withPeriod(SAMPLING_PERIOD).withStackTrace();
			Instant end = Instant.now().plus(duration);
			stream.onEvent(EXECUTION_SAMPLE, (event) -> {
				if (!event.getStartTime().isAfter(end)) {
					String stack = collapse(module, event);
					if (stack != null) {
						stacks.merge(stack, 1L, Long::sum);
					}
				}
			});
			Semaphore flushes = new Semaphore(0);
			stream.onFlush(flushes::release);
			stream.startAsync();
			Thread.sleep(duration.toMillis());
			// the second flush read after the end was written after it
			flushes.drainPermits();
			flushes.tryAcquire(2, FLUSH_WAIT_SECONDS, TimeUnit.SECONDS);
		}
	}

	/**
	 * The sample's stack as {@code outer;inner}, or null when no frame is the plugin's.
	 */
	private static String collapse(LoadedModule module, RecordedEvent event) {
		if (event.getStackTrace() == null) {
			return null;
		}
		List<RecordedFrame> frames = event.getStackTrace().getFrames();
		StringBuilder stack = new StringBuilder();
		int innermost = -1;
		// JFR lists the innermost frame first
		for (int i = frames.size() - 1; i >= 0; i--) {
			RecordedFrame frame = frames.get(i);
			if (frame.isJavaFrame()) {
				RecordedMethod method = frame.getMethod();
				String function = module.wasmFunctionOf(method.getType().getName(), method.getName());
				if (function != null) {
					append(stack, function);
					innermost = i;
				}
			}
		}
		if (innermost < 0) {
			return null;
		}
		if (innermost > 0) {
			RecordedMethod leaf = frames.get(0).getMethod();
			append(stack, leaf.getType().getName().replace('.', '/') + "." + leaf.getName());
		}
		return stack.toString();
	}

	private static void sampleInterpreter(LoadedModule module, Duration duration, Map<String, Long> stacks)
			throws InterruptedException {
		long period = SAMPLING_PERIOD.toNanos();
		long start = System.nanoTime();
		long next = start;
		while (next - start < duration.toNanos()) {
			for (int[] functions : module.interpretedStacks().sample()) {
				StringBuilder stack = new StringBuilder();
				for (int function : functions) {
					append(stack, module.names().describe(function));
				}
				stacks.merge(stack.toString(), 1L, Long::sum);
			}
			next += period;
			TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
		}
	}

	/**
	 * Adds a frame; the collapsed format separates frames with {@code ;} and ends a line
	 * with a space and the count, so a name keeps neither a {@code ;} nor a line break.
	 */
	private static void append(StringBuilder stack, String frame) {
		if (!stack.isEmpty()) {
			stack.append(';');
		}
		for (int i = 0; i < frame.length(); i++) {
			char c = frame.charAt(i);
			stack.append((c == ';' || c == '\n' || c == '\r') ? '_' : c);
		}
	}

}
