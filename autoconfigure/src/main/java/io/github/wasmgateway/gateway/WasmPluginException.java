package io.github.wasmgateway.gateway;

/**
 * A plugin or route that cannot start: names the plugin, the route (when one is
 * involved), the cause and what to do. Turned into a readable start-up failure by
 * {@link WasmPluginFailureAnalyzer}.
 */
public class WasmPluginException extends RuntimeException {

	private final String plugin;

	private final String route;

	private final String action;

	public WasmPluginException(String plugin, String route, String cause, String action, Throwable error) {
		super(message(plugin, route, cause), error);
		this.plugin = plugin;
		this.route = route;
		this.action = action;
	}

	private static String message(String plugin, String route, String cause) {
		return "wasm plugin '" + plugin + "'" + ((route != null) ? " (route '" + route + "')" : "") + ": " + cause;
	}

	public String plugin() {
		return this.plugin;
	}

	public String route() {
		return this.route;
	}

	public String action() {
		return this.action;
	}

}
