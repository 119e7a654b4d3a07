package io.github.wasmgateway.actuate;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.service.ServiceHandle;
import io.github.wasmgateway.service.WasmServiceRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/wasmplugins}: every plugin and service plugin (kind {@code plugin} or
 * {@code service}), its binary, mode, routes, VMs, failures and last reload;
 * {@code /actuator/wasmplugins/{name}} one of them; a POST there forces a reload. Plugin
 * configurations are never shown (they hold keys and passwords).
 */
@Endpoint(id = "wasmplugins")
public class WasmPluginsEndpoint {

	private final WasmPluginRegistry registry;

	private final WasmServiceRegistry services;

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
		return new PluginReport(kind, compiled.origin(), compiled.sha256(), compiled.size(),
				compiled.profile().abiVersion().exportName(), compiled.mode().name().toLowerCase(),
				compiled.interpretedFunctions(), compiled.retainedBytesEstimate(), failurePolicy, routes,
				plugin.cpuNanos(), vms.stream().mapToLong(VmInfo::memoryBytes).sum(), vms, plugin.failureCount(),
				plugin.rebuildCount(), failures, ReloadReport.of(lastReload));
	}

	/**
	 * One plugin or service plugin, as the endpoint shows it (a service has no routes and
	 * no failure policy). {@code cpuNanos} is the CPU time of its calls in this version
	 * (sampled), {@code vmMemoryBytes} the linear memory of its VMs alive now.
	 */
	public record PluginReport(String kind, String location, String sha256, int size, String abiVersion, String mode,
			int interpretedFunctions, long retainedHeapBytesEstimate, String failurePolicy, List<String> routes,
			long cpuNanos, long vmMemoryBytes, List<VmInfo> vms, long traps, long rebuilds,
			List<FailureReport> recentTraps, ReloadReport lastReload) {
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
