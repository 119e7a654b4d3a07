package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.PluginLoadException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.route.Route;

/**
 * The plugins of this gateway and the routes bound to them: the plugins come from the
 * {@link PluginLoader} at start-up; each route gets a {@link RouteBinding} to its plugin
 * with its own configuration (one root context per distinct configuration, shared by
 * every route that uses the same bytes). A configuration change followed by a route
 * refresh ({@link #update}) adds, redefines and removes plugins without a restart; a
 * reload ({@link #reload}) swaps a plugin's version under every route bound to it.
 */
public class WasmPluginRegistry implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(WasmPluginRegistry.class);

	private final PluginLoader loader;

	/** The plugins serving, by name: replaced as a whole, read without a lock. */
	private volatile Map<String, PluginHandle> plugins;

	/**
	 * Plugins declared by a configuration change that could not be loaded, with the
	 * reason.
	 */
	private final Map<String, String> notLoaded = new ConcurrentHashMap<>();

	/**
	 * Plugins no longer declared; closed once a route refresh has moved every route off
	 * them.
	 */
	private final List<PluginHandle> removed = new ArrayList<>();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	/** Counts route refreshes; bindings not renewed by the last one are dropped. */
	private volatile long refreshEpoch;

	private boolean scopedRefresh;

	public WasmPluginRegistry(PluginLoader loader, Iterable<PluginDefinition> definitions) {
		this.loader = loader;
		List<PluginDefinition> declared = new ArrayList<>();
		definitions.forEach(declared::add);
		// all at once: each is closed again if any fails
		List<PluginHandle.Generation> generations = loader.loadAll(declared);
		Map<String, PluginHandle> loaded = new LinkedHashMap<>();
		for (int i = 0; i < declared.size(); i++) {
			loaded.put(declared.get(i).name(), new PluginHandle(declared.get(i), generations.get(i)));
		}
		this.plugins = Collections.unmodifiableMap(loaded);
	}

	/** The plugin called {@code name}, or null. */
	public PluginHandle plugin(String name) {
		return this.plugins.get(name);
	}

	public Map<String, PluginHandle> plugins() {
		return this.plugins;
	}

	/**
	 * Plugins declared by a configuration change that could not be loaded (name to
	 * reason); routes that use them cannot be built until a later change loads them.
	 */
	public Map<String, String> notLoaded() {
		return Map.copyOf(this.notLoaded);
	}

	/** Tells {@code listener} of plugins added and removed from now on. */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Makes the plugins those of {@code definitions}, off the request path: a new name is
	 * loaded and checked; a changed binary, mode or setting is reloaded as a hot reload
	 * is; a changed default configuration becomes a new root context in the plugin's
	 * existing VMs; a name no longer declared stops taking new routes and is closed after
	 * the next route refresh. Whatever fails is logged and keeps what was there serving.
	 */
	public synchronized void update(List<PluginDefinition> definitions) {
		Map<String, PluginHandle> next = new LinkedHashMap<>();
		List<PluginHandle> added = new ArrayList<>();
		for (PluginDefinition definition : definitions) {
			String name = definition.name();
			PluginHandle handle = this.plugins.get(name);
			if (handle == null) {
				try {
					handle = new PluginHandle(definition, this.loader.load(definition));
				}
				catch (RuntimeException ex) {
					this.notLoaded.put(name, ex.getMessage());
					logger.error("Wasm plugin '" + name + "' was declared by a configuration change but could not be "
							+ "loaded; routes using it cannot be built: " + ex.getMessage());
					continue;
				}
				added.add(handle);
			}
			else if (!definition.equals(handle.definition())) {
				redefine(handle, definition);
			}
			this.notLoaded.remove(name);
			next.put(name, handle);
		}
		this.notLoaded.keySet().retainAll(definitions.stream().map(PluginDefinition::name).toList());
		List<PluginHandle> gone = new ArrayList<>();
		for (PluginHandle handle : this.plugins.values()) {
			if (!next.containsKey(handle.name())) {
				gone.add(handle);
				logger
					.info("Wasm plugin '" + handle.name() + "' is no longer declared; it closes once no route uses it");
			}
		}
		this.removed.addAll(gone);
		this.plugins = Collections.unmodifiableMap(next);
		for (Listener listener : this.listeners) {
			added.forEach(listener::added);
			gone.forEach(listener::removed);
		}
	}

	private void redefine(PluginHandle handle, PluginDefinition definition) {
		synchronized (handle) {
			try {
				if (definition.sameExceptConfiguration(handle.definition())) {
					handle.reconfigure(definition);
					logger.info("Wasm plugin '" + handle.name() + "' has a new default configuration");
					return;
				}
			}
			catch (PluginLoadException ex) {
				logger.error("The new default configuration of wasm plugin '" + handle.name()
						+ "' was refused; the previous one stays: " + ex.getMessage());
				handle.recordReload(false, ex.getMessage());
				return;
			}
			reload(handle, definition, true);
		}
	}

	/** A route refresh begins: the routes it builds bind again. */
	public synchronized void routesRefreshing(boolean scoped) {
		this.scopedRefresh = scoped;
		this.refreshEpoch++;
	}

	/**
	 * A route refresh ended with {@code routes}: every WasmPlugin filter on them is bound
	 * to its route (a filter of a route built with the Java DSL outlives refreshes and
	 * learns its route here); after a full, successful refresh the bindings of routes
	 * that are gone are dropped (reloads stop configuring them) and removed plugins close
	 * once their last stream ends.
	 */
	public synchronized void routesRefreshed(boolean succeeded, List<Route> routes) {
		if (!succeeded) {
			return;
		}
		for (Route route : routes) {
			for (GatewayFilter filter : route.getFilters()) {
				WasmPluginFilter wasm = WasmPluginGatewayFilterFactory.unwrap(filter);
				if (wasm != null) {
					wasm.attach(route.getId());
				}
			}
		}
		if (this.scopedRefresh) {
			return;
		}
		for (PluginHandle handle : this.plugins.values()) {
			handle.dropBindingsOlderThan(this.refreshEpoch);
		}
		this.removed.forEach(PluginHandle::retire);
		this.removed.clear();
	}

	/**
	 * Binds a route to a plugin with the route's own configuration, or the plugin's
	 * default when {@code configuration} is null. The configuration is checked by the
	 * plugin now, once, and shared by every route that uses the same bytes.
	 * @throws WasmPluginException naming the route when the plugin is unknown or rejects
	 * the configuration
	 */
	public RouteBinding bind(String pluginName, String routeId, byte[] configuration) {
		return handle(pluginName, routeId, configuration, true);
	}

	/**
	 * Checks that the plugin exists and accepts the route's configuration, as
	 * {@link #bind} does.
	 */
	public void check(String pluginName, String routeId, byte[] configuration) {
		handle(pluginName, routeId, configuration, false);
	}

	private RouteBinding handle(String pluginName, String routeId, byte[] configuration, boolean bind) {
		PluginHandle handle = this.plugins.get(pluginName);
		String notLoaded = this.notLoaded.get(pluginName);
		if (handle == null && notLoaded != null) {
			throw new WasmPluginException(pluginName, routeId, "the plugin could not be loaded: " + notLoaded,
					"Fix wasm-gateway.plugins." + pluginName + "; the route cannot be built until then.", null);
		}
		if (handle == null) {
			throw new WasmPluginException(pluginName, routeId, "no plugin of that name is configured",
					"Declare it under wasm-gateway.plugins." + pluginName + " or use one of: " + this.plugins.keySet(),
					null);
		}
		this.loader.limits().checkConfiguration(pluginName, routeId, "configuration", configuration);
		try {
			if (!bind) {
				handle.current().configure(configuration);
				return null;
			}
			return handle.bind(routeId, configuration, this.refreshEpoch);
		}
		catch (PluginLoadException ex) {
			throw new WasmPluginException(pluginName, routeId, ex.getMessage(),
					"Fix the configuration of the WasmPlugin filter on route '" + routeId + "'.", ex);
		}
	}

	/**
	 * Loads the plugin's binary again and, when it changed (or {@code force}), builds and
	 * checks the new version off the request path (compiled, started, every configuration
	 * in use accepted), then swaps it in: new requests use it, requests in flight finish
	 * on the old VMs, which close once idle. A failed reload keeps the old version
	 * serving.
	 */
	public PluginHandle.Reload reload(String name, boolean force) {
		PluginHandle handle = this.plugins.get(name);
		if (handle == null) {
			throw new IllegalArgumentException("no plugin '" + name + "'");
		}
		return reload(handle, handle.definition(), force);
	}

	private PluginHandle.Reload reload(PluginHandle handle, PluginDefinition definition, boolean force) {
		String name = handle.name();
		synchronized (handle) {
			PluginHandle.Generation next;
			try {
				PluginHandle.Generation current = handle.current();
				if (!force && this.loader.unchanged(definition, current.plugin().compiled())) {
					return unchanged("plugin '" + name + "'", handle.lastReload(),
							() -> handle.recordReload(true, null));
				}
				next = this.loader.load(definition);
				try {
					handle.swap(next, definition);
				}
				catch (RuntimeException ex) {
					next.plugin().close();
					throw ex;
				}
			}
			catch (RuntimeException ex) {
				logger.error("Reload of wasm plugin '" + name + "' failed; the previous version keeps serving: "
						+ ex.getMessage());
				return handle.recordReload(false, ex.getMessage());
			}
			logger.info("Reloaded wasm plugin '" + name + "' (sha256 " + next.plugin().compiled().sha256() + ")");
			return handle.recordReload(true, null);
		}
	}

	/**
	 * A reload found the binary that is serving: nothing to load. When the last reload
	 * had failed (a broken file replaced by the serving version), that is a successful
	 * reload all the same, recorded by {@code success}: health and the endpoint stop
	 * reporting the failure.
	 */
	public static PluginHandle.Reload unchanged(String what, PluginHandle.Reload last,
			Supplier<PluginHandle.Reload> success) {
		if (last == null || last.succeeded()) {
			return last;
		}
		logger.info("The binary of wasm " + what + " is the version serving again; its failed reload is cleared");
		return success.get();
	}

	@Override
	public synchronized void close() {
		this.plugins.values().forEach(PluginHandle::close);
		this.removed.forEach(PluginHandle::close);
	}

	/** Told of plugins added or removed by {@link #update}. */
	public interface Listener {

		default void added(PluginHandle plugin) {
		}

		default void removed(PluginHandle plugin) {
		}

	}

}
