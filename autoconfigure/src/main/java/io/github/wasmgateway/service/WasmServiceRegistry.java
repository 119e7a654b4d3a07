package io.github.wasmgateway.service;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.WasmService;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginException;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.gateway.PluginDefinition;
import io.github.wasmgateway.gateway.PluginLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The service plugins of this gateway ({@code wasm-gateway.services}): each one VM on a
 * thread of its own, started and configured at start-up, and reloaded like a route
 * plugin: a changed binary or definition builds a new service, which replaces the running
 * one only once it started; a failed reload keeps the old one running.
 */
public class WasmServiceRegistry implements AutoCloseable {

	/** Where services are declared, for messages. */
	public static final String PROPERTY = "wasm-gateway.services";

	private static final Log logger = LogFactory.getLog(WasmServiceRegistry.class);

	private final WasmEngine engine;

	/** Reads and compiles service binaries as it does route plugins'. */
	private final PluginLoader loader;

	private final WasmPluginRegistry plugins;

	/** The services running, by name: replaced as a whole, read without a lock. */
	private volatile Map<String, ServiceHandle> services = Map.of();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	public WasmServiceRegistry(WasmEngine engine, PluginLoader loader, WasmPluginRegistry plugins,
			List<PluginDefinition> definitions) {
		this.engine = engine;
		this.loader = loader;
		this.plugins = plugins;
		Map<String, ServiceHandle> started = new LinkedHashMap<>();
		try {
			for (PluginDefinition definition : definitions) {
				if (plugins.plugin(definition.name()) != null) {
					throw new WasmPluginException(definition.name(), null,
							"a plugin and a service are both called '" + definition.name() + "'",
							"Rename one of them: logs and metrics name them alike.", null);
				}
				started.put(definition.name(), new ServiceHandle(definition, start(definition)));
			}
		}
		catch (RuntimeException ex) {
			started.values().forEach(ServiceHandle::close);
			throw ex;
		}
		this.services = Collections.unmodifiableMap(started);
	}

	private WasmService start(PluginDefinition definition) {
		long begun = System.nanoTime();
		CompiledPlugin compiled = this.loader.compile(definition, PROPERTY);
		WasmService service;
		try {
			service = this.engine.startService(compiled, definition.settings(), definition.configuration());
		}
		catch (PluginLoadException ex) {
			throw new WasmPluginException(definition.name(), null, ex.getMessage(),
					"Fix " + PROPERTY + "." + definition.name() + ".configuration (or vm-configuration).", ex);
		}
		logger.info("Started wasm service '" + definition.name() + "' from " + definition.location() + " ("
				+ compiled.mode() + ", " + compiled.profile().abiVersion() + ", sha256 " + compiled.sha256() + ", "
				+ Duration.ofNanos(System.nanoTime() - begun).toMillis() + " ms)");
		return service;
	}

	/** The services, by name. */
	public Map<String, ServiceHandle> services() {
		return this.services;
	}

	/** The service called {@code name}, or null. */
	public ServiceHandle service(String name) {
		return this.services.get(name);
	}

	/** Tells {@code listener} of services added and removed from now on. */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Starts the service's binary again when it changed (or {@code force}); the new one
	 * replaces the running one once it started. A failed reload keeps the old one.
	 */
	public PluginHandle.Reload reload(String name, boolean force) {
		ServiceHandle handle = this.services.get(name);
		if (handle == null) {
			throw new IllegalArgumentException("no service '" + name + "'");
		}
		return reload(handle, handle.definition(), force);
	}

	private PluginHandle.Reload reload(ServiceHandle handle, PluginDefinition definition, boolean force) {
		synchronized (handle) {
			WasmService next;
			try {
				if (!force && definition.equals(handle.definition())
						&& this.loader.unchanged(definition, handle.current().plugin().compiled())) {
					return WasmPluginRegistry.unchanged("service '" + handle.name() + "'", handle.lastReload(),
							() -> handle.recordReload(true, null));
				}
				next = start(definition);
			}
			catch (RuntimeException ex) {
				logger.error("Reload of wasm service '" + handle.name() + "' failed; the running one goes on: "
						+ ex.getMessage());
				return handle.recordReload(false, ex.getMessage());
			}
			handle.swap(next, definition);
			logger.info(
					"Reloaded wasm service '" + handle.name() + "' (sha256 " + next.plugin().compiled().sha256() + ")");
			return handle.recordReload(true, null);
		}
	}

	/**
	 * Makes the services those of {@code definitions} after a configuration change: new
	 * ones start, changed ones are reloaded, those no longer declared stop. Whatever
	 * fails is logged and keeps what was running.
	 */
	public synchronized void update(List<PluginDefinition> definitions) {
		Map<String, ServiceHandle> next = new LinkedHashMap<>();
		List<ServiceHandle> added = new ArrayList<>();
		for (PluginDefinition definition : definitions) {
			ServiceHandle handle = this.services.get(definition.name());
			if (handle == null && this.plugins.plugin(definition.name()) != null) {
				logger.error("Wasm service '" + definition.name() + "' was declared by a configuration change, but a "
						+ "plugin has that name; rename one of them");
				continue;
			}
			if (handle == null) {
				try {
					handle = new ServiceHandle(definition, start(definition));
				}
				catch (RuntimeException ex) {
					logger.error("Wasm service '" + definition.name() + "' was declared by a configuration change "
							+ "but could not be started: " + ex.getMessage());
					continue;
				}
				added.add(handle);
			}
			else if (!definition.equals(handle.definition())) {
				reload(handle, definition, true);
			}
			next.put(definition.name(), handle);
		}
		List<ServiceHandle> gone = new ArrayList<>();
		for (ServiceHandle handle : this.services.values()) {
			if (!next.containsKey(handle.name())) {
				gone.add(handle);
			}
		}
		this.services = Collections.unmodifiableMap(next);
		for (ServiceHandle handle : gone) {
			logger.info("Wasm service '" + handle.name() + "' is no longer declared; it stops");
			handle.close();
		}
		for (Listener listener : this.listeners) {
			added.forEach(listener::added);
			gone.forEach(listener::removed);
		}
	}

	@Override
	public synchronized void close() {
		this.services.values().forEach(ServiceHandle::close);
	}

	/** Told of services added or removed by {@link #update}. */
	public interface Listener {

		default void added(ServiceHandle service) {
		}

		default void removed(ServiceHandle service) {
		}

	}

}
