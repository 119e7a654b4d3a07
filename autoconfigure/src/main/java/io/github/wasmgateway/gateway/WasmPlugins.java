package io.github.wasmgateway.gateway;

import org.springframework.cloud.gateway.filter.GatewayFilter;

/**
 * WasmPlugin filters for routes built with the Java DSL, bound and checked as those of
 * the configuration are:
 *
 * <pre>
 * routes.routes()
 *     .route("orders", (route) -&gt; route.path("/orders/**")
 *         .filters((f) -&gt; f.filter(wasmPlugins.filter("key-auth", """
 *             { "allow": [ "alice" ] }
 *             """)))
 *         .uri("http://orders:8080"))
 *     .build();
 * </pre>
 *
 * The plugin and its configuration are checked when the filter is made (a route locator
 * bean that names an unknown plugin stops the application with a message); the route's id
 * becomes the plugin's {@code route_name} when the gateway's route refresh finds the
 * filter on its route; reloads and configuration changes reach it as they reach every
 * route.
 */
public final class WasmPlugins {

	private final WasmPluginGatewayFilterFactory factory;

	public WasmPlugins(WasmPluginGatewayFilterFactory factory) {
		this.factory = factory;
	}

	/** The plugin called {@code plugin}, with its default configuration. */
	public GatewayFilter filter(String plugin) {
		return filter(plugin, null);
	}

	/**
	 * The plugin called {@code plugin} with this route's {@code configuration} (the text
	 * handed to {@code proxy_on_configure}, JSON for most plugins).
	 */
	public GatewayFilter filter(String plugin, String configuration) {
		return this.factory
			.apply(new WasmPluginGatewayFilterFactory.Config().setPlugin(plugin).setConfiguration(configuration));
	}

}
