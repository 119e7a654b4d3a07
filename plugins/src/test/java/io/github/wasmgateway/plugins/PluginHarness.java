package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;
import io.github.wasmgateway.engine.RecordingLogger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.Action;
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
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.InMemoryMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

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

	/** A built-in plugin, loaded through the index in PRECOMPILED mode. */
	PluginHarness(String name) {
		this(name, false);
	}

	private PluginHarness(String name, boolean testPlugin) {
		this.name = name;
		HostServices services = HostServices.builder()
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
		return new PluginHarness(name, true);
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
			Action request = stream.onRequestHeaders(true);
			Action response = null;
			if (request == Action.CONTINUE && exchange.responseHeaders != null) {
				response = stream.onResponseHeaders(false);
			}
			return new Result(request, response, responseOf(stream, exchange), exchange);
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
			Action request = stream.onRequestHeaders(false);
			if (request != Action.CONTINUE) {
				return new Result(request, null, responseOf(stream, exchange), exchange);
			}
			ByteArrayBody buffered = new ByteArrayBody(new byte[0]);
			Action body = Action.CONTINUE;
			for (int i = 0; i < chunks.length; i++) {
				ByteArrayBody chunk = new ByteArrayBody(chunks[i]);
				BodyBuffer delivered = chunk;
				if (body == Action.BUFFER) {
					byte[] all = concat(buffered.bytes(), chunks[i]);
					buffered = new ByteArrayBody(all);
					delivered = buffered;
				}
				else {
					buffered = chunk;
				}
				body = stream.onRequestBody(delivered, i == chunks.length - 1);
				if (body == Action.LOCAL_RESPONSE || body == Action.PAUSE) {
					break;
				}
			}
			return new Result(body, null, responseOf(stream, exchange), exchange);
		}
		finally {
			stream.finish();
		}
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] all = new byte[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	private static LocalResponse responseOf(HttpStream stream, TestExchange exchange) {
		if (stream.localResponse() != null) {
			return stream.localResponse();
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
	record Result(Action action, Action responseAction, LocalResponse response, TestExchange exchange) {

		boolean passed() {
			return this.action == Action.CONTINUE && this.response == null;
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
