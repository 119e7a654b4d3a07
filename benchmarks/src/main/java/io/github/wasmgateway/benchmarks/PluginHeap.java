package io.github.wasmgateway.benchmarks;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginFootprint;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.ObjectName;

/**
 * The heap each built-in plugin and the large fixture retain once loaded (one VM, or
 * {@code --vms=N}: one per single-thread worker, as the gateway's event loops;
 * configured), by the two methods of docs/performance.md ("Heap per plugin"): the
 * engine's own walk of the plugin's object graph ({@code PluginFootprint}, what the
 * {@code wasmplugins} endpoint shows) and the difference of two heap histograms after a
 * full GC ({@code GC.class_histogram}) taken before and after loading it, less its linear
 * memory; and how long the walk (with the metaspace read) took. Each plugin gets the demo
 * gateway's configuration (or {@code {}}); one that refuses it is marked.
 * {@code --breakdown=NAME} prints what that plugin retains, class by class.
 * {@code --compile-cache=DIR} loads AOT plugins through a compile cache: run twice with
 * the same directory, the second run measures them loaded from it (the classes not yet
 * run are held as bytes, not yet defined).
 *
 * <pre>
 * ./mvnw -Pquick install
 * java -cp benchmarks/target/benchmarks.jar io.github.wasmgateway.benchmarks.PluginHeap [mode...] [--vms=N] [--breakdown=NAME] [--compile-cache=DIR]
 * </pre>
 */
public final class PluginHeap {

	private static final String INDEX = "META-INF/wasm-gateway/builtin-plugins.properties";

	private static final String LARGE_FIXTURE = "fixtures/large-profile.wasm";

	/**
	 * The smallest configuration each built-in plugin accepts (the demo gateway's);
	 * cluster-key-rate-limit needs a Redis and is measured without one.
	 */
	private static final Map<String, String> CONFIGURATIONS = Map.of("basic-auth",
			"{\"consumers\":[{\"name\":\"carol\",\"credential\":\"carol:secret\"}],\"global_auth\":true}", "hmac-auth",
			"{\"consumers\":[{\"key\":\"k1\",\"secret\":\"s1\",\"name\":\"c1\"}]}", "hmac-auth-apisix",
			"{\"consumers\":[{\"access_key\":\"k1\",\"secret_key\":\"s1\"}]}", "jwt-auth",
			"{\"consumers\":[{\"name\":\"dave\",\"issuer\":\"demo-issuer\",\"jwks\":\"{\\\"keys\\\": [{\\\"kty\\\": "
					+ "\\\"oct\\\", \\\"kid\\\": \\\"demo\\\", \\\"k\\\": "
					+ "\\\"c2VjcmV0LW9mLWF0LWxlYXN0LTMyLWJ5dGVzLWxvbmch\\\"}]}\"}],\"global_auth\":true}",
			"key-auth",
			"{\"keys\":[\"x-api-key\"],\"global_auth\":true,\"consumers\":[{\"name\":\"alice\",\"credential\":\"alice-key\"}]}",
			"key-rate-limit",
			"{\"limit_by_header\":\"x-user\",\"limit_keys\":[{\"key\":\"demo\",\"query_per_minute\":3}]}", "oauth",
			"{\"consumers\":[{\"name\":\"frank\",\"client_id\":\"demo-client\",\"client_secret\":\"demo-secret\"}],"
					+ "\"issuer\":\"demo-gateway\",\"auth_path\":\"/oauth2/token\",\"global_auth\":true}",
			"request-block", "{\"block_urls\":[\"/admin\"]}");

	private PluginHeap() {
	}

	public static void main(String[] args) throws Exception {
		List<ExecutionMode> modes = new ArrayList<>();
		int vms = 1;
		String breakdown = null;
		Path compileCache = null;
		for (String arg : args) {
			if (arg.startsWith("--vms=")) {
				vms = Integer.parseInt(arg.substring("--vms=".length()));
			}
			else if (arg.startsWith("--compile-cache=")) {
				compileCache = Path.of(arg.substring("--compile-cache=".length()));
			}
			else if (arg.startsWith("--breakdown=")) {
				breakdown = arg.substring("--breakdown=".length());
			}
			else {
				modes.add(ExecutionMode.valueOf(arg.toUpperCase(Locale.ROOT)));
			}
		}
		if (modes.isEmpty()) {
			modes = List.of(ExecutionMode.PRECOMPILED, ExecutionMode.AOT, ExecutionMode.INTERPRETER);
		}
		ClassLoader loader = PluginHeap.class.getClassLoader();
		Properties index = new Properties();
		try (InputStream in = loader.getResourceAsStream(INDEX)) {
			index.load(in);
		}
		TreeSet<String> names = new TreeSet<>();
		index.stringPropertyNames()
			.stream()
			.filter((key) -> key.endsWith(".wasm"))
			.forEach((key) -> names.add(key.substring(0, key.length() - ".wasm".length())));
		System.out.printf("%-24s %-11s %9s %11s %6s %11s %6s %9s %10s%n", "plugin", "mode", "binary", "walked", "ratio",
				"histogram", "ratio", "linear", "metaspace");
		Workers workers = new Workers(vms);
		WasmEngine.Builder builder = WasmEngine.builder()
			.withHostServices(HostServices.builder().withWorkers(workers).build());
		if (compileCache != null) {
			builder.withCompileCache(compileCache);
		}
		try (WasmEngine engine = builder.build()) {
			for (ExecutionMode mode : modes) {
				// the first load of a mode pays for the engine's and Chicory's own
				// classes
				// and caches: load one and forget it
				measure(engine, binary(loader, index, names.first()), index, names.first(), mode, loader);
				for (String name : names) {
					print(name, mode, measure(engine, binary(loader, index, name), index, name, mode, loader));
				}
				if (breakdown != null && names.contains(breakdown)) {
					breakdown(engine, binary(loader, index, breakdown), index, breakdown, mode, loader);
				}
				if (mode != ExecutionMode.PRECOMPILED) {
					PluginBinary large = fixture(loader);
					print("large-profile (fixture)", mode, measure(engine, large, index, null, mode, loader));
				}
			}
		}
		finally {
			workers.close();
		}
	}

	private static Row measure(WasmEngine engine, PluginBinary binary, Properties index, String name,
			ExecutionMode mode, ClassLoader loader) throws Exception {
		long before = heapAfterGc();
		CompiledPlugin compiled = (mode == ExecutionMode.PRECOMPILED)
				? engine.precompiled(binary, index.getProperty(name + ".class"), loader) : engine.compile(binary, mode);
		try (Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder("heap").build())) {
			boolean configured = true;
			try {
				plugin.configure(((name != null) ? CONFIGURATIONS.getOrDefault(name, "{}") : "{}")
					.getBytes(StandardCharsets.UTF_8));
			}
			catch (PluginLoadException ex) {
				configured = false;
			}
			long linear = plugin.vms().stream().mapToLong(VmInfo::memoryBytes).sum();
			long histogram = heapAfterGc() - before - linear;
			long started = System.nanoTime();
			PluginFootprint.Figures figures = plugin.footprint().measure();
			long millis = (System.nanoTime() - started) / 1_000_000;
			return new Row(binary.size(), figures, histogram, linear, configured, millis);
		}
	}

	/** What one plugin retains, class by class (arrays by their element type). */
	private static void breakdown(WasmEngine engine, PluginBinary binary, Properties index, String name,
			ExecutionMode mode, ClassLoader loader) {
		CompiledPlugin compiled = (mode == ExecutionMode.PRECOMPILED)
				? engine.precompiled(binary, index.getProperty(name + ".class"), loader) : engine.compile(binary, mode);
		try (Plugin plugin = engine.createPlugin(compiled, PluginSettings.builder("heap").build())) {
			plugin.configure(CONFIGURATIONS.getOrDefault(name, "{}").getBytes(StandardCharsets.UTF_8));
			System.out.printf("%n%s (%s), by class:%n", name, mode.name().toLowerCase(Locale.ROOT));
			for (PluginFootprint.ClassBytes row : plugin.footprint().byClass()) {
				System.out.printf("%10d %7d %s%n", row.bytes(), row.count(), row.className());
			}
		}
	}

	private static void print(String name, ExecutionMode mode, Row row) {
		System.out.printf("%-24s %-11s %9d %11d %6.2f %11d %6.2f %9d %10s %6d%n", name + (row.configured ? "" : " (*)"),
				mode.name().toLowerCase(Locale.ROOT), row.binary, row.figures.retainedHeapBytes(),
				row.figures.heapToBinaryRatio(), row.histogram, (double) row.histogram / row.binary, row.linear,
				(row.figures.metaspaceBytes() >= 0) ? Long.toString(row.figures.metaspaceBytes()) : "shared",
				row.measureMillis);
	}

	/**
	 * Bytes of live objects: {@code GC.class_histogram}, which collects first, as
	 * {@code jcmd PID GC.class_histogram} prints it (its last line is the total).
	 */
	private static long heapAfterGc() throws Exception {
		String histogram = (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		String[] lines = histogram.strip().split("\n");
		String[] total = lines[lines.length - 1].trim().split("\\s+");
		return Long.parseLong(total[total.length - 1]);
	}

	private static PluginBinary binary(ClassLoader loader, Properties index, String name) throws IOException {
		try (InputStream in = loader.getResourceAsStream(index.getProperty(name + ".wasm"))) {
			return PluginBinary.of(in.readAllBytes(), "builtin:" + name);
		}
	}

	private static PluginBinary fixture(ClassLoader loader) throws IOException {
		try (InputStream in = loader.getResourceAsStream(LARGE_FIXTURE)) {
			return PluginBinary.of(in.readAllBytes(), LARGE_FIXTURE);
		}
	}

	/** Single-thread workers, as the gateway's event loops. */
	private static final class Workers implements WorkerExecutors, AutoCloseable {

		private final List<ExecutorService> executors = new ArrayList<>();

		private final ThreadLocal<Executor> current = new ThreadLocal<>();

		Workers(int count) {
			for (int i = 0; i < count; i++) {
				ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
					Thread thread = new Thread(task, "worker");
					thread.setDaemon(true);
					return thread;
				});
				executor.execute(() -> this.current.set(executor));
				this.executors.add(executor);
			}
		}

		@Override
		public Executor currentWorker() {
			Executor executor = this.current.get();
			return (executor != null) ? executor : Runnable::run;
		}

		@Override
		public List<Executor> all() {
			return List.copyOf(this.executors);
		}

		@Override
		public void close() {
			this.executors.forEach(ExecutorService::shutdown);
		}

	}

	private record Row(int binary, PluginFootprint.Figures figures, long histogram, long linear, boolean configured,
			long measureMillis) {
	}

}
