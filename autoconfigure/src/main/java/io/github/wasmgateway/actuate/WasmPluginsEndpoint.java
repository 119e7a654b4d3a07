package io.github.wasmgateway.actuate;

import io.github.wasmgateway.actuate.flame.FlameGraphFormat;
import io.github.wasmgateway.actuate.flame.FlameGraphs;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.PluginFootprint;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.service.ServiceHandle;
import io.github.wasmgateway.service.WasmServiceRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/wasmplugins}: every plugin and service plugin (kind {@code plugin} or
 * {@code service}), its binary, mode, routes, VMs, failures and last reload;
 * {@code /actuator/wasmplugins/{name}} one of them; a POST there forces a reload;
 * {@code /actuator/wasmplugins/{name}/flamegraph?seconds=N} samples its code for N
 * seconds and answers a flame graph. Plugin configurations are never shown (they hold
 * keys and passwords).
 */
@Endpoint(id = "wasmplugins")
public class WasmPluginsEndpoint {

	private final WasmPluginRegistry registry;

	private final WasmServiceRegistry services;

	private final FlameGraphs flameGraphs = new FlameGraphs();

	public WasmPluginsEndpoint(WasmPluginRegistry registry, WasmServiceRegistry services) {
		this.registry = registry;
		this.services = services;
	}

	@ReadOperation
	public Map<String, PluginReport> plugins() {
		Map<String, PluginReport> plugins = new LinkedHashMap<>();
		this.registry.plugins().forEach((name, handle) -> plugins.put(name, report(handle)));
		this.services.services().forEach((name, handle) -> plugins.put(name, report(handle)));
		return plugins;
	}

	@ReadOperation
	public PluginReport plugin(@Selector String name) {
		PluginHandle handle = this.registry.plugin(name);
		if (handle != null) {
			return report(handle);
		}
		ServiceHandle service = this.services.service(name);
		return (service != null) ? report(service) : null;
	}

	/**
	 * {@code GET /actuator/wasmplugins/{name}/flamegraph?seconds=N} (default 10, at most
	 * {@value FlameGraphs#MAX_SECONDS}): where the plugin's code spends its time over the
	 * next N seconds, as an HTML flame graph or (for {@code Accept: text/plain})
	 * collapsed stacks. 404 for an unknown plugin, 400 for N out of range, 409 while
	 * another recording of the same plugin is under way.
	 */
	@ReadOperation(producesFrom = FlameGraphFormat.class)
	public WebEndpointResponse<String> flameGraph(@Selector String name, @Selector String view, FlameGraphFormat format,
			@Nullable Integer seconds) throws InterruptedException {
		CompiledPlugin plugin = compiledPlugin(name);
		if (plugin == null || !"flamegraph".equals(view)) {
			return new WebEndpointResponse<>("no plugin '" + name + "' with a view '" + view + "'\n",
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		int duration = (seconds != null) ? seconds : 10;
		if (duration < 1 || duration > FlameGraphs.MAX_SECONDS) {
			return new WebEndpointResponse<>(
					"seconds must be between 1 and " + FlameGraphs.MAX_SECONDS + ", not " + duration + "\n",
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		Map<String, Long> stacks = this.flameGraphs.record(name, plugin, duration);
		if (stacks == null) {
			return new WebEndpointResponse<>(
					"a flame graph of plugin '" + name + "' is being recorded already; ask again when it is done\n",
					409);
		}
		String body = switch (format) {
			case COLLAPSED -> FlameGraphs.collapsed(stacks);
			case HTML -> FlameGraphs.html("wasm plugin " + name + " (" + plugin.mode().name().toLowerCase() + "), "
					+ stacks.values().stream().mapToLong(Long::longValue).sum() + " samples in " + duration + " s",
					stacks);
		};
		return new WebEndpointResponse<>(body, format);
	}

	private CompiledPlugin compiledPlugin(String name) {
		PluginHandle handle = this.registry.plugin(name);
		if (handle != null) {
			return handle.current().plugin().compiled();
		}
		ServiceHandle service = this.services.service(name);
		return (service != null) ? service.current().plugin().compiled() : null;
	}

	/**
	 * Loads the plugin's (or service's) binary again and swaps it in if it builds and
	 * configures.
	 */
	@WriteOperation
	public ReloadReport reload(@Selector String name) {
		if (this.registry.plugin(name) != null) {
			return ReloadReport.of(this.registry.reload(name, true));
		}
		if (this.services.service(name) != null) {
			return ReloadReport.of(this.services.reload(name, true));
		}
		return null;
	}

	static PluginReport report(PluginHandle handle) {
		return report("plugin", handle.current().plugin(),
				handle.definition().failurePolicy().name().toLowerCase().replace('_', '-'), handle.routes(),
				handle.lastReload());
	}

	static PluginReport report(ServiceHandle handle) {
		return report("service", handle.current().plugin(), null, List.of(), handle.lastReload());
	}

	private static PluginReport report(String kind, Plugin plugin, String failurePolicy, List<String> routes,
			PluginHandle.Reload lastReload) {
		CompiledPlugin compiled = plugin.compiled();
		List<FailureReport> failures = plugin.recentFailures().stream().map(FailureReport::of).toList();
		List<VmInfo> vms = plugin.vms();
		PluginFootprint.Figures footprint = plugin.footprint().latest();
		return new PluginReport(kind, compiled.origin(), compiled.sha256(), compiled.size(),
				compiled.profile().abiVersion().exportName(), compiled.mode().name().toLowerCase(),
				compiled.interpretedFunctions(), footprint.retainedHeapBytes(),
				Math.round(footprint.heapToBinaryRatio() * 100) / 100.0,
				(footprint.metaspaceBytes() >= 0) ? footprint.metaspaceBytes() : null, failurePolicy, routes,
				plugin.cpuNanos(), vms.stream().mapToLong(VmInfo::memoryBytes).sum(), vms, plugin.failureCount(),
				plugin.rebuildCount(), failures, ReloadReport.of(lastReload));
	}

	/**
	 * One plugin or service plugin, as the endpoint shows it (a service has no routes and
	 * no failure policy). {@code cpuNanos} is the CPU time of its calls in this version
	 * (sampled), {@code vmMemoryBytes} the linear memory of its VMs alive now;
	 * {@code retainedHeapBytes} the heap it retains besides that linear memory, measured
	 * when first asked and again once a minute old ({@link PluginFootprint}: a walk of a
	 * large interpreted plugin costs about a second of CPU, too much for every read),
	 * {@code heapToBinaryRatio} that over {@code size}, {@code metaspaceBytes} the
	 * metaspace of its runtime-compiled classes (0 when interpreted, null when
	 * precompiled: those classes share the application's class loader).
	 */
	public record PluginReport(String kind, String location, String sha256, int size, String abiVersion, String mode,
			int interpretedFunctions, long retainedHeapBytes, double heapToBinaryRatio, Long metaspaceBytes,
			String failurePolicy, List<String> routes, long cpuNanos, long vmMemoryBytes, List<VmInfo> vms, long traps,
			long rebuilds, List<FailureReport> recentTraps, ReloadReport lastReload) {
	}

	/**
	 * One failed call: when, where (route; the callback, and its phase as the
	 * {@code phase} tag of {@code wasm.plugin.failures} names it), what, and the Wasm
	 * stack.
	 */
	public record FailureReport(Instant time, String route, String phase, String callback, String kind, String message,
			List<String> wasmStack) {

		private static final String CALLBACK_PREFIX = "proxy_on_";

		static FailureReport of(PluginFailure failure) {
			String callback = failure.callback();
			String phase = (callback != null && callback.startsWith(CALLBACK_PREFIX))
					? callback.substring(CALLBACK_PREFIX.length()) : callback;
			return new FailureReport(failure.time(), failure.route(), phase, callback, failure.kind().name(),
					failure.message(), failure.wasmStack());
		}

	}

	/** The outcome of the last reload. */
	public record ReloadReport(Instant time, String result, String error) {

		static ReloadReport of(PluginHandle.Reload reload) {
			return (reload != null)
					? new ReloadReport(reload.time(), reload.succeeded() ? "success" : "failure", reload.error())
					: null;
		}

	}

}
