package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.abi.HostFunctions;
import com.sun.management.OperatingSystemMXBean;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where a plugin's start-up goes, cold (empty compile cache) and warm (the cache filled
 * by the cold run), each measured in a fresh JVM as a gateway restart would be. It lives
 * in the engine's internal package because the phase split (parse, cache read, class
 * definition, stripped module, instantiation, {@code _initialize}) calls the engine's
 * loading steps one by one (the first instantiation includes linking the compiled
 * classes, the second is what each further VM costs); the "engine" figures go through the
 * public API as the gateway does.
 *
 * <pre>
 * ./mvnw -Pquick install
 * java -cp benchmarks/target/benchmarks.jar io.github.wasmgateway.engine.internal.StartupTimes [rounds [scenario...]]
 * </pre>
 *
 * Scenarios, interleaved round by round: {@code large} (fixtures/large-profile.wasm, the
 * Go-sized stand-in) phase by phase; {@code large-engine} (the same through
 * {@code WasmEngine.compile}, {@code createPlugin}, {@code configure}); {@code 24} (the
 * 11 built-in plugins, precompiled, and 13 fixtures of every SDK family in AOT mode,
 * compiled and configured on a pool of one thread per core, as the gateway does).
 */
public final class StartupTimes {

	private static final String CPU = ".cpu";

	private static final String INDEX = "META-INF/wasm-gateway/builtin-plugins.properties";

	/**
	 * The fixtures of the 24-module load: one or more per SDK family, and the large one.
	 */
	private static final List<String> FIXTURES = List.of("go-profile", "tinygo-profile", "emscripten-profile",
			"abi010-three-param", "higress-profile", "exerciser", "wasi-libc", "rust-plugin", "as-plugin",
			"bench-headers", "huge-function", "phase-codes", "large-profile");

	private StartupTimes() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length >= 3 && args[0].equals("child")) {
			child(args[1], Path.of(args[2]));
			return;
		}
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		List<String> scenarios = (args.length > 1) ? List.of(args).subList(1, args.length)
				: List.of("large", "large-engine", "24");
		Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
		for (int round = 1; round <= rounds; round++) {
			for (String scenario : scenarios) {
				Path cache = Files.createTempDirectory("startup-cache");
				for (String kind : List.of("cold", "warm")) {
					results.computeIfAbsent(scenario + " " + kind, (k) -> new ArrayList<>())
						.add(runChild(scenario, cache));
				}
				deleteTree(cache);
			}
		}
		System.out.printf(Locale.ROOT, "%nmedians of %d rounds, each run in a fresh JVM: wall ms (process CPU ms)%n",
				rounds);
		for (Map.Entry<String, List<Map<String, Double>>> row : results.entrySet()) {
			StringBuilder line = new StringBuilder("| " + row.getKey() + " |");
			for (String phase : row.getValue().get(0).keySet()) {
				if (!phase.endsWith(CPU)) {
					line.append(String.format(Locale.ROOT, " %s %.0f (%.0f) |", phase, median(row.getValue(), phase),
							median(row.getValue(), phase + CPU)));
				}
			}
			System.out.println(line);
		}
	}

	private static double median(List<Map<String, Double>> runs, String phase) {
		double[] values = runs.stream().mapToDouble((m) -> m.getOrDefault(phase, 0.0)).toArray();
		Arrays.sort(values);
		return values[values.length / 2];
	}

	private static Map<String, Double> runChild(String scenario, Path cache) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
		command.addAll(List.of(StartupTimes.class.getName(), "child", scenario, cache.toString()));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (process.waitFor() != 0) {
			throw new IllegalStateException(scenario + " failed: " + output);
		}
		output.lines().forEach((line) -> System.out.println(scenario + " " + line));
		String last = output.substring(output.lastIndexOf('\n') + 1);
		Map<String, Double> phases = new LinkedHashMap<>();
		for (String item : last.split(" ")) {
			String[] pair = item.split("=");
			if (pair.length == 2) {
				phases.put(pair[0], Double.parseDouble(pair[1]));
			}
		}
		return phases;
	}

	private static void child(String scenario, Path cacheDirectory) throws Exception {
		Map<String, Long> phases = new LinkedHashMap<>();
		Timer total = new Timer(new LinkedHashMap<>());
		boolean warm = Files.list(cacheDirectory).anyMatch((f) -> f.toString().endsWith(".jar"));
		switch (scenario) {
			case "large" -> large(phases, cacheDirectory, warm);
			case "large-engine" -> largeEngine(phases, cacheDirectory);
			case "24" -> all(phases, cacheDirectory);
			default -> throw new IllegalArgumentException(scenario);
		}
		StringBuilder line = new StringBuilder((warm ? "warm" : "cold"));
		total.lap("total");
		phases.putAll(total.phases);
		phases.forEach((phase, nanos) -> line.append(String.format(Locale.ROOT, " %s=%.1f", phase, nanos / 1e6)));
		System.out.println(line);
	}

	/**
	 * The engine's AOT loading steps one by one, then two VMs instantiated and started,
	 * and (warm) every class start-up left undefined defined and verified, as calls
	 * reaching them later do. Warm, {@code WasmEngine.compile} parses the stripped module
	 * on a second thread while it defines the classes; here they run one after the other,
	 * to time each.
	 */
	private static void large(Map<String, Long> phases, Path cacheDirectory, boolean warm) throws IOException {
		Timer timer = new Timer(phases);
		byte[] bytes = fixture("large-profile");
		String sha256 = PluginBinary.of(bytes, "large-profile").sha256();
		CompileCache cache = new CompileCache(cacheDirectory);
		timer.lap("read");
		LoadedModule loaded;
		if (!warm) {
			WasmModule module = ModuleCompiler.parse(bytes, "large-profile");
			timer.lap("parse");
			ModuleInspector.inspect(module, "large-profile");
			HostFunctions.check(module, "large-profile");
			timer.lap("inspect");
			loaded = ModuleCompiler.compile(bytes, module, sha256, cache);
			timer.lap("compile");
		}
		else {
			CompileCache.Entry entry = cache.get(sha256, (module, interpreted) -> {
			});
			timer.lap("cacheRead");
			var factory = CachedClasses.define(entry);
			timer.lap("defineClasses");
			ModuleCompiler.Stripped stripped = ModuleCompiler.parseStripped(entry.module(),
					entry.interpretedFunctions());
			timer.lap("parseStripped");
			ModuleInspector.inspect(stripped.module(), "large-profile");
			HostFunctions.check(stripped.module(), "large-profile");
			timer.lap("inspect");
			loaded = new LoadedModule(stripped.module(), factory, stripped.names(), 0, true, 0, entry.mainClass(),
					new InterpretedStacks());
		}
		instantiate(loaded);
		timer.lap("instantiate");
		Instance instance = instantiate(loaded);
		timer.lap("secondInstantiate");
		instance.export("_initialize").apply();
		timer.lap("initialize");
		if (loaded.machineFactory() instanceof CachedClasses.Machines machines) {
			// what later calls pay, spread over the first call reaching each class:
			// defining and verifying the classes start-up did not run
			ClassLoader classes = machines.constructor().getDeclaringClass().getClassLoader();
			for (String name : List.copyOf(machines.undefined().keySet())) {
				try {
					Class.forName(name, true, classes);
				}
				catch (ClassNotFoundException ex) {
					throw new IllegalStateException(ex);
				}
			}
			timer.lap("laterFirstCalls");
		}
	}

	private static Instance instantiate(LoadedModule loaded) {
		return Instance.builder(loaded.module())
			.withImportValues(stubImports(loaded.module()))
			.withMachineFactory(loaded.machineFactoryOrInterpreter())
			.withStart(false)
			.build();
	}

	/**
	 * The large module as the gateway loads it: the binary's sha256 (the cache key), then
	 * compile, create and configure (one VM).
	 */
	private static void largeEngine(Map<String, Long> phases, Path cacheDirectory) throws IOException {
		Timer timer = new Timer(phases);
		byte[] bytes = fixture("large-profile");
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(cacheDirectory).build()) {
			timer.lap("engine");
			PluginBinary binary = PluginBinary.of(bytes, "large-profile");
			timer.lap("sha256");
			CompiledPlugin compiled = engine.compile(binary, ExecutionMode.AOT);
			timer.lap("compile");
			try (Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder("large-profile").build())) {
				plugin.configure(new byte[0]);
				timer.lap("configure");
			}
		}
	}

	/** 24 plugins compiled and configured on a pool of one thread per core. */
	private static void all(Map<String, Long> phases, Path cacheDirectory) throws Exception {
		Timer timer = new Timer(phases);
		Properties index = new Properties();
		ClassLoader loader = StartupTimes.class.getClassLoader();
		try (InputStream in = loader.getResourceAsStream(INDEX)) {
			index.load(in);
		}
		List<String> builtins = index.stringPropertyNames()
			.stream()
			.filter((k) -> k.endsWith(".wasm"))
			.map((k) -> k.substring(0, k.length() - 5))
			.sorted()
			.toList();
		ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(cacheDirectory).build()) {
			List<Future<Plugin>> loads = new ArrayList<>();
			for (String builtin : builtins) {
				loads.add(pool.submit(() -> {
					byte[] bytes;
					try (InputStream in = loader.getResourceAsStream(index.getProperty(builtin + ".wasm"))) {
						bytes = in.readAllBytes();
					}
					long started = System.nanoTime();
					CompiledPlugin compiled = engine.precompiled(PluginBinary.of(bytes, "builtin:" + builtin),
							index.getProperty(builtin + ".class"), loader);
					Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder(builtin).build());
					System.out.printf(Locale.ROOT, "  %s precompiled %.0f ms%n", builtin,
							(System.nanoTime() - started) / 1e6);
					return plugin;
				}));
			}
			for (String fixture : FIXTURES) {
				loads.add(pool.submit(() -> {
					long started = System.nanoTime();
					CompiledPlugin compiled = engine.compile(PluginBinary.of(fixture(fixture), fixture),
							ExecutionMode.AOT);
					Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder(fixture).build());
					plugin.configure(new byte[0]);
					System.out.printf(Locale.ROOT, "  %s %s %.0f ms%n", fixture,
							compiled.fromCache() ? "from cache" : "compiled", (System.nanoTime() - started) / 1e6);
					return plugin;
				}));
			}
			List<Plugin> plugins = new ArrayList<>();
			for (Future<Plugin> load : loads) {
				plugins.add(load.get());
			}
			timer.lap("load" + plugins.size());
			plugins.forEach(Plugin::close);
		}
		finally {
			pool.shutdown();
		}
	}

	/**
	 * Every function import answered with zeros: enough for instantiation and start-up.
	 */
	private static ImportValues stubImports(WasmModule module) {
		List<ImportFunction> functions = new ArrayList<>();
		for (int i = 0; i < module.importSection().importCount(); i++) {
			Import item = module.importSection().getImport(i);
			if (item instanceof FunctionImport function) {
				FunctionType type = module.typeSection().getType(function.typeIndex());
				functions.add(new HostFunction(item.module(), item.name(), type,
						(instance, arguments) -> new long[type.returns().size()]));
			}
		}
		return ImportValues.builder().withFunctions(functions).build();
	}

	private static byte[] fixture(String name) throws IOException {
		try (InputStream in = StartupTimes.class.getResourceAsStream("/fixtures/" + name + ".wasm")) {
			return in.readAllBytes();
		}
	}

	private static void deleteTree(Path directory) throws IOException {
		try (var files = Files.walk(directory)) {
			files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
		}
	}

	/**
	 * Wall time and the process's CPU time (every thread, the JIT compilers included) of
	 * each phase: on a busy machine the CPU time is the steadier figure.
	 */
	private static final class Timer {

		private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();

		private final Map<String, Long> phases;

		private long last = System.nanoTime();

		private long lastCpu = os.getProcessCpuTime();

		Timer(Map<String, Long> phases) {
			this.phases = phases;
		}

		void lap(String phase) {
			long now = System.nanoTime();
			long cpu = os.getProcessCpuTime();
			this.phases.put(phase, now - this.last);
			this.phases.put(phase + CPU, cpu - this.lastCpu);
			this.last = now;
			this.lastCpu = cpu;
		}

	}

}
