package io.github.wasmgateway.actuate;

import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.service.ServiceHandle;
import io.github.wasmgateway.service.WasmServiceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the plugins and service plugins: UP when every plugin is loaded (a failed VM
 * is rebuilt on the next request of its worker, so it does not take the gateway down);
 * DOWN when a plugin has no version serving. Failed VMs, recent failures, a crash loop
 * (no VM can be built) and a failed hot reload show as details (the previous version, or
 * a rebuilt VM, keeps serving).
 */
public class WasmPluginsHealthIndicator implements HealthIndicator {

	/** Failures within this window are counted in the details. */
	static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);

	private final WasmPluginRegistry registry;

	private final WasmServiceRegistry services;

	public WasmPluginsHealthIndicator(WasmPluginRegistry registry, WasmServiceRegistry services) {
		this.registry = registry;
		this.services = services;
	}

	@Override
	public Health health() {
		boolean up = true;
		Map<String, Object> details = new LinkedHashMap<>();
		for (PluginHandle handle : this.registry.plugins().values()) {
			Map<String, Object> plugin = new LinkedHashMap<>();
			PluginHandle.Generation current = handle.current();
			if (current == null) {
				up = false;
				plugin.put("status", "DOWN");
				plugin.put("reason", "not loaded");
				details.put(handle.name(), plugin);
				continue;
			}
			describe(plugin, current.plugin(), handle.lastReload());
			details.put(handle.name(), plugin);
		}
		for (ServiceHandle service : this.services.services().values()) {
			Map<String, Object> plugin = new LinkedHashMap<>();
			plugin.put("kind", "service");
			describe(plugin, service.current().plugin(), service.lastReload());
			details.put(service.name(), plugin);
		}
		// declared by a configuration change but not loadable: like a failed hot reload,
		// a detail; a route that would use it cannot be built, and the gateway keeps the
		// routes it had
		this.registry.notLoaded()
			.forEach((name, reason) -> details.put(name, Map.of("status", "NOT_LOADED", "reason", reason)));
		return (up ? Health.up() : Health.down()).withDetails(details).build();
	}

	private static void describe(Map<String, Object> plugin, Plugin running, PluginHandle.Reload reload) {
		long failed = running.vms().stream().filter((vm) -> vm.state().equals("FAILED")).count();
		plugin.put("status", "UP");
		plugin.put("sha256", running.compiled().sha256());
		plugin.put("vms", running.vms().size());
		plugin.put("failedVms", failed);
		Instant since = Instant.now().minus(FAILURE_WINDOW);
		long recent = running.recentFailures().stream().map(PluginFailure::time).filter(since::isBefore).count();
		if (recent > 0) {
			plugin.put("recentFailures", recent + " in the last " + FAILURE_WINDOW.toSeconds() + " s (up to "
					+ Plugin.RECENT_FAILURES + " kept)");
		}
		PluginFailure buildFailure = running.buildFailure();
		if (buildFailure != null) {
			// a VM that fails while serving is replaced at once; one that cannot be
			// built is retried once per rebuild-backoff
			plugin.put("crashLoop", buildFailure.message());
		}
		if (reload != null && !reload.succeeded()) {
			plugin.put("reloadFailed", reload.error());
			plugin.put("reloadFailedAt", reload.time().toString());
		}
	}

}
