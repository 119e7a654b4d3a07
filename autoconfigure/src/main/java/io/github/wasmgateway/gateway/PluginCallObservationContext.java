package io.github.wasmgateway.gateway;

import io.micrometer.observation.Observation;
import org.springframework.web.server.ServerWebExchange;

/**
 * One call into a plugin in one phase of an exchange (request headers, request body,
 * response headers, response body, response trailers, or the end of the stream: log,
 * done, delete), as an {@link Observation}'s context: what a
 * {@link PluginCallObservationConvention} names and tags.
 */
public class PluginCallObservationContext extends Observation.Context {

	private final String plugin;

	private final String route;

	private final String phase;

	private final ServerWebExchange exchange;

	public PluginCallObservationContext(String plugin, String route, String phase, ServerWebExchange exchange) {
		this.plugin = plugin;
		this.route = route;
		this.phase = phase;
		this.exchange = exchange;
	}

	/** The plugin's name, as declared under {@code wasm-gateway.plugins}. */
	public String getPlugin() {
		return this.plugin;
	}

	/** The id of the route the plugin runs on. */
	public String getRoute() {
		return this.route;
	}

	/**
	 * The phase: {@code request_headers}, {@code request_body}, {@code response_headers},
	 * {@code response_body}, {@code response_trailers} or {@code log}, as the
	 * {@code wasm.plugin.call} timer's {@code phase} tag names it.
	 */
	public String getPhase() {
		return this.phase;
	}

	/** The exchange the plugin is called for. */
	public ServerWebExchange getExchange() {
		return this.exchange;
	}

}
