package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginConfiguration;

/**
 * A route's use of a plugin: the route, its own configuration (or null for the plugin's
 * default) and the version of the plugin it runs now, replaced in one step by a reload.
 */
public final class RouteBinding {

	private final PluginHandle handle;

	private final String routeId;

	/** The route id as the plugin reads it ({@code route_name}), made once. */
	private final byte[] routeName;

	private final byte[] configuration;

	private volatile Active active;

	/** The last route refresh that bound this route. */
	private volatile long refreshEpoch;

	RouteBinding(PluginHandle handle, String routeId, byte[] configuration, Active active, long refreshEpoch) {
		this.handle = handle;
		this.routeId = routeId;
		this.routeName = routeId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		this.configuration = configuration;
		this.active = active;
		this.refreshEpoch = refreshEpoch;
	}

	long refreshEpoch() {
		return this.refreshEpoch;
	}

	void renewed(long refreshEpoch) {
		this.refreshEpoch = refreshEpoch;
	}

	public PluginHandle handle() {
		return this.handle;
	}

	public String routeId() {
		return this.routeId;
	}

	/** {@link #routeId()} in UTF-8; shared, never to be changed. */
	byte[] routeName() {
		return this.routeName;
	}

	byte[] configuration() {
		return this.configuration;
	}

	/** The plugin version and configuration new requests of this route use. */
	Active active() {
		return this.active;
	}

	void activate(Active active) {
		this.active = active;
	}

	/**
	 * A plugin version with the route's configuration and the phases it takes part in.
	 */
	record Active(Plugin plugin, PluginConfiguration configuration, boolean requestBody, boolean responseHeaders,
			boolean responseBody, boolean responseTrailers) {
	}

}
