package io.github.wasmgateway.gateway;

import io.github.wasmgateway.gateway.ExchangeObserver.Phase;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.util.context.ContextView;

/**
 * Makes each call into a plugin an {@link Observation} (a span per plugin call under the
 * request's span, with micrometer-tracing), a child of the request's server observation.
 * Whether anything is observed is decided once per route: with a no-op registry a route
 * has no {@link Route}, and the request path makes no observation, lambda or context.
 */
public final class PluginCallObservations {

	/** Observes nothing. */
	public static final PluginCallObservations NONE = new PluginCallObservations(ObservationRegistry.NOOP, null);

	/**
	 * Where Micrometer keeps the current observation in the Reactor context
	 * ({@code ObservationThreadLocalAccessor.KEY}, named by its value as Spring Cloud
	 * Gateway does, since context-propagation may be absent).
	 */
	private static final String OBSERVATION_KEY = "micrometer.observation";

	private final ObservationRegistry registry;

	private final PluginCallObservationConvention convention;

	/**
	 * @param convention the application's convention, or null for
	 * {@link DefaultPluginCallObservationConvention}
	 */
	public PluginCallObservations(ObservationRegistry registry, PluginCallObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * The observations of {@code plugin} on {@code route}, or null when none are made.
	 */
	Route forRoute(String plugin, String route) {
		return this.registry.isNoop() ? null : new Route(plugin, route);
	}

	/**
	 * The request's server observation, the parent of its plugin calls: Spring Cloud
	 * Gateway keeps the Reactor context of the request's handling in an attribute, as its
	 * own client observation reads it. Calls run on event loops and in callout callbacks,
	 * where the thread-local current observation is not the request's.
	 */
	static Observation requestObservation(ServerWebExchange exchange) {
		ContextView context = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REACTOR_CONTEXT_ATTR);
		return (context != null) ? context.getOrDefault(OBSERVATION_KEY, null) : null;
	}

	/** The observations of one plugin on one route. */
	final class Route {

		private final String plugin;

		private final String route;

		private Route(String plugin, String route) {
			this.plugin = plugin;
			this.route = route;
		}

		/** Starts the observation of one call, under {@code parent} when there is one. */
		Observation start(Phase phase, ServerWebExchange exchange, Observation parent) {
			PluginCallObservationContext context = new PluginCallObservationContext(this.plugin, this.route,
					phase.tag(), exchange);
			Observation observation = Observation.createNotStarted(PluginCallObservations.this.convention,
					DefaultPluginCallObservationConvention.INSTANCE, () -> context,
					PluginCallObservations.this.registry);
			if (parent != null) {
				observation.parentObservation(parent);
			}
			return observation.start();
		}

	}

}
