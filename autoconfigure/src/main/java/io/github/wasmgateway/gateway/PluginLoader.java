package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.WasmEngine;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns a plugin definition into a running version of the plugin: the binary read from
 * its location by the first {@link PluginSource} that serves it (or the precompiled
 * built-in plugin for {@code builtin:NAME}), verified, compiled, started, and its default
 * configuration accepted. The registry gets every plugin version from here and binds
 * routes to them.
 */
public class PluginLoader {

	/** Where the plugins jar lists its plugins: name.wasm and name.class per plugin. */
	public static final String BUILTIN_INDEX = "META-INF/wasm-gateway/builtin-plugins.properties";

	private static final String BUILTIN = "builtin:";

	private static final Log logger = LogFactory.getLog(PluginLoader.class);

	private final WasmEngine engine;

	private final ClassLoader classLoader;

	private final List<PluginSource> sources;

	private final PluginLimits limits;

	public PluginLoader(WasmEngine engine, ClassLoader classLoader, List<PluginSource> sources) {
		this(engine, classLoader, sources, PluginLimits.DEFAULTS);
	}

	public PluginLoader(WasmEngine engine, ClassLoader classLoader, List<PluginSource> sources, PluginLimits limits) {
		this.engine = engine;
		this.classLoader = classLoader;
		this.sources = List.copyOf(sources);
		this.limits = limits;
	}

	/** The size limits every plugin and route configuration is held to. */
	public PluginLimits limits() {
		return this.limits;
	}

	/**
	 * Loads the plugins of a starting gateway, several at once on a pool of one thread
	 * per core (compiling is what takes the time, and it is CPU-bound; each plugin's VMs
	 * are then built on the event loops as always), and logs what each cost and the
	 * total.
	 * @return a version of each plugin, in the order of {@code definitions}
	 * @throws WasmPluginException (or whatever failed) for the first plugin, in the order
	 * of {@code definitions}, that could not be loaded, once every plugin loaded
	 * meanwhile is closed
	 */
	public List<PluginHandle.Generation> loadAll(List<PluginDefinition> definitions) {
		if (definitions.isEmpty()) {
			return List.of();
		}
		long started = System.nanoTime();
		int threads = Math.max(1, Math.min(definitions.size(), loadThreads()));
		AtomicInteger threadNumber = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, "wasm-plugin-load-" + threadNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		List<PluginHandle.Generation> loaded = new ArrayList<>();
		Throwable failure = null;
		try {
			List<Future<PluginHandle.Generation>> loads = new ArrayList<>();
			for (PluginDefinition definition : definitions) {
				loads.add(executor.submit(() -> load(definition)));
			}
			for (Future<PluginHandle.Generation> load : loads) {
				try {
					loaded.add(load.get());
				}
				catch (ExecutionException ex) {
					failure = (failure != null) ? failure : ex.getCause();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failure = new IllegalStateException("interrupted while loading the wasm plugins", ex);
		}
		finally {
			executor.shutdownNow();
		}
		if (failure != null) {
			loaded.forEach((generation) -> generation.plugin().close());
			if (failure instanceof Error error) {
				throw error;
			}
			throw (failure instanceof RuntimeException runtime) ? runtime : new IllegalStateException(failure);
		}
		logger.info("Loaded " + loaded.size() + ((loaded.size() == 1) ? " wasm plugin" : " wasm plugins") + " in "
				+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms on " + threads
				+ ((threads == 1) ? " thread (" : " threads (") + countBy(loaded) + ")");
		return loaded;
	}

	/** How many plugins {@link #loadAll} loads at once: one per core. */
	protected int loadThreads() {
		return Runtime.getRuntime().availableProcessors();
	}

	private static String countBy(List<PluginHandle.Generation> loaded) {
		Map<String, Long> counts = new TreeMap<>();
		for (PluginHandle.Generation generation : loaded) {
			counts.merge(howCompiled(generation.plugin().compiled()), 1L, Long::sum);
		}
		return counts.entrySet()
			.stream()
			.map((count) -> count.getValue() + " " + count.getKey())
			.collect(Collectors.joining(", "));
	}

	/** Where a plugin's code came from, as the log says it. */
	private static String howCompiled(CompiledPlugin compiled) {
		return switch (compiled.mode()) {
			case AOT -> compiled.fromCache() ? "from the compile cache" : "compiled";
			case PRECOMPILED -> "precompiled";
			case INTERPRETER -> "interpreted";
		};
	}

	/**
	 * Loads, compiles, starts and configures the plugin {@code definition} describes.
	 * @throws WasmPluginException naming the plugin when any step fails
	 */
	public PluginHandle.Generation load(PluginDefinition definition) {
		String name = definition.name();
		String location = definition.location();
		long started = System.nanoTime();
		CompiledPlugin compiled = compile(definition, "wasm-gateway.plugins");
		long compiledAt = System.nanoTime();
		this.limits.checkConfiguration(name, null, "vm-configuration", definition.settings().vmConfiguration());
		this.limits.checkConfiguration(name, null, "configuration", definition.configuration());
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
		long now = System.nanoTime();
		logger.info("Loaded wasm plugin '" + name + "' from " + location + " in "
				+ Duration.ofNanos(now - started).toMillis() + " ms: " + compiled.mode() + ", " + howCompiled(compiled)
				+ " in " + Duration.ofNanos(compiledAt - started).toMillis() + " ms (" + compiled.size() + " bytes, "
				+ compiled.functions() + " functions, " + compiled.interpretedFunctions() + " interpreted), "
				+ plugin.vms().size() + " VMs started in " + Duration.ofNanos(now - compiledAt).toMillis() + " ms ("
				+ compiled.profile().abiVersion() + ", sha256 " + compiled.sha256() + ")");
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
			throw new WasmPluginException(name, null, "no location is configured", "Set " + declaredUnder + "." + name
					+ ".location to file:, classpath:, https:, oci:// or builtin:NAME.", null);
		}
		try {
			return location.startsWith(BUILTIN) ? builtin(definition, location.substring(BUILTIN.length()))
					: this.engine.compile(read(definition).verifySha256(definition.sha256()), definition.mode());
		}
		catch (PluginLoadException ex) {
			throw new WasmPluginException(name, null, ex.getMessage(),
					"Fix the binary at " + location + " (or its sha256 pin) and restart.", ex);
		}
	}

	/**
	 * Whether the binary at the definition's location is the one {@code current} was
	 * compiled from (built-in plugins change only with the application).
	 */
	public boolean unchanged(PluginDefinition definition, CompiledPlugin current) {
		if (definition.location().startsWith(BUILTIN)) {
			return true;
		}
		try {
			return read(definition).sha256().equals(current.sha256());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private PluginBinary read(PluginDefinition definition) {
		for (PluginSource source : this.sources) {
			PluginBinary binary = source.read(definition);
			if (binary != null) {
				return binary;
			}
		}
		throw new WasmPluginException(definition.name(), null,
				"no plugin source serves the location " + definition.location(),
				"Use a file:, classpath:, https:, oci:// or builtin: location.", null);
	}

	private CompiledPlugin builtin(PluginDefinition definition, String builtin) {
		Properties index = new Properties();
		try (InputStream in = (this.classLoader != null) ? this.classLoader.getResourceAsStream(BUILTIN_INDEX) : null) {
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
		try (InputStream in = this.classLoader.getResourceAsStream(wasm)) {
			PluginBinary binary = PluginBinary.of(in.readAllBytes(), BUILTIN + builtin)
				.verifySha256(definition.sha256());
			return this.engine.precompiled(binary, className, this.classLoader);
		}
		catch (IOException | NullPointerException ex) {
			throw new WasmPluginException(definition.name(), null, "cannot read built-in plugin " + wasm,
					"Check the wasm-gateway-plugins jar.", ex);
		}
	}

}
