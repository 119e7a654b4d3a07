package io.github.wasmgateway.gateway;

import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Runs one plugin on a route: every request goes through it as a {@link PluginExchange}
 * on the VM of the event loop it arrived on. The filter is bound to its route (the
 * plugin's version and configuration for it, followed across reloads) when it is made for
 * a route of the configuration, or when a route refresh finds it on a route built with
 * the Java DSL ({@link #attach}).
 */
final class WasmPluginFilter implements GatewayFilter {

	private static final Log logger = LogFactory.getLog(WasmPluginFilter.class);

	private final WasmPluginRegistry registry;

	private final String pluginName;

	private final byte[] configuration;

	private final Duration streamTimeout;

	private final long maxBufferedBody;

	private final ExchangeObserver observer;

	private final PluginCallObservations observations;

	private volatile Bound bound;

	WasmPluginFilter(WasmPluginRegistry registry, String pluginName, byte[] configuration, String routeId,
			Duration streamTimeout, long maxBufferedBody, ExchangeObserver observer,
			PluginCallObservations observations) {
		this.registry = registry;
		this.pluginName = pluginName;
		this.configuration = configuration;
		this.streamTimeout = streamTimeout;
		this.maxBufferedBody = maxBufferedBody;
		this.observer = observer;
		this.observations = observations;
		if (routeId != null) {
			this.bound = bind(routeId);
		}
		else {
			// a route built with the Java DSL: checked now, bound once its route is known
			registry.check(pluginName, null, configuration);
		}
	}

	private Bound bind(String routeId) {
		RouteBinding binding = this.registry.bind(this.pluginName, routeId, this.configuration);
		return new Bound(binding, this.observer.forRoute(this.pluginName, routeId),
				this.observations.forRoute(this.pluginName, routeId));
	}

	/**
	 * Binds the filter (again) to the route it is on: a route refresh does this for every
	 * filter of every route, so that the bindings of routes that stay are kept, routes
	 * built with the Java DSL get their route id, and a plugin declared anew is found.
	 */
	void attach(String routeId) {
		try {
			this.bound = bind(routeId);
		}
		catch (WasmPluginException ex) {
			this.bound = null;
			logger.error(ex.getMessage() + "; requests of route '" + routeId + "' are answered with 503 until it is");
		}
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Bound bound = this.bound;
		if (bound == null && (bound = bindLate(exchange)) == null) {
			return LocalReplies.write(exchange.getResponse(), LocalReplies.failed(this.pluginName));
		}
		EventLoops.VmThread thread = EventLoops.threadOf(exchange.getRequest());
		if (thread.isCurrent()) {
			return start(bound, exchange, chain, thread);
		}
		Bound chosen = bound;
		return thread.onThread(() -> start(chosen, exchange, chain, thread));
	}

	private Mono<Void> start(Bound bound, ServerWebExchange exchange, GatewayFilterChain chain,
			EventLoops.VmThread thread) {
		return new PluginExchange(this, bound.binding, bound.observer, bound.observations, exchange, chain, thread)
			.start();
	}

	/** A filter used before any route refresh found it: its route is the exchange's. */
	private Bound bindLate(ServerWebExchange exchange) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route != null) {
			attach(route.getId());
		}
		return this.bound;
	}

	String pluginName() {
		return this.pluginName;
	}

	FailurePolicy failurePolicy() {
		Bound current = this.bound;
		return (current != null) ? current.binding.handle().definition().failurePolicy() : FailurePolicy.FAIL_CLOSED;
	}

	Duration streamTimeout() {
		return this.streamTimeout;
	}

	long maxBufferedBody() {
		return this.maxBufferedBody;
	}

	@Override
	public String toString() {
		Bound current = this.bound;
		return "[WasmPlugin plugin = '" + this.pluginName + "', route = '"
				+ ((current != null) ? current.binding.routeId() : "(not bound yet)") + "']";
	}

	/**
	 * The filter's binding with the meters of its plugin on its route, and their
	 * observations (null when none are made).
	 */
	private record Bound(RouteBinding binding, ExchangeObserver.RouteObserver observer,
			PluginCallObservations.Route observations) {
	}

}
