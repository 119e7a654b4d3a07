package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;
import io.github.wasmgateway.engine.RecordingLogger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.ForeignFunction;
import io.github.wasmgateway.engine.host.ForeignFunctions;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.InMemoryMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One built-in plugin loaded through the index in PRECOMPILED mode, with recording host
 * services: its log lines, a clock the test moves, an in-memory Redis and metrics.
 */
final class PluginHarness implements AutoCloseable {

	final String name;

	final RecordingLogger logger = new RecordingLogger();

	final TestClock clock = new TestClock();

	final FakeRedis redis = new FakeRedis(this.clock);

	final InMemoryMetrics metrics = new InMemoryMetrics();

	final FakeCallouts callouts = new FakeCallouts();

	final ManualTicks ticks = new ManualTicks();

	final WasmEngine engine;

	final Plugin plugin;

	/**
	 * Whether the host offers its crypto foreign functions: yes, unless the build runs
	 * the auth plugins' tests again with {@code -Dwasm-gateway.test.host-crypto=off}
	 * (plugins/pom.xml), where the plugins use their Wasm crypto as on Envoy.
	 */
	static final boolean HOST_CRYPTO = !"off".equals(System.getProperty("wasm-gateway.test.host-crypto"));

	/** Calls of each foreign function by name, counted while the host answers them. */
	final Map<String, AtomicInteger> foreignCalls = new ConcurrentHashMap<>();

	/** A built-in plugin, loaded through the index in PRECOMPILED mode. */
	PluginHarness(String name) {
		this(name, false, HOST_CRYPTO);
	}

	/** A built-in plugin whose host offers the crypto functions or not. */
	PluginHarness(String name, boolean hostCrypto) {
		this(name, false, hostCrypto);
	}

	private PluginHarness(String name, boolean testPlugin, boolean hostCrypto) {
		this.name = name;
		HostServices services = HostServices.builder()
			.withForeignFunctions(
					counted(hostCrypto ? ForeignFunctions.standard() : ForeignFunctions.withoutHostCrypto()))
			.withLoggers((plugin) -> this.logger)
			.withClock(this.clock)
			.withRedis(this.redis)
			.withMetrics(this.metrics)
			.withHttpCallouts(this.callouts)
			.withTicks(this.ticks)
			.build();
		this.engine = WasmEngine.builder().withHostServices(services).build();
		CompiledPlugin compiled = testPlugin ? this.engine.compile(testPluginBinary(name), ExecutionMode.AOT)
				: BuiltinPlugins.precompiled(this.engine, name);
		// these tests check what a plugin does, not how fast: a generous deadline, so a
		// busy machine (a 24 MiB body scan under load) cannot turn into a timeout
		this.plugin = this.engine.createPlugin(compiled,
				PluginSettings.builder(name)
					.withRebuildBackoff(Duration.ZERO)
					.withCallTimeout(Duration.ofSeconds(30))
					.build());
		if (!testPlugin && this.plugin.compiled().mode() != ExecutionMode.PRECOMPILED) {
			throw new IllegalStateException(name + " is not precompiled");
		}
	}

	/**
	 * A test-only plugin of src/test-plugins (built by build.sh, not shipped), compiled
	 * AOT.
	 */
	static PluginHarness testPlugin(String name) {
		return new PluginHarness(name, true, HOST_CRYPTO);
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

	/** How often the plugin called the foreign function {@code function}. */
	int foreignCalls(String function) {
		AtomicInteger calls = this.foreignCalls.get(function);
		return (calls != null) ? calls.get() : 0;
	}

	private static PluginBinary testPluginBinary(String name) {
		String resource = "/test-plugins/" + name + ".wasm";
		try (InputStream in = PluginHarness.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("no " + resource + "; run plugins/build.sh");
			}
			return PluginBinary.of(in.readAllBytes(), "test-plugins/" + name + ".wasm");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	PluginConfiguration configure(String json) {
		return this.plugin.configure(json.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Asserts that {@code json} is refused at configure time and returns the plugin's log
	 * lines.
	 */
	String refused(String json) {
		this.logger.lines.clear();
		assertThatThrownBy(() -> configure(json)).isInstanceOf(PluginLoadException.class)
			.hasMessageContaining("rejected its configuration");
		return String.join("\n", this.logger.lines);
	}

	/**
	 * Runs the request headers (end of stream), the response headers if any, and finish.
	 */
	Result send(PluginConfiguration configuration, TestExchange exchange) {
		HttpStream stream = this.plugin.openStream(configuration, exchange);
		try {
			Decision request = thrownIfFailed(stream.onRequestHeaders(true));
			Decision response = null;
			if (request == Decision.Flow.CONTINUE && exchange.responseHeaders != null) {
				response = thrownIfFailed(stream.onResponseHeaders(false));
			}
			return new Result(request, response, responseOf(exchange, request, response), exchange);
		}
		finally {
			stream.finish();
		}
	}

	/**
	 * Runs the request headers, then the body in the given chunks (the last ends the
	 * stream).
	 */
	Result sendBody(PluginConfiguration configuration, TestExchange exchange, byte[]... chunks) {
		HttpStream stream = this.plugin.openStream(configuration, exchange);
		try {
			Decision request = thrownIfFailed(stream.onRequestHeaders(false));
			if (request != Decision.Flow.CONTINUE) {
				return new Result(request, null, responseOf(exchange, request), exchange);
			}
			ByteArrayBody buffered = new ByteArrayBody(new byte[0]);
			Decision body = Decision.Flow.CONTINUE;
			for (int i = 0; i < chunks.length; i++) {
				ByteArrayBody chunk = new ByteArrayBody(chunks[i]);
				BodyBuffer delivered = chunk;
				if (body == Decision.Flow.STOP_AND_BUFFER) {
					byte[] all = concat(buffered.bytes(), chunks[i]);
					buffered = new ByteArrayBody(all);
					delivered = buffered;
				}
				else {
					buffered = chunk;
				}
				body = thrownIfFailed(stream.onRequestBody(delivered, i == chunks.length - 1));
				if (body != Decision.Flow.CONTINUE && body != Decision.Flow.STOP_AND_BUFFER) {
					break;
				}
			}
			return new Result(body, null, responseOf(exchange, body), exchange);
		}
		finally {
			stream.finish();
		}
	}

	/** A failure comes out as the exception its decision carries. */
	private static Decision thrownIfFailed(Decision decision) {
		if (decision instanceof Decision.Fail fail) {
			throw fail.failure();
		}
		return decision;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] all = new byte[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	/** The local response of one of {@code decisions}, else one the plugin sent later. */
	private static LocalResponse responseOf(TestExchange exchange, Decision... decisions) {
		for (Decision decision : decisions) {
			if (decision instanceof Decision.Reply reply) {
				return reply.response();
			}
		}
		return exchange.responses.isEmpty() ? null : exchange.responses.get(0);
	}

	long failures() {
		return this.plugin.failureCount();
	}

	@Override
	public void close() {
		this.plugin.close();
		this.engine.close();
	}

	/** What a request went through. */
	record Result(Decision action, Decision responseAction, LocalResponse response, TestExchange exchange) {

		boolean passed() {
			return this.action == Decision.Flow.CONTINUE && this.response == null;
		}

		int status() {
			return (this.response != null) ? this.response.status() : 0;
		}

		String body() {
			return (this.response != null) ? new String(this.response.body(), StandardCharsets.UTF_8) : null;
		}

		String responseHeader(String name) {
			if (this.response == null) {
				return null;
			}
			for (Map.Entry<String, String> header : this.response.headers()) {
				if (header.getKey().equalsIgnoreCase(name)) {
					return header.getValue();
				}
			}
			return null;
		}

		String requestHeader(String name) {
			return this.exchange.requestHeaders.get(name);
		}

		String upstreamResponseHeader(String name) {
			return (this.exchange.responseHeaders != null) ? this.exchange.responseHeaders.get(name) : null;
		}

	}

}
