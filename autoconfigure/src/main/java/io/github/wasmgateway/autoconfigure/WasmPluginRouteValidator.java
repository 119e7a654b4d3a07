package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * Checks the configuration's {@code WasmPlugin} filters at start-up, those of every route
 * and the default filters: an unknown plugin or a configuration the plugin rejects stops
 * the application with a message naming the plugin and the route (Spring Cloud Gateway
 * would otherwise only log and drop the route on the first request). Filters of routes
 * built with the Java DSL are checked when they are made ({@code WasmPlugins}).
 */
class WasmPluginRouteValidator implements SmartInitializingSingleton {

	/**
	 * What the default filters are called in messages, as they have no route of their
	 * own.
	 */
	static final String DEFAULT_FILTERS = "default-filters";

	private final ObjectProvider<GatewayProperties> gatewayProperties;

	private final WasmPluginRegistry registry;

	WasmPluginRouteValidator(ObjectProvider<GatewayProperties> gatewayProperties, WasmPluginRegistry registry) {
		this.gatewayProperties = gatewayProperties;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		GatewayProperties gateway = this.gatewayProperties.getIfAvailable();
		if (gateway == null) {
			return;
		}
		for (FilterDefinition filter : gateway.getDefaultFilters()) {
			check(filter, DEFAULT_FILTERS);
		}
		for (RouteDefinition route : gateway.getRoutes()) {
			for (FilterDefinition filter : route.getFilters()) {
				check(filter, route.getId());
			}
		}
	}

	private void check(FilterDefinition filter, String route) {
		if (!isWasmPlugin(filter)) {
			return;
		}
		Map<String, String> args = filter.getArgs();
		String plugin = args.getOrDefault(WasmPluginGatewayFilterFactory.PLUGIN_KEY, args.get("_genkey_0"));
		String configuration = args.get(WasmPluginGatewayFilterFactory.CONFIGURATION_KEY);
		this.registry.check(plugin, route,
				(configuration != null) ? configuration.getBytes(StandardCharsets.UTF_8) : null);
	}

	static boolean isWasmPlugin(FilterDefinition filter) {
		return "WasmPlugin".equals(filter.getName());
	}

}
