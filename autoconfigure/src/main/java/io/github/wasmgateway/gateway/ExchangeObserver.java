package io.github.wasmgateway.gateway;

/**
 * What the WasmPlugin filter reports about each exchange, for metrics. Resolved once per
 * route and plugin, so that reporting on the request path is a field access and a record,
 * not a lookup.
 */
public interface ExchangeObserver {

	/** The phases a plugin is called in, as the {@code phase} tag names them. */
	enum Phase {

		REQUEST_HEADERS("request_headers"), REQUEST_BODY("request_body"), RESPONSE_HEADERS("response_headers"),
		RESPONSE_BODY("response_body"), RESPONSE_TRAILERS("response_trailers"), LOG("log");

		private final String tag;

		Phase(String tag) {
			this.tag = tag;
		}

		public String tag() {
			return this.tag;
		}

	}

	RouteObserver forRoute(String plugin, String route);

	/** Reports of one plugin on one route. */
	interface RouteObserver {

		/** One call into the plugin took {@code nanos}. */
		default void call(Phase phase, long nanos) {
		}

		/**
		 * The plugin's calls for one request took {@code workerNanos} of the worker's
		 * time (wall clock while inside the plugin) and {@code cpuNanos} of its CPU time
		 * (sampled: see {@code HttpStream.cpuNanos}) in all.
		 */
		default void request(long workerNanos, long cpuNanos) {
		}

		default void localResponse(int status) {
		}

		default void failure(Phase phase, String kind) {
		}

	}

	/** Reports nothing. */
	ExchangeObserver NONE = (plugin, route) -> new RouteObserver() {
	};

}
