package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.host.HostClock;
import io.github.wasmgateway.engine.internal.HeapWalker;
import io.github.wasmgateway.engine.internal.Metaspace;
import io.github.wasmgateway.engine.internal.PluginBoundary;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a loaded plugin costs the JVM, measured: the heap it retains (its module model,
 * machine factory, VMs with their instances, contexts and buffers; not the linear memory
 * of its VMs, which {@link VmInfo#memoryBytes()} reports) and the metaspace of its
 * generated classes. The heap is measured by walking the plugin's own object graph from
 * the {@link Plugin}, stopping at what it shares with other plugins and the host
 * ({@link PluginBoundary}). A walk takes milliseconds (more for a large interpreted
 * module), so figures are measured when first asked for, again whenever
 * {@link #measure()} is called, and by {@link #latest()} once they are older than a
 * minute; never on the request path.
 */
public final class PluginFootprint {

	private static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final Plugin plugin;

	private final HostClock clock;

	private final HeapWalker walker;

	private Figures latest;

	private long measuredNanos;

	PluginFootprint(Plugin plugin, HostClock clock) {
		this.plugin = plugin;
		this.clock = clock;
		this.walker = new HeapWalker(new PluginBoundary(plugin.compiled().module().compiledClassPrefix()));
	}

	/** Measures now. */
	public synchronized Figures measure() {
		CompiledPlugin compiled = this.plugin.compiled();
		long heap = this.walker.retainedBytes(this.plugin);
		long metaspace = switch (compiled.mode()) {
			case AOT -> Metaspace.committedBytes(compiled.module().compiledClassPrefix());
			case INTERPRETER -> 0;
			// the application's class loader holds them with everything else
			case PRECOMPILED -> -1;
		};
		this.latest = new Figures(heap, metaspace, compiled.size());
		this.measuredNanos = this.clock.monotonicNanos();
		return this.latest;
	}

	/**
	 * What the plugin retains now, class by class, largest first: a diagnosis (a walk
	 * each call), not a figure for the endpoint.
	 */
	public List<ClassBytes> byClass() {
		return this.walker.bytesByClass(this.plugin);
	}

	/** The last figures, measured again when there are none or they are a minute old. */
	public synchronized Figures latest() {
		if (this.latest == null || this.clock.monotonicNanos() - this.measuredNanos >= MAX_AGE_NANOS) {
			return measure();
		}
		return this.latest;
	}

	/**
	 * One measurement. {@code retainedHeapBytes} excludes linear memory;
	 * {@code metaspaceBytes} is what HotSpot committed for the plugin's own class loader
	 * (runtime-compiled), 0 for an interpreted plugin (no generated classes), -1 when it
	 * cannot be told apart (precompiled classes live in the application's class loader).
	 */
	public record Figures(long retainedHeapBytes, long metaspaceBytes, int binaryBytes) {

		/** Retained heap over the binary's size. */
		public double heapToBinaryRatio() {
			return (this.binaryBytes > 0) ? (double) this.retainedHeapBytes / this.binaryBytes : 0;
		}

	}

	/**
	 * Bytes and count of one class's objects in a walk (arrays by their component type).
	 */
	public record ClassBytes(String className, long bytes, long count) {
	}

}
