package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.AbiProfile;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One configured plugin across reloads: its definition, the version serving now (a
 * {@link Generation}) and the routes bound to it. A reload builds a new generation and
 * points every binding at it in one step; requests read their binding's version with a
 * single volatile read.
 */
public final class PluginHandle implements AutoCloseable {

	private volatile PluginDefinition definition;

	private volatile Generation current;

	private final List<RouteBinding> bindings = new CopyOnWriteArrayList<>();

	private final ReloadHistory reloads = new ReloadHistory();

	PluginHandle(PluginDefinition definition, Generation initial) {
		this.definition = definition;
		this.current = initial;
	}

	public String name() {
		return this.definition.name();
	}

	public PluginDefinition definition() {
		return this.definition;
	}

	/** The version serving new requests. */
	public Generation current() {
		return this.current;
	}

	public List<RouteBinding> bindings() {
		return List.copyOf(this.bindings);
	}

	/** The route ids using this plugin. */
	public List<String> routes() {
		List<String> routes = new ArrayList<>();
		for (RouteBinding binding : this.bindings) {
			if (!routes.contains(binding.routeId())) {
				routes.add(binding.routeId());
			}
		}
		return routes;
	}

	/** The last reload, or null when there was none. */
	public Reload lastReload() {
		return this.reloads.last();
	}

	public long reloads(boolean succeeded) {
		return this.reloads.count(succeeded);
	}

	synchronized RouteBinding bind(String routeId, byte[] configuration, long refreshEpoch) {
		for (RouteBinding existing : this.bindings) {
			// a route refresh binds the same routes again: keep one binding per route and
			// configuration
			if (existing.routeId().equals(routeId)
					&& java.util.Arrays.equals(existing.configuration(), configuration)) {
				existing.renewed(refreshEpoch);
				return existing;
			}
		}
		Generation generation = this.current;
		RouteBinding binding = new RouteBinding(this, routeId, configuration,
				active(generation, generation.configure(configuration)), refreshEpoch);
		this.bindings.add(binding);
		return binding;
	}

	/** Forgets the routes that the last route refresh did not bind again. */
	synchronized void dropBindingsOlderThan(long refreshEpoch) {
		this.bindings.removeIf((binding) -> binding.refreshEpoch() < refreshEpoch);
	}

	/**
	 * Configures every configuration in use on {@code next}, then points every route at
	 * it.
	 */
	synchronized void swap(Generation next, PluginDefinition definition) {
		for (RouteBinding binding : this.bindings) {
			next.configure(binding.configuration());
		}
		Generation previous = this.current;
		this.current = next;
		this.definition = definition;
		for (RouteBinding binding : this.bindings) {
			binding.activate(active(next, next.configure(binding.configuration())));
		}
		previous.plugin().retire();
	}

	/**
	 * Takes a new default configuration as a new root context of the plugin's VMs, and
	 * points the routes that use the default at it.
	 * @throws io.github.wasmgateway.engine.PluginLoadException when the plugin refuses it
	 */
	synchronized void reconfigure(PluginDefinition definition) {
		Generation generation = this.current;
		PluginConfiguration defaults = generation.plugin().configure(definition.configuration());
		generation.defaults = defaults;
		this.definition = definition;
		for (RouteBinding binding : this.bindings) {
			if (binding.configuration() == null) {
				binding.activate(active(generation, defaults));
			}
		}
	}

	/** Closes the plugin once its last stream ends. */
	void retire() {
		this.current.plugin().retire();
	}

	Reload recordReload(boolean succeeded, String error) {
		return this.reloads.record(succeeded, error);
	}

	private static RouteBinding.Active active(Generation generation, PluginConfiguration configuration) {
		AbiProfile profile = generation.plugin().compiled().profile();
		return new RouteBinding.Active(generation.plugin(), configuration, profile.exports("proxy_on_request_body"),
				profile.exports("proxy_on_response_headers"), profile.exports("proxy_on_response_body"),
				profile.exports("proxy_on_response_trailers"));
	}

	@Override
	public void close() {
		this.current.plugin().close();
	}

	/** The outcome of a reload. */
	public record Reload(Instant time, boolean succeeded, String error) {
	}

	/**
	 * One loaded version of the plugin and the configurations it has accepted (one root
	 * context each, shared by the routes with the same bytes).
	 */
	public static final class Generation {

		private final Plugin plugin;

		private volatile PluginConfiguration defaults;

		private final Map<String, PluginConfiguration> configurations = new LinkedHashMap<>();

		Generation(Plugin plugin, PluginConfiguration defaults) {
			this.plugin = plugin;
			this.defaults = defaults;
		}

		public Plugin plugin() {
			return this.plugin;
		}

		/**
		 * The accepted configuration for {@code bytes} (null: the default), configuring
		 * it once.
		 */
		synchronized PluginConfiguration configure(byte[] bytes) {
			if (bytes == null) {
				return this.defaults;
			}
			return this.configurations.computeIfAbsent(new String(bytes, StandardCharsets.ISO_8859_1),
					(key) -> this.plugin.configure(bytes));
		}

	}

}
