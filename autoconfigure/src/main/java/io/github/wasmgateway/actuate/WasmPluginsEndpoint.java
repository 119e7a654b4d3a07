package io.github.wasmgateway.actuate;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/wasmplugins}: every plugin, its binary, mode, routes, VMs, failures
 * and last reload; {@code /actuator/wasmplugins/{name}} one of them; a POST there forces
 * a reload. Plugin configurations are never shown (they hold keys and passwords).
 */
@Endpoint(id = "wasmplugins")
public class WasmPluginsEndpoint {

	private final WasmPluginRegistry registry;

	public WasmPluginsEndpoint(WasmPluginRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public Map<String, PluginReport> plugins() {
		Map<String, PluginReport> plugins = new LinkedHashMap<>();
		this.registry.plugins().forEach((name, handle) -> plugins.put(name, report(handle)));
		return plugins;
	}

	@ReadOperation
	public PluginReport plugin(@Selector String name) {
		PluginHandle handle = this.registry.plugin(name);
		return (handle != null) ? report(handle) : null;
	}

	/** Loads the plugin's binary again and swaps it in if it builds and configures. */
	@WriteOperation
	public ReloadReport reload(@Selector String name) {
		if (this.registry.plugin(name) == null) {
			return null;
		}
		return ReloadReport.of(this.registry.reload(name, true));
	}

	static PluginReport report(PluginHandle handle) {
		Plugin plugin = handle.current().plugin();
		CompiledPlugin compiled = plugin.compiled();
		List<FailureReport> failures = plugin.recentFailures().stream().map(FailureReport::of).toList();
		return new PluginReport(compiled.origin(), compiled.sha256(), compiled.size(),
				compiled.profile().abiVersion().exportName(), compiled.mode().name().toLowerCase(),
				compiled.interpretedFunctions(), compiled.retainedBytesEstimate(),
				handle.definition().failurePolicy().name().toLowerCase().replace('_', '-'), handle.routes(),
				plugin.vms(), plugin.failureCount(), plugin.rebuildCount(), failures,
				ReloadReport.of(handle.lastReload()));
	}

	/** One plugin, as the endpoint shows it. */
	public record PluginReport(String location, String sha256, int size, String abiVersion, String mode,
			int interpretedFunctions, long retainedHeapBytesEstimate, String failurePolicy, List<String> routes,
			List<VmInfo> vms, long traps, long rebuilds, List<FailureReport> recentTraps, ReloadReport lastReload) {
	}

	/** One failed call: when, where, what, and the Wasm stack. */
	public record FailureReport(Instant time, String route, String callback, String kind, String message,
			List<String> wasmStack) {

		static FailureReport of(PluginFailure failure) {
			return new FailureReport(failure.time(), failure.route(), failure.callback(), failure.kind().name(),
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
