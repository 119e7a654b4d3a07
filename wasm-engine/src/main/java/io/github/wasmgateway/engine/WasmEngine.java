package io.github.wasmgateway.engine;

import com.dylibso.chicory.wasm.WasmModule;
import io.github.wasmgateway.engine.abi.HostFunctions;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.internal.CallWatchdog;
import io.github.wasmgateway.engine.internal.CompileCache;
import io.github.wasmgateway.engine.internal.CpuSampler;
import io.github.wasmgateway.engine.internal.LoadedModule;
import io.github.wasmgateway.engine.internal.ModuleCompiler;
import io.github.wasmgateway.engine.internal.ModuleInspector;
import io.github.wasmgateway.engine.internal.ServiceThread;
import io.github.wasmgateway.engine.internal.UnsignedCompareWorkaround;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The entry point: loads and compiles plugin binaries, and starts plugins.
 *
 * <pre>
 * WasmEngine engine = WasmEngine.builder().withCompileCache(Path.of(".wasm-cache")).build();
 * CompiledPlugin compiled = engine.compile(PluginBinary.of(bytes, "key-auth.wasm"), ExecutionMode.AOT);
 * Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder("key-auth").build());
 * PluginConfiguration configuration = plugin.configure(json);
 * HttpStream stream = plugin.openStream(configuration, exchange);
 * </pre>
 */
public final class WasmEngine implements AutoCloseable {

	private final CompileCache cache;

	private final HostServices services;

	private final CallWatchdog watchdog;

	private WasmEngine(Builder builder) {
		this.cache = (builder.compileCache != null) ? new CompileCache(builder.compileCache) : null;
		this.services = builder.services;
		this.watchdog = new CallWatchdog(builder.watchdogTick.toNanos());
		CpuSampler.available();
		UnsignedCompareWorkaround.applied();
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Verifies and compiles a binary. AOT compiles to JVM bytecode, or loads the classes
	 * and the stripped module from the compile cache without parsing the binary's code
	 * again; INTERPRETER only parses.
	 * @throws PluginLoadException when the binary is not a usable proxy-wasm plugin
	 */
	public CompiledPlugin compile(PluginBinary binary, ExecutionMode mode) {
		Objects.requireNonNull(mode, "mode");
		if (mode == ExecutionMode.PRECOMPILED) {
			throw new IllegalArgumentException("precompiled plugins are loaded with precompiled(binary, className)");
		}
		if (mode == ExecutionMode.AOT && this.cache != null) {
			LoadedModule cached = compiling(binary, () -> ModuleCompiler.cached(binary.sha256(), this.cache));
			if (cached != null) {
				// the stripped module has every section but the compiled code: the
				// profile and the host functions are read from it as from the binary
				AbiProfile profile = ModuleInspector.inspect(cached.module(), binary.origin());
				HostFunctions.check(cached.module(), binary.origin());
				return new CompiledPlugin(binary, profile, mode, cached);
			}
		}
		WasmModule module = ModuleCompiler.parse(binary.unsafeBytes(), binary.origin());
		AbiProfile profile = ModuleInspector.inspect(module, binary.origin());
		HostFunctions.check(module, binary.origin());
		LoadedModule loaded = (mode == ExecutionMode.INTERPRETER) ? ModuleCompiler.interpreted(module) : compiling(
				binary, () -> ModuleCompiler.compile(binary.unsafeBytes(), module, binary.sha256(), this.cache));
		return new CompiledPlugin(binary, profile, mode, loaded);
	}

	private static LoadedModule compiling(PluginBinary binary, Supplier<LoadedModule> step) {
		try {
			return step.get();
		}
		catch (PluginLoadException ex) {
			throw ex;
		}
		catch (RuntimeException | LinkageError ex) {
			throw new PluginLoadException(binary.origin() + " could not be compiled to JVM bytecode (" + ex
					+ "); run it with mode interpreter and report the plugin", ex);
		}
	}

	/**
	 * A plugin whose classes were generated at build time by Chicory's compiler Maven
	 * plugin ({@code className} has static {@code load()} and {@code create(Instance)}).
	 * The binary gives the profile, the sha256 and the function names; its code, which
	 * never runs, is not decoded.
	 */
	public CompiledPlugin precompiled(PluginBinary binary, String className, ClassLoader classLoader) {
		WasmModule module = ModuleCompiler.parseWithoutCode(binary.unsafeBytes(), binary.origin());
		AbiProfile profile = ModuleInspector.inspect(module, binary.origin());
		HostFunctions.check(module, binary.origin());
		return new CompiledPlugin(binary, profile, ExecutionMode.PRECOMPILED,
				ModuleCompiler.precompiled(module, className, classLoader));
	}

	/** Starts a plugin with this engine's host services. */
	public Plugin createPlugin(CompiledPlugin compiled, PluginSettings settings) {
		return createPlugin(compiled, settings, this.services);
	}

	public Plugin createPlugin(CompiledPlugin compiled, PluginSettings settings, HostServices services) {
		return new Plugin(compiled, settings, services, services.workers(), this.watchdog);
	}

	/**
	 * Starts a service plugin (Envoy's singleton {@code WasmService}): one VM on a thread
	 * of its own, started and configured with {@code configuration} before this returns.
	 * @throws PluginLoadException when the plugin cannot start or rejects its
	 * configuration
	 */
	public WasmService startService(CompiledPlugin compiled, PluginSettings settings, byte[] configuration) {
		return startService(compiled, settings, configuration, this.services);
	}

	public WasmService startService(CompiledPlugin compiled, PluginSettings settings, byte[] configuration,
			HostServices services) {
		ServiceThread thread = new ServiceThread(settings.name());
		Plugin plugin = new Plugin(compiled, settings, services, thread, this.watchdog);
		try {
			plugin.configure(configuration);
		}
		catch (RuntimeException ex) {
			plugin.close();
			thread.close();
			throw ex;
		}
		return new WasmService(plugin, thread);
	}

	public HostServices services() {
		return this.services;
	}

	/** The compile cache directory, or null when compiled code is not cached. */
	public Path compileCacheDirectory() {
		return (this.cache != null) ? this.cache.directory() : null;
	}

	@Override
	public void close() {
		this.watchdog.close();
	}

	public static final class Builder {

		private Path compileCache;

		private HostServices services = HostServices.defaults();

		private Duration watchdogTick = Duration.ofMillis(2);

		private Builder() {
		}

		/** Where compiled classes are kept across restarts; none by default. */
		public Builder withCompileCache(Path directory) {
			this.compileCache = directory;
			return this;
		}

		public Builder withHostServices(HostServices services) {
			this.services = Objects.requireNonNull(services);
			return this;
		}

		/** How often call deadlines are checked; 2 ms by default. */
		public Builder withWatchdogTick(Duration tick) {
			this.watchdogTick = Objects.requireNonNull(tick);
			return this;
		}

		public WasmEngine build() {
			return new WasmEngine(this);
		}

	}

}
