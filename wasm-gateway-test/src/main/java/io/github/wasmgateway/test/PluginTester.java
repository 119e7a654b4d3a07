package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.ForeignFunction;
import io.github.wasmgateway.engine.host.ForeignFunctions;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.InMemoryMetrics;
import io.github.wasmgateway.engine.host.SharedDataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One proxy-wasm plugin (of any SDK) under test, run by wasm-gateway's engine exactly as
 * the gateway runs it, with every host service it reaches scripted by the test:
 *
 * <pre>{@code
 * try (PluginTester plugin = PluginTester.forFile(Path.of("build/my-plugin.wasm")).build()) {
 *     TestConfiguration configuration = plugin.configure("{\"header\": \"x-hello\"}");
 *     TestResult result = plugin.send(configuration, TestRequest.get("/hello"));
 *     assertThat(result.requestHeader("x-hello")).isEqualTo("world");
 * }
 * }</pre>
 *
 * The plugin's clock ({@link #clock()}), HTTP calls ({@link #httpCalls()}), gRPC calls
 * ({@link #grpcCalls()}), Redis ({@link #redis()}), logs ({@link #logs()}), metrics
 * ({@link #metric(String)}), shared data ({@link #sharedData(String)}) and ticks
 * ({@link #advance(Duration)}) are the test's. Requests may be sent from several threads
 * at once (each runs on a VM of its own, as the gateway's event loops do, to test what
 * the VMs share); releasing, moving the clock and closing are the test thread's. Close it
 * to free the plugin's VMs.
 */
public final class PluginTester implements AutoCloseable {

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String name;

	private final TestClock clock = new TestClock();

	private final LogRecorder logs = new LogRecorder();

	private final ScriptedHttpCalls httpCalls = new ScriptedHttpCalls();

	private final ScriptedGrpcCalls grpcCalls = new ScriptedGrpcCalls();

	private final TestRedis redis = new TestRedis(this.clock);

	private final TestTicks ticks = new TestTicks(this.clock);

	private final InMemoryMetrics metrics = new InMemoryMetrics();

	/** Calls of each foreign function by name, counted as the host answers them. */
	private final Map<String, AtomicInteger> foreignCalls = new ConcurrentHashMap<>();

	private final HostServices services;

	private final WasmEngine engine;

	private final Plugin plugin;

	/** Requests that wait for the plugin; they go on when it resumes or replies. */
	private final List<StreamDriver> paused = new CopyOnWriteArrayList<>();

	private PluginTester(Builder builder) {
		this.name = builder.name;
		this.services = HostServices.builder()
			.withForeignFunctions(
					counted(builder.hostCrypto ? ForeignFunctions.standard() : ForeignFunctions.withoutHostCrypto()))
			.withLoggers((plugin) -> this.logs)
			.withClock(this.clock)
			.withRedis(this.redis)
			.withMetrics(this.metrics)
			.withHttpCallouts(this.httpCalls)
			.withGrpc(this.grpcCalls)
			.withTicks(this.ticks)
			.build();
		this.engine = WasmEngine.builder().withHostServices(this.services).build();
		PluginBinary binary = builder.binary;
		CompiledPlugin compiled = (builder.precompiledClass != null)
				? this.engine.precompiled(binary, builder.precompiledClass, builder.classLoader)
				: this.engine.compile(binary, builder.mode);
		PluginSettings.Builder settings = PluginSettings.builder(this.name)
			.withRebuildBackoff(Duration.ZERO)
			.withCallTimeout(builder.callTimeout);
		if (builder.vmConfiguration != null) {
			settings.withVmConfiguration(builder.vmConfiguration);
		}
		if (builder.rootId != null) {
			settings.withRootId(builder.rootId);
		}
		this.plugin = this.engine.createPlugin(compiled, settings.build());
	}

	private ForeignFunctions counted(ForeignFunctions functions) {
		ForeignFunctions counted = functions;
		for (String function : functions.names()) {
			ForeignFunction target = functions.find(function);
			counted = counted.with(function, (arguments) -> {
				this.foreignCalls.computeIfAbsent(function, (key) -> new AtomicInteger()).incrementAndGet();
				return target.call(arguments);
			});
		}
		return counted;
	}

	/** A plugin binary in a file. */
	public static Builder forFile(Path wasm) {
		try {
			String file = wasm.getFileName().toString();
			return new Builder(PluginBinary.of(Files.readAllBytes(wasm), wasm.toString()), baseName(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the plugin " + wasm, ex);
		}
	}

	/** A plugin binary on the class path ({@code fixtures/go-profile.wasm}). */
	public static Builder forClasspath(String resource) {
		return forClasspath(resource, Thread.currentThread().getContextClassLoader());
	}

	public static Builder forClasspath(String resource, ClassLoader classLoader) {
		String path = resource.startsWith("/") ? resource.substring(1) : resource;
		try (InputStream in = classLoader.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalArgumentException("no class path resource " + path);
			}
			return new Builder(PluginBinary.of(in.readAllBytes(), "classpath:" + path),
					baseName(path.substring(path.lastIndexOf('/') + 1)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the plugin " + path, ex);
		}
	}

	/** A plugin binary in memory. */
	public static Builder forBytes(byte[] wasm, String name) {
		return new Builder(PluginBinary.of(wasm, name), name);
	}

	private static String baseName(String file) {
		return file.endsWith(".wasm") ? file.substring(0, file.length() - ".wasm".length()) : file;
	}

	// ---------------------------------------------------------------- configuration

	/**
	 * Configures the plugin ({@code proxy_on_configure}) with a JSON text, as the gateway
	 * hands it a route's {@code configuration}; an AssertionError with the plugin's log
	 * when it refuses.
	 */
	public TestConfiguration configure(String json) {
		int before = this.logs.lines().size();
		try {
			return new TestConfiguration(json, this.plugin.configure(json.getBytes(StandardCharsets.UTF_8)));
		}
		catch (PluginLoadException ex) {
			throw new AssertionError(
					"plugin '" + this.name + "' refused its configuration: " + ex.getMessage() + logSince(before), ex);
		}
	}

	/**
	 * Configures the plugin with YAML (as Higress documents configurations), read as
	 * JSON.
	 */
	public TestConfiguration configureYaml(String yaml) {
		return configure(yamlToJson(yaml));
	}

	/** The JSON of a YAML text. */
	public static String yamlToJson(String yaml) {
		return JSON.writeValueAsString(YAML.readTree(yaml));
	}

	/**
	 * Asserts that the plugin refuses {@code json} ({@code proxy_on_configure} answers
	 * false) and returns what it logged meanwhile, to check the reason.
	 */
	public String refused(String json) {
		int before = this.logs.lines().size();
		try {
			this.plugin.configure(json.getBytes(StandardCharsets.UTF_8));
		}
		catch (PluginLoadException ex) {
			return String.join("\n", messagesSince(before)) + "\n" + ex.getMessage();
		}
		throw new AssertionError("plugin '" + this.name + "' accepted " + json + logSince(before));
	}

	private List<String> messagesSince(int index) {
		List<String> messages = this.logs.messages();
		return messages.subList(Math.min(index, messages.size()), messages.size());
	}

	private String logSince(int index) {
		List<String> lines = messagesSince(index);
		return lines.isEmpty() ? "" : "; it logged:\n  " + String.join("\n  ", lines);
	}

	// ---------------------------------------------------------------- requests

	/**
	 * Runs {@code request} through the plugin: its request phases, then, if the plugin
	 * let it go and it has an upstream response, the response phases, then the end of the
	 * stream. A request the plugin pauses stays paused until the test releases what it
	 * waits for ({@link #release()}) or moves the clock ({@link #advance}).
	 */
	public TestResult send(TestConfiguration configuration, TestRequest request) {
		StreamDriver driver = new StreamDriver(this.plugin, configuration.engineConfiguration(), request);
		driver.run();
		if (driver.paused()) {
			this.paused.add(driver);
		}
		return new TestResult(driver);
	}

	/**
	 * Answers the HTTP calls, gRPC calls and Redis commands held back
	 * ({@link ScriptedHttpCalls#hold()}, {@link ScriptedGrpcCalls#hold()},
	 * {@link TestRedis#hold()}), then lets the requests the plugin resumed go on.
	 */
	public void release() {
		this.httpCalls.release();
		this.grpcCalls.release();
		this.redis.release();
		proceed();
	}

	/**
	 * Moves the plugin's clock forward, running each of its ticks every time one falls
	 * due on the way, then lets the requests the plugin resumed go on.
	 */
	public void advance(Duration duration) {
		this.ticks.advanceTo(this.clock.epochNanos() + duration.toNanos());
		proceed();
	}

	/**
	 * Runs every tick the plugin scheduled once, now; then lets resumed requests go on.
	 */
	public void fireTicks() {
		this.ticks.fireAll();
		proceed();
	}

	/** How many ticks the plugin has scheduled (root contexts with a tick period). */
	public int scheduledTicks() {
		return this.ticks.count();
	}

	private void proceed() {
		for (StreamDriver driver : new ArrayList<>(this.paused)) {
			driver.proceed();
			if (!driver.paused()) {
				this.paused.remove(driver);
			}
		}
	}

	// ---------------------------------------------------------------- the host

	public TestClock clock() {
		return this.clock;
	}

	public LogRecorder logs() {
		return this.logs;
	}

	public ScriptedHttpCalls httpCalls() {
		return this.httpCalls;
	}

	public ScriptedGrpcCalls grpcCalls() {
		return this.grpcCalls;
	}

	public TestRedis redis() {
		return this.redis;
	}

	/** A metric the plugin defined ({@code proxy_define_metric}), or null. */
	public Long metric(String metricName) {
		return this.metrics.value(this.name, metricName);
	}

	/** A value of the plugin's shared data ({@code proxy_set_shared_data}), or null. */
	public byte[] sharedData(String key) {
		SharedDataStore.Entry entry = this.services.sharedData(this.name).get(key);
		return (entry != null) ? entry.value() : null;
	}

	/** A value of the plugin's shared data as text, or null. */
	public String sharedDataText(String key) {
		byte[] value = sharedData(key);
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
	}

	/** Sets a value of the plugin's shared data, as another VM would. */
	public void setSharedData(String key, String value) {
		this.services.sharedData(this.name).set(key, value.getBytes(StandardCharsets.UTF_8), 0);
	}

	/**
	 * How often the plugin called the host's foreign function {@code function}
	 * ({@code proxy_call_foreign_function}) and the host had it; 0 for a name the host
	 * does not offer.
	 */
	public int foreignCalls(String function) {
		AtomicInteger calls = this.foreignCalls.get(function);
		return (calls != null) ? calls.get() : 0;
	}

	/** Every foreign function the plugin called and the host had, with its count. */
	public Map<String, Integer> foreignCalls() {
		Map<String, Integer> calls = new TreeMap<>();
		this.foreignCalls.forEach((function, count) -> calls.put(function, count.get()));
		return calls;
	}

	/** How many times the plugin failed (trapped, ran past its deadline) so far. */
	public long failures() {
		return this.plugin.failureCount();
	}

	/** The plugin's recent failures, newest first, as the gateway reports them. */
	public List<String> recentFailures() {
		return this.plugin.recentFailures().stream().map(PluginFailure::toString).toList();
	}

	/** The plugin's name (its logs' and metrics' prefix). */
	public String name() {
		return this.name;
	}

	/** The engine's plugin, for what this kit does not cover. */
	public Plugin plugin() {
		return this.plugin;
	}

	@Override
	public void close() {
		this.plugin.close();
		this.engine.close();
	}

	/** How to load the plugin. */
	public static final class Builder {

		private final PluginBinary binary;

		private String name;

		private ExecutionMode mode = ExecutionMode.AOT;

		private String precompiledClass;

		private ClassLoader classLoader;

		private String vmConfiguration;

		private String rootId;

		private Duration callTimeout = Duration.ofSeconds(30);

		private boolean hostCrypto = true;

		private Builder(PluginBinary binary, String name) {
			this.binary = binary;
			this.name = name;
		}

		/** The plugin's name (default: the file name without {@code .wasm}). */
		public Builder name(String name) {
			this.name = Objects.requireNonNull(name);
			return this;
		}

		/** AOT (compiled to JVM bytecode when loaded, the default) or INTERPRETER. */
		public Builder mode(ExecutionMode mode) {
			this.mode = Objects.requireNonNull(mode);
			return this;
		}

		/**
		 * Runs the classes Chicory's compiler Maven plugin generated for this binary at
		 * build time (PRECOMPILED), as built-in plugins run.
		 */
		public Builder precompiled(String className, ClassLoader classLoader) {
			this.precompiledClass = Objects.requireNonNull(className);
			this.classLoader = Objects.requireNonNull(classLoader);
			return this;
		}

		/** The VM configuration ({@code proxy_on_vm_start}). */
		public Builder vmConfiguration(String vmConfiguration) {
			this.vmConfiguration = vmConfiguration;
			return this;
		}

		/** The plugin's root id ({@code plugin_root_id}). */
		public Builder rootId(String rootId) {
			this.rootId = rootId;
			return this;
		}

		/**
		 * How long one plugin call may run before it fails (default 30 s: tests check
		 * behaviour, not speed, and run on loaded machines; the gateway's default is
		 * shorter).
		 */
		public Builder callTimeout(Duration callTimeout) {
			this.callTimeout = Objects.requireNonNull(callTimeout);
			return this;
		}

		/**
		 * Whether the host offers its crypto foreign functions (signature verification,
		 * HMAC, SHA-2; the gateway's {@code wasm-gateway.host-crypto}, on by default).
		 * Off, a plugin asking for them gets NOT_FOUND and must run its own Wasm crypto,
		 * as on Envoy: run a plugin's tests both ways to check both paths.
		 */
		public Builder hostCrypto(boolean hostCrypto) {
			this.hostCrypto = hostCrypto;
			return this;
		}

		/**
		 * Loads and starts the plugin (its VM runs {@code _start} and
		 * {@code proxy_on_vm_start}).
		 */
		public PluginTester build() {
			return new PluginTester(this);
		}

	}

}
