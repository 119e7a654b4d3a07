package io.github.wasmgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.HasRouteId;

/**
 * {@code - WasmPlugin=key-auth} on a route (or in
 * {@code spring.cloud.gateway.server.webflux.default-filters}): runs that plugin for
 * every request of the route. The full form takes a per-route configuration, which
 * becomes the plugin's own root context ({@code proxy_on_configure}), checked once here,
 * not per request:
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
 * chain. Routes built with the Java DSL use {@link WasmPlugins}.
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

	private final PluginCallObservations observations;

	public WasmPluginGatewayFilterFactory(WasmPluginRegistry registry, Duration streamTimeout, long maxBufferedBody,
			ExchangeObserver observer, PluginCallObservations observations) {
		super(Config.class);
		this.registry = registry;
		this.streamTimeout = streamTimeout;
		this.maxBufferedBody = maxBufferedBody;
		this.observer = observer;
		this.observations = observations;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of(PLUGIN_KEY);
	}

	/**
	 * The filter for {@code config}: bound to its route now when the route is known (a
	 * route of the configuration), else checked now and bound by the next route refresh.
	 * @throws WasmPluginException naming the plugin and the route when the plugin is
	 * unknown or rejects the configuration
	 */
	@Override
	public GatewayFilter apply(Config config) {
		byte[] configuration = (config.getConfiguration() != null)
				? config.getConfiguration().getBytes(StandardCharsets.UTF_8) : null;
		return new WasmPluginFilter(this.registry, config.getPlugin(), configuration, config.getRouteId(),
				this.streamTimeout, this.maxBufferedBody, this.observer, this.observations);
	}

	/** The WasmPlugin filter behind {@code filter}, or null when it is another one. */
	static WasmPluginFilter unwrap(GatewayFilter filter) {
		GatewayFilter candidate = (filter instanceof OrderedGatewayFilter ordered) ? ordered.getDelegate() : filter;
		return (candidate instanceof WasmPluginFilter wasm) ? wasm : null;
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
