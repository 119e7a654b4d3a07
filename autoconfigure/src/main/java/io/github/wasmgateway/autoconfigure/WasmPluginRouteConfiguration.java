package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Gives each {@code WasmPlugin} filter of the configuration (a route's, or one of the
 * default filters every configured route gets) its per-route configuration exactly as
 * written: Spring Cloud Gateway hands filter arguments over as a flat, relaxed-bound
 * string map, which loses {@code _rules_} and list structure, so the configuration is
 * read raw and passed as one JSON argument. Runs again whenever the gateway's properties
 * are bound again (a configuration refresh).
 */
class WasmPluginRouteConfiguration implements BeanPostProcessor {

	private final ConfigurableEnvironment environment;

	WasmPluginRouteConfiguration(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof GatewayProperties gateway) {
			List<RouteDefinition> routes = gateway.getRoutes();
			for (int i = 0; i < routes.size(); i++) {
				rewrite(routes.get(i).getFilters(), GatewayProperties.PREFIX + ".routes[" + i + "].filters");
			}
			rewrite(gateway.getDefaultFilters(), GatewayProperties.PREFIX + ".default-filters");
			rewrite(gateway.getDefaultFilters(), GatewayProperties.PREFIX + ".defaultFilters");
		}
		return bean;
	}

	/** The WasmPlugin filters of {@code filters}, written under {@code prefix}[n]. */
	private void rewrite(List<FilterDefinition> filters, String prefix) {
		for (int j = 0; j < filters.size(); j++) {
			FilterDefinition filter = filters.get(j);
			if (WasmPluginRouteValidator.isWasmPlugin(filter)) {
				rewrite(filter, prefix + "[" + j + "].args." + WasmPluginGatewayFilterFactory.CONFIGURATION_KEY);
			}
		}
	}

	private void rewrite(FilterDefinition filter, String prefix) {
		byte[] raw = RawConfiguration.read(this.environment, prefix);
		if (raw == null) {
			return;
		}
		String key = WasmPluginGatewayFilterFactory.CONFIGURATION_KEY;
		filter.getArgs()
			.keySet()
			.removeIf((name) -> name.equals(key) || name.startsWith(key + ".") || name.startsWith(key + "["));
		filter.getArgs().put(key, new String(raw, StandardCharsets.UTF_8));
	}

}
