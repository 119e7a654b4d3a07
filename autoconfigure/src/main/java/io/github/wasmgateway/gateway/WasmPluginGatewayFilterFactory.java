package io.github.wasmgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.HasRouteId;

/**
 * {@code - WasmPlugin=key-auth} on a route: runs that plugin for every request of the
 * route. The full form takes a per-route configuration, which becomes the plugin's own
 * root context ({@code proxy_on_configure}), checked once here, not per request:
 *
 * <pre>
 * filters:
 *   - name: WasmPlugin
 *     args:
 *       plugin: jwt-auth
 *       configuration: { ... }
 * </pre>
 *
 * Several WasmPlugin filters on one route run in the order declared, like Envoy's filter
 * chain.
 */
public class WasmPluginGatewayFilterFactory
		extends AbstractGatewayFilterFactory<WasmPluginGatewayFilterFactory.Config> {

	/** The argument naming the plugin. */
	public static final String PLUGIN_KEY = "plugin";

	/** The argument carrying the per-route configuration. */
	public static final String CONFIGURATION_KEY = "configuration";

	private final WasmPluginRegistry registry;

	private final Duration streamTimeout;

	private final long maxBufferedBody;

	private final ExchangeObserver observer;

	public WasmPluginGatewayFilterFactory(WasmPluginRegistry registry, Duration streamTimeout, long maxBufferedBody,
			ExchangeObserver observer) {
		super(Config.class);
		this.registry = registry;
		this.streamTimeout = streamTimeout;
		this.maxBufferedBody = maxBufferedBody;
		this.observer = observer;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of(PLUGIN_KEY);
	}

	@Override
	public GatewayFilter apply(Config config) {
		String route = (config.getRouteId() != null) ? config.getRouteId() : "(unnamed route)";
		byte[] configuration = (config.getConfiguration() != null)
				? config.getConfiguration().getBytes(StandardCharsets.UTF_8) : null;
		RouteBinding binding = this.registry.bind(config.getPlugin(), route, configuration);
		return new WasmPluginFilter(binding, this.streamTimeout, this.maxBufferedBody,
				this.observer.forRoute(config.getPlugin(), route));
	}

	/** The filter's arguments. */
	public static class Config implements HasRouteId {

		private String plugin;

		private String configuration;

		private String routeId;

		/** The name of a plugin declared under wasm-gateway.plugins. */
		public String getPlugin() {
			return this.plugin;
		}

		public Config setPlugin(String plugin) {
			this.plugin = plugin;
			return this;
		}

		/**
		 * This route's plugin configuration (JSON or any text the plugin reads), or null
		 * for the plugin's default configuration.
		 */
		public String getConfiguration() {
			return this.configuration;
		}

		public Config setConfiguration(String configuration) {
			this.configuration = configuration;
			return this;
		}

		@Override
		public void setRouteId(String routeId) {
			this.routeId = routeId;
		}

		@Override
		public String getRouteId() {
			return this.routeId;
		}

	}

}
