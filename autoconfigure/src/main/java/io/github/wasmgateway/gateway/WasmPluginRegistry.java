package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The plugins of this gateway, loaded, verified and compiled at start-up, and the
 * configurations routes use (one root context per distinct configuration, shared by every
 * route that uses the same bytes). A configuration change followed by a route refresh
 * ({@link #update}) adds, redefines and removes plugins without a restart.
 */
public class WasmPluginRegistry implements AutoCloseable {

	/** Where the plugins jar lists its plugins: name.wasm and name.class per plugin. */
	public static final String BUILTIN_INDEX = "META-INF/wasm-gateway/builtin-plugins.properties";

	private static final Log logger = LogFactory.getLog(WasmPluginRegistry.class);

	private final WasmEngine engine;

	private final ResourceLoader resources;

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

	public WasmPluginRegistry(WasmEngine engine, ResourceLoader resources, Iterable<PluginDefinition> definitions) {
		this.engine = engine;
		this.resources = resources;
		Map<String, PluginHandle> loaded = new LinkedHashMap<>();
		this.plugins = loaded;
		try {
			for (PluginDefinition definition : definitions) {
				loaded.put(definition.name(), new PluginHandle(definition, load(definition)));
			}
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		this.plugins = Collections.unmodifiableMap(loaded);
	}

	private PluginHandle.Generation load(PluginDefinition definition) {
		String name = definition.name();
		String location = definition.location();
		long started = System.nanoTime();
		CompiledPlugin compiled = compile(definition, "wasm-gateway.plugins");
		Plugin plugin = this.engine.createPlugin(compiled, definition.settings());
		PluginConfiguration defaults;
		try {
			defaults = plugin.configure(definition.configuration());
		}
		catch (PluginLoadException ex) {
			plugin.close();
			throw new WasmPluginException(name, null, ex.getMessage(),
					"Fix wasm-gateway.plugins." + name + ".configuration (or vm-configuration).", ex);
		}
		logger.info("Loaded wasm plugin '" + name + "' from " + location + " (" + compiled.mode() + ", "
				+ compiled.profile().abiVersion() + ", sha256 " + compiled.sha256() + ", "
				+ compiled.interpretedFunctions() + " interpreted functions, "
				+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms)");
		return new PluginHandle.Generation(plugin, defaults);
	}

	/**
	 * Reads, verifies and compiles the binary of a definition (a route plugin's or a
	 * service plugin's, declared under {@code declaredUnder}).
	 * @throws WasmPluginException naming the plugin, the cause and what to do
	 */
	public CompiledPlugin compile(PluginDefinition definition, String declaredUnder) {
		String name = definition.name();
		String location = definition.location();
		if (location == null || location.isBlank()) {
			throw new WasmPluginException(name, null, "no location is configured",
					"Set " + declaredUnder + "." + name + ".location to file:, classpath:, https: or builtin:NAME.",
					null);
		}
		try {
			if (location.startsWith("builtin:")) {
				return loadBuiltin(definition, location.substring("builtin:".length()));
			}
			PluginBinary binary = read(definition).verifySha256(definition.sha256());
			return this.engine.compile(binary, definition.mode());
		}
		catch (PluginLoadException ex) {
			throw new WasmPluginException(name, null, ex.getMessage(),
					"Fix the binary at " + location + " (or its sha256 pin) and restart.", ex);
		}
	}

	private PluginBinary read(PluginDefinition definition) {
		String location = definition.location();
		if (location.startsWith("https:") || location.startsWith("http:")) {
			if (definition.sha256() == null || definition.sha256().isBlank()) {
				throw new WasmPluginException(definition.name(), null,
						"a plugin downloaded from " + location + " must have its sha256 pinned",
						"Set wasm-gateway.plugins." + definition.name() + ".sha256 to the binary's sha256.", null);
			}
		}
		Resource resource = this.resources.getResource(location);
		try (InputStream in = resource.getInputStream()) {
			return PluginBinary.of(in.readAllBytes(), location);
		}
		catch (IOException ex) {
			throw new WasmPluginException(definition.name(), null,
					"cannot read " + location + " (" + ex.getMessage() + ")",
					"Check that wasm-gateway.plugins." + definition.name() + ".location points at a .wasm file.", ex);
		}
	}

	private CompiledPlugin loadBuiltin(PluginDefinition definition, String builtin) {
		ClassLoader classLoader = this.resources.getClassLoader();
		Properties index = new Properties();
		try (InputStream in = (classLoader != null) ? classLoader.getResourceAsStream(BUILTIN_INDEX) : null) {
			if (in != null) {
				index.load(in);
			}
		}
		catch (IOException ex) {
			// treated as no index below
		}
		String wasm = index.getProperty(builtin + ".wasm");
		String className = index.getProperty(builtin + ".class");
		if (wasm == null || className == null) {
			throw new WasmPluginException(definition.name(), null, "there is no built-in plugin '" + builtin + "'",
					"Add the io.github.wasmgateway:wasm-gateway-plugins dependency, or use one of: "
							+ index.stringPropertyNames()
								.stream()
								.filter((key) -> key.endsWith(".wasm"))
								.sorted()
								.map((key) -> key.substring(0, key.length() - 5))
								.toList(),
					null);
		}
		try (InputStream in = classLoader.getResourceAsStream(wasm)) {
			PluginBinary binary = PluginBinary.of(in.readAllBytes(), "builtin:" + builtin)
				.verifySha256(definition.sha256());
			return this.engine.precompiled(binary, className, classLoader);
		}
		catch (IOException | NullPointerException ex) {
			throw new WasmPluginException(definition.name(), null, "cannot read built-in plugin " + wasm,
					"Check the wasm-gateway-plugins jar.", ex);
		}
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
					handle = new PluginHandle(definition, load(definition));
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
	 * A route refresh ended: after a full, successful one, the bindings of routes that
	 * are gone are dropped (reloads stop configuring them) and removed plugins close once
	 * their last stream ends.
	 */
	public synchronized void routesRefreshed(boolean succeeded) {
		if (!succeeded || this.scopedRefresh) {
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
				if (!force && unchanged(definition, current.plugin().compiled())) {
					return handle.lastReload();
				}
				next = load(definition);
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
	 * Whether the definition's binary is the one {@code current} was compiled from (a
	 * built-in plugin never changes while the gateway runs).
	 */
	public boolean unchanged(PluginDefinition definition, CompiledPlugin current) {
		if (definition.location().startsWith("builtin:")) {
			return true;
		}
		try {
			return read(definition).sha256().equals(current.sha256());
		}
		catch (RuntimeException ex) {
			return false;
		}
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

	/** One plugin as configured: name, where it comes from, how it runs. */
	public record PluginDefinition(String name, String location, String sha256, ExecutionMode mode,
			PluginSettings settings, byte[] configuration, FailurePolicy failurePolicy) {

		/** Same plugin and settings; only the default configuration may differ. */
		boolean sameExceptConfiguration(PluginDefinition other) {
			return this.name.equals(other.name) && Objects.equals(this.location, other.location)
					&& Objects.equals(this.sha256, other.sha256) && this.mode == other.mode
					&& this.settings.equals(other.settings) && this.failurePolicy == other.failurePolicy;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof PluginDefinition that && sameExceptConfiguration(that)
					&& Arrays.equals(this.configuration, that.configuration);
		}

		@Override
		public int hashCode() {
			return this.name.hashCode();
		}

	}

	/** What a plugin does when a call into it fails. */
	public enum FailurePolicy {

		FAIL_CLOSED, FAIL_OPEN

	}

}
