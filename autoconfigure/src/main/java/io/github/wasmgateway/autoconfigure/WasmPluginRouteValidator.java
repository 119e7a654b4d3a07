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
 * Checks every configured route's {@code WasmPlugin} filters at start-up: an unknown
 * plugin or a configuration the plugin rejects stops the application with a message
 * naming the plugin and the route (Spring Cloud Gateway would otherwise only log and drop
 * the route on the first request).
 */
class WasmPluginRouteValidator implements SmartInitializingSingleton {

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
		for (RouteDefinition route : gateway.getRoutes()) {
			for (FilterDefinition filter : route.getFilters()) {
				if ("WasmPlugin".equals(filter.getName())) {
					Map<String, String> args = filter.getArgs();
					String plugin = args.getOrDefault(WasmPluginGatewayFilterFactory.PLUGIN_KEY, args.get("_genkey_0"));
					String configuration = args.get(WasmPluginGatewayFilterFactory.CONFIGURATION_KEY);
					this.registry.check(plugin, route.getId(),
							(configuration != null) ? configuration.getBytes(StandardCharsets.UTF_8) : null);
				}
			}
		}
	}

}
