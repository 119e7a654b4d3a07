package io.github.wasmgateway.actuate;

import io.github.wasmgateway.engine.PluginFootprint;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.gateway.ExchangeObserver;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of the plugins, tagged {@code plugin}, {@code route}, {@code phase}:
 * call latency, plugin time and CPU time per request, failures, local responses by status
 * (per route); CPU time, VM memory (all VMs and the largest), retained heap and
 * metaspace, VMs, active streams, traps, VM rebuilds and reloads (per plugin). The
 * per-plugin meters read the plugin's current version, so a reload replaces what they
 * measure without new meters.
 */
public final class WasmPluginMeters implements ExchangeObserver {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final MeterRegistry meters;

	public WasmPluginMeters(WasmPluginRegistry plugins, MeterRegistry registry) {
		this.meters = registry;
		plugins.plugins().values().forEach(this::register);
		plugins.addListener(new WasmPluginRegistry.Listener() {

			@Override
			public void added(PluginHandle plugin) {
				register(plugin);
			}

			@Override
			public void removed(PluginHandle plugin) {
				Tag tag = Tag.of("plugin", plugin.name());
				for (Meter meter : List.copyOf(registry.getMeters())) {
					if (meter.getId().getName().startsWith("wasm.plugin.") && meter.getId().getTags().contains(tag)) {
						registry.remove(meter);
					}
				}
			}

		});
	}

	private void register(PluginHandle handle) {
		MeterRegistry registry = this.meters;
		Tags tags = Tags.of("plugin", handle.name());
		gauge(registry, "wasm.plugin.vm.memory", "Linear memory of the plugin's VMs", "bytes", tags, handle,
				(h) -> h.current().plugin().vms().stream().mapToLong(VmInfo::memoryBytes).sum());
		FunctionCounter
			.builder("wasm.plugin.cpu", handle, (h) -> h.current().plugin().cpuNanos() / (double) NANOS_PER_SECOND)
			.description("CPU time of the plugin's calls on every VM (sampled), in its current version")
			.baseUnit("seconds")
			.tags(tags)
			.register(registry);
		gauge(registry, "wasm.plugin.vm.memory.max", "Linear memory of the plugin's largest VM", "bytes", tags, handle,
				(h) -> h.current().plugin().vms().stream().mapToLong(VmInfo::memoryBytes).max().orElse(0));
		gauge(registry, "wasm.plugin.heap.retained",
				"Heap the plugin retains besides linear memory (module model, VMs), "
						+ "measured at most once a minute",
				"bytes", tags, handle, (h) -> h.current().plugin().footprint().latest().retainedHeapBytes());
		gauge(registry, "wasm.plugin.metaspace",
				"Metaspace of the plugin's runtime-compiled classes (0 when interpreted, NaN when precompiled)",
				"bytes", tags, handle, (h) -> metaspace(h.current().plugin().footprint().latest()));
		gauge(registry, "wasm.plugin.vms", "VMs of the plugin", null, tags, handle,
				(h) -> h.current().plugin().vms().size());
		gauge(registry, "wasm.plugin.streams.active", "Streams open in the plugin", null, tags, handle,
				(h) -> h.current().plugin().vms().stream().mapToInt(VmInfo::activeStreams).sum());
		FunctionCounter.builder("wasm.plugin.traps", handle, (h) -> h.current().plugin().failureCount())
			.description("Failed calls into the plugin (traps, timeouts, memory cap), in its current version")
			.tags(tags)
			.register(registry);
		FunctionCounter.builder("wasm.plugin.vm.rebuilds", handle, (h) -> h.current().plugin().rebuildCount())
			.description("VMs rebuilt after a failure or to shed memory, in the current version")
			.tags(tags)
			.register(registry);
		for (boolean succeeded : new boolean[] { true, false }) {
			FunctionCounter.builder("wasm.plugin.reloads", handle, (h) -> h.reloads(succeeded))
				.description("Hot reloads of the plugin")
				.tags(tags.and("result", succeeded ? "success" : "failure"))
				.register(registry);
		}
	}

	private static double metaspace(PluginFootprint.Figures figures) {
		return (figures.metaspaceBytes() >= 0) ? figures.metaspaceBytes() : Double.NaN;
	}

	private static void gauge(MeterRegistry registry, String name, String description, String unit, Tags tags,
			PluginHandle handle, ToDoubleFunction<PluginHandle> value) {
		Gauge.builder(name, handle, value).description(description).baseUnit(unit).tags(tags).register(registry);
	}

	@Override
	public RouteObserver forRoute(String plugin, String route) {
		return new RouteMeters(this.meters, Tags.of("plugin", plugin, "route", route));
	}

	/** The meters of one plugin on one route, resolved once. */
	private static final class RouteMeters implements RouteObserver {

		private final MeterRegistry registry;

		private final Tags tags;

		private final Map<Phase, Timer> calls = new EnumMap<>(Phase.class);

		private final Timer requestTime;

		private final Timer requestCpu;

		private final Map<Integer, Counter> localResponses = new ConcurrentHashMap<>();

		private final Map<String, Counter> failures = new ConcurrentHashMap<>();

		RouteMeters(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
			for (Phase phase : Phase.values()) {
				this.calls.put(phase,
						Timer.builder("wasm.plugin.call")
							.description("Latency of one call into the plugin")
							.tags(tags.and("phase", phase.tag()))
							.register(registry));
			}
			this.requestTime = Timer.builder("wasm.plugin.request.time")
				.description("Worker time spent inside the plugin for one request (all its calls)")
				.tags(tags)
				.register(registry);
			this.requestCpu = Timer.builder("wasm.plugin.request.cpu")
				.description("CPU time of the plugin's calls for one request, callout callbacks included "
						+ "(sampled: the total and mean are right, a single request's value is not)")
				.tags(tags)
				.register(registry);
		}

		@Override
		public void call(Phase phase, long nanos) {
			this.calls.get(phase).record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void request(long workerNanos, long cpuNanos) {
			this.requestTime.record(workerNanos, TimeUnit.NANOSECONDS);
			this.requestCpu.record(cpuNanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void localResponse(int status) {
			this.localResponses
				.computeIfAbsent(status,
						(code) -> Counter.builder("wasm.plugin.local.responses")
							.description("Answers the plugin sent itself, by status")
							.tags(this.tags.and("status", Integer.toString(code)))
							.register(this.registry))
				.increment();
		}

		@Override
		public void failure(Phase phase, String kind) {
			this.failures
				.computeIfAbsent(phase.tag() + "/" + kind,
						(key) -> Counter.builder("wasm.plugin.failures")
							.description("Requests whose plugin call failed, by phase and kind")
							.tags(this.tags.and("phase", phase.tag(), "kind", kind))
							.register(this.registry))
				.increment();
		}

	}

}
