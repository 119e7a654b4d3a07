package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.gateway.PluginDefinition;
import io.github.wasmgateway.service.WasmServiceRegistry;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Follows configuration changes: before the gateway rebuilds its routes
 * ({@link RefreshRoutesEvent}, e.g. after a configuration refresh or
 * {@code POST /actuator/gateway/refresh}), the plugins are made those that
 * {@code wasm-gateway.plugins} declares now, so that new routes can use new plugins (and
 * the service plugins those {@code wasm-gateway.services} declares); once the routes are
 * rebuilt, every WasmPlugin filter on them is bound to its route (routes built with the
 * Java DSL keep their filters across refreshes, and learn their route id here), and
 * plugins and route bindings nothing uses any more are let go.
 */
final class WasmPluginRefreshListener implements SmartApplicationListener {

	private static final Log logger = LogFactory.getLog(WasmPluginRefreshListener.class);

	private final WasmPluginRegistry registry;

	private final WasmServiceRegistry services;

	private final ConfigurableEnvironment environment;

	WasmPluginRefreshListener(WasmPluginRegistry registry, WasmServiceRegistry services,
			ConfigurableEnvironment environment) {
		this.registry = registry;
		this.services = services;
		this.environment = environment;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return RefreshRoutesEvent.class.isAssignableFrom(eventType)
				|| RefreshRoutesResultEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof RefreshRoutesEvent refresh) {
			if (!refresh.isScoped()) {
				updatePlugins();
			}
			this.registry.routesRefreshing(refresh.isScoped());
		}
		else if (event instanceof RefreshRoutesResultEvent result) {
			if (!result.isSuccess() || !(result.getSource() instanceof RouteLocator routes)) {
				this.registry.routesRefreshed(false, List.of());
				return;
			}
			// the refreshed routes are cached by now: every route kind (configured,
			// default filters, Java DSL) is bound to its route from them
			routes.getRoutes().collectList().subscribe((refreshed) -> this.registry.routesRefreshed(true, refreshed));
		}
	}

	private void updatePlugins() {
		List<PluginDefinition> definitions;
		List<PluginDefinition> services;
		try {
			definitions = PluginDefinitions.read(this.environment);
			services = PluginDefinitions.readServices(this.environment);
		}
		catch (RuntimeException ex) {
			logger.error("wasm-gateway.plugins could not be read after a configuration change; the plugins "
					+ "stay as they are: " + ex.getMessage());
			return;
		}
		this.registry.update(definitions);
		this.services.update(services);
	}

	/** Before the gateway's route cache hears of the refresh. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
