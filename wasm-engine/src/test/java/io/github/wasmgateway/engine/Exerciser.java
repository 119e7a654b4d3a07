package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.host.HostServices;
import java.nio.charset.StandardCharsets;

/**
 * The ABI exerciser fixture (fixtures/README.md, "The exerciser protocol") as a plugin
 * named {@code exerciser}: one {@code x-op} per request, its inputs as request headers,
 * its results read back from the headers it added.
 */
final class Exerciser implements AutoCloseable {

	static final String NAME = "exerciser";

	// proxy-wasm statuses (and one WASI errno) as the exerciser writes them in x-status

	static final String OK = "0";

	static final String NOT_FOUND = "1";

	static final String BAD_ARGUMENT = "2";

	static final String INVALID_MEMORY_ACCESS = "6";

	static final String EMPTY = "7";

	static final String CAS_MISMATCH = "8";

	static final String UNIMPLEMENTED = "12";

	static final String WASI_FAULT = "21";

	final Plugin plugin;

	final PluginConfiguration configuration;

	private Exerciser(Plugin plugin, PluginConfiguration configuration) {
		this.plugin = plugin;
		this.configuration = configuration;
	}

	/** The call deadline of a test that sets none. */
	static final java.time.Duration TEST_CALL_TIMEOUT = java.time.Duration.ofSeconds(30);

	static Exerciser start(WasmEngine engine, ExecutionMode mode, HostServices services) {
		return start(engine, mode, services, PluginSettings.builder(NAME), "");
	}

	static Exerciser start(WasmEngine engine, ExecutionMode mode, HostServices services,
			PluginSettings.Builder settings, String configuration) {
		return start(engine, Fixtures.compiled("exerciser", mode), services, settings, configuration);
	}

	/** The exerciser built as {@code compiled} ({@code exerciser-abi010}, say). */
	static Exerciser start(WasmEngine engine, CompiledPlugin compiled, HostServices services,
			PluginSettings.Builder settings, String configuration) {
		if (!settings.hasCallTimeout()) {
			// these tests check behaviour, not speed: a loaded machine must not fail them
			settings.withCallTimeout(TEST_CALL_TIMEOUT);
		}
		Plugin plugin = engine.createPlugin(compiled, settings.build(), services);
		try {
			return new Exerciser(plugin, plugin.configure(configuration.getBytes(StandardCharsets.UTF_8)));
		}
		catch (RuntimeException ex) {
			plugin.close();
			throw ex;
		}
	}

	/** A GET of {@code /} asking for {@code op}, with the op's inputs as headers. */
	static TestExchange request(String op, String... inputs) {
		String[] headers = new String[inputs.length + 2];
		headers[0] = "x-op";
		headers[1] = op;
		System.arraycopy(inputs, 0, headers, 2, inputs.length);
		return TestExchange.get("/", headers);
	}

	/** Runs {@code op} in the request headers, then finishes the stream. */
	Outcome run(String op, String... inputs) {
		return run(request(op, inputs));
	}

	/**
	 * Runs the request headers of {@code exchange}, then finishes the stream; a failure
	 * is thrown as the exception its decision carries.
	 */
	Outcome run(TestExchange exchange) {
		HttpStream stream = open(exchange);
		try {
			return new Outcome(thrownIfFailed(stream.onRequestHeaders(true)), exchange, exchange.requestHeaders);
		}
		finally {
			stream.finish();
		}
	}

	/**
	 * Runs {@code op} in the response headers ({@code x-response-op}) of a request whose
	 * upstream answered 200 with {@code server: upstream}, then finishes the stream. The
	 * results are response headers.
	 */
	Outcome runInResponse(String op, String... inputs) {
		String[] headers = new String[inputs.length + 2];
		headers[0] = "x-response-op";
		headers[1] = op;
		System.arraycopy(inputs, 0, headers, 2, inputs.length);
		TestExchange exchange = TestExchange.get("/", headers).withResponse(200, "server", "upstream");
		HttpStream stream = open(exchange);
		try {
			stream.onRequestHeaders(true);
			return new Outcome(thrownIfFailed(stream.onResponseHeaders(true)), exchange, exchange.responseHeaders);
		}
		finally {
			stream.finish();
		}
	}

	private static Decision thrownIfFailed(Decision decision) {
		if (decision instanceof Decision.Fail fail) {
			throw fail.failure();
		}
		return decision;
	}

	HttpStream open(TestExchange exchange) {
		return this.plugin.openStream(this.configuration, exchange);
	}

	@Override
	public void close() {
		this.plugin.close();
	}

	/**
	 * What one request saw: the decision of the phase that ran the op, the exchange and
	 * the header map the results went to.
	 */
	record Outcome(Decision decision, TestExchange exchange, ListHeaderMap results) {

		/** The local response the plugin sent in the phase, or null. */
		LocalResponse localResponse() {
			return (this.decision instanceof Decision.Reply reply) ? reply.response() : null;
		}

		String header(String name) {
			return this.results.get(name);
		}

		/** {@code x-status}: the status of the op's main host call. */
		String status() {
			return header("x-status");
		}

		/** {@code x-result}: the op's main result. */
		String result() {
			return header("x-result");
		}

	}

}
