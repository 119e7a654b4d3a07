package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Decision.Flow;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * What each return code of each stream callback becomes (the "Envoy" column of the table
 * in docs/gateway.md), with the phase-codes fixture answering the codes the request asks
 * for (fixtures/README.md). The gateway's side of each row is in the autoconfigure
 * module's {@code PluginExchangeTests}.
 */
class StreamSemanticsTests extends ExerciserTestSupport {

	Plugin plugin(ExecutionMode mode) {
		return engine.createPlugin(Fixtures.compiled("phase-codes", mode),
				PluginSettings.builder("phase-codes").build(), this.host.services());
	}

	/**
	 * Runs one request: {@code phases} calls the phases it needs on the open stream; the
	 * stream is finished afterwards.
	 */
	<T> T run(ExecutionMode mode, TestExchange exchange, Function<HttpStream, T> phases) {
		try (Plugin plugin = plugin(mode)) {
			HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), exchange);
			try {
				return phases.apply(stream);
			}
			finally {
				stream.finish();
			}
		}
	}

	Decision requestHeaders(ExecutionMode mode, String... headers) {
		return run(mode, TestExchange.get("/", headers), (stream) -> stream.onRequestHeaders(false));
	}

	Decision responseHeaders(ExecutionMode mode, String... headers) {
		return run(mode, TestExchange.get("/", headers).withResponse(200), (stream) -> {
			stream.onRequestHeaders(true);
			return stream.onResponseHeaders(false);
		});
	}

	Decision requestBody(ExecutionMode mode, String... headers) {
		return run(mode, TestExchange.get("/", headers), (stream) -> {
			stream.onRequestHeaders(false);
			return stream.onRequestBody(ByteArrayBody.of("hello"), true);
		});
	}

	Decision responseBody(ExecutionMode mode, String... headers) {
		return run(mode, TestExchange.get("/", headers).withResponse(200), (stream) -> {
			stream.onRequestHeaders(true);
			stream.onResponseHeaders(false);
			return stream.onResponseBody(ByteArrayBody.of("hello"), true);
		});
	}

	Decision requestTrailers(ExecutionMode mode, String... headers) {
		TestExchange exchange = TestExchange.get("/", headers);
		exchange.requestTrailers = ListHeaderMap.of("x-checksum", "1");
		return run(mode, exchange, (stream) -> {
			stream.onRequestHeaders(false);
			stream.onRequestBody(ByteArrayBody.of("hello"), false);
			return stream.onRequestTrailers();
		});
	}

	Decision responseTrailers(ExecutionMode mode, String... headers) {
		TestExchange exchange = TestExchange.get("/", headers).withResponse(200);
		exchange.responseTrailers = ListHeaderMap.of("grpc-status", "0");
		return run(mode, exchange, (stream) -> {
			stream.onRequestHeaders(true);
			stream.onResponseHeaders(false);
			stream.onResponseBody(ByteArrayBody.of("hello"), false);
			return stream.onResponseTrailers();
		});
	}

	// ---- headers: 0 Continue, 1 StopIteration, 2 ContinueAndEndStream, 3
	// StopAllIterationAndBuffer, 4 StopAllIterationAndWatermark

	@BothModes
	void requestHeadersCodesAreEnvoysHeaderStatuses(ExecutionMode mode) {
		assertThat(requestHeaders(mode, "x-request-headers", "0")).isEqualTo(Flow.CONTINUE);
		assertThat(requestHeaders(mode, "x-request-headers", "1")).isEqualTo(Flow.STOP_ITERATION);
		assertThat(requestHeaders(mode, "x-request-headers", "2")).isEqualTo(Flow.CONTINUE);
		assertThat(requestHeaders(mode, "x-request-headers", "3")).isEqualTo(Flow.STOP_ALL_AND_BUFFER);
		assertThat(requestHeaders(mode, "x-request-headers", "4")).isEqualTo(Flow.STOP_ALL_AND_WATERMARK);
		// proxy-wasm-cpp-host turns any larger code into StopAllIterationAndWatermark
		assertThat(requestHeaders(mode, "x-request-headers", "9")).isEqualTo(Flow.STOP_ALL_AND_WATERMARK);
	}

	@BothModes
	void responseHeadersCodesAreEnvoysHeaderStatuses(ExecutionMode mode) {
		assertThat(responseHeaders(mode, "x-response-headers", "0")).isEqualTo(Flow.CONTINUE);
		assertThat(responseHeaders(mode, "x-response-headers", "1")).isEqualTo(Flow.STOP_ITERATION);
		assertThat(responseHeaders(mode, "x-response-headers", "2")).isEqualTo(Flow.CONTINUE);
		assertThat(responseHeaders(mode, "x-response-headers", "3")).isEqualTo(Flow.STOP_ALL_AND_BUFFER);
		assertThat(responseHeaders(mode, "x-response-headers", "4")).isEqualTo(Flow.STOP_ALL_AND_WATERMARK);
	}

	// ---- bodies: 0 Continue, 1 StopIterationAndBuffer, 2 StopIterationAndWatermark, 3
	// StopIterationNoBuffer

	@BothModes
	void requestBodyCodesAreEnvoysDataStatuses(ExecutionMode mode) {
		assertThat(requestBody(mode, "x-request-body", "0")).isEqualTo(Flow.CONTINUE);
		assertThat(requestBody(mode, "x-request-body", "1")).isEqualTo(Flow.STOP_AND_BUFFER);
		assertThat(requestBody(mode, "x-request-body", "2")).isEqualTo(Flow.STOP_AND_BUFFER);
		assertThat(requestBody(mode, "x-request-body", "3")).isEqualTo(Flow.STOP_NO_BUFFER);
		assertThat(requestBody(mode, "x-request-body", "8")).isEqualTo(Flow.STOP_NO_BUFFER);
	}

	@BothModes
	void responseBodyCodesAreEnvoysDataStatuses(ExecutionMode mode) {
		assertThat(responseBody(mode, "x-response-body", "0")).isEqualTo(Flow.CONTINUE);
		assertThat(responseBody(mode, "x-response-body", "1")).isEqualTo(Flow.STOP_AND_BUFFER);
		assertThat(responseBody(mode, "x-response-body", "2")).isEqualTo(Flow.STOP_AND_BUFFER);
		assertThat(responseBody(mode, "x-response-body", "3")).isEqualTo(Flow.STOP_NO_BUFFER);
	}

	@BothModes
	void bodyCallbackSeesTheBodyAndTheEndOfStreamTheHostGives(ExecutionMode mode) {
		run(mode, TestExchange.get("/"), (stream) -> {
			stream.onRequestHeaders(false);
			return stream.onRequestBody(ByteArrayBody.of("hello"), true);
		});
		assertThat(this.host.logger.lines).containsSubsequence("INFO phase-codes request-headers call=1 size=4 eos=0",
				"INFO phase-codes request-body call=1 size=5 eos=1 body=hello");
	}

	// ---- trailers: 0 Continue, 1 StopIteration

	@BothModes
	void trailersCodesAreEnvoysTrailersStatuses(ExecutionMode mode) {
		assertThat(requestTrailers(mode, "x-request-trailers", "0")).isEqualTo(Flow.CONTINUE);
		assertThat(requestTrailers(mode, "x-request-trailers", "1")).isEqualTo(Flow.STOP_ITERATION);
		assertThat(responseTrailers(mode, "x-response-trailers", "0")).isEqualTo(Flow.CONTINUE);
		assertThat(responseTrailers(mode, "x-response-trailers", "1")).isEqualTo(Flow.STOP_ITERATION);
		assertThat(responseTrailers(mode, "x-response-trailers", "7")).isEqualTo(Flow.STOP_ITERATION);
	}

	// ---- what outranks the code

	@BothModes
	void localResponseInAnyPhaseIsThatPhasesDecision(ExecutionMode mode) {
		assertReply(requestHeaders(mode, "x-reply", "request-headers"), "request-headers");
		assertReply(requestBody(mode, "x-reply", "request-body"), "request-body");
		assertReply(requestTrailers(mode, "x-reply", "request-trailers"), "request-trailers");
		assertReply(responseHeaders(mode, "x-reply", "response-headers"), "response-headers");
		assertReply(responseBody(mode, "x-reply", "response-body"), "response-body");
		assertReply(responseTrailers(mode, "x-reply", "response-trailers"), "response-trailers");
	}

	private static void assertReply(Decision decision, String phase) {
		assertThat(decision).isInstanceOfSatisfying(Decision.Reply.class, (reply) -> {
			assertThat(reply.response().status()).isEqualTo(403);
			assertThat(new String(reply.response().body(), StandardCharsets.UTF_8)).isEqualTo("reply from " + phase);
			assertThat(reply.response().headers()).extracting(java.util.Map.Entry::getValue).containsExactly(phase);
		});
	}

	@BothModes
	void resetInsideACallbackIsThatCallbacksDecision(ExecutionMode mode) {
		assertThat(requestBody(mode, "x-reset", "request-body")).isEqualTo(new Decision.Reset(StreamDirection.REQUEST));
		assertThat(responseHeaders(mode, "x-reset", "response-headers"))
			.isEqualTo(new Decision.Reset(StreamDirection.RESPONSE));
	}

	@BothModes
	void continueInsideACallbackMakesAStopAContinue(ExecutionMode mode) {
		assertThat(requestHeaders(mode, "x-request-headers", "1", "x-continue", "request-headers"))
			.isEqualTo(Flow.CONTINUE);
		assertThat(responseBody(mode, "x-response-body", "3", "x-continue", "response-body")).isEqualTo(Flow.CONTINUE);
	}

	@BothModes
	void trapInAnyPhaseIsAFailureAndLaterPhasesFindTheVmGone(ExecutionMode mode) {
		Decision[] decisions = run(mode, TestExchange.get("/", "x-trap", "request-body@2").withResponse(200),
				(stream) -> new Decision[] { stream.onRequestHeaders(false),
						stream.onRequestBody(ByteArrayBody.of("a"), false),
						stream.onRequestBody(ByteArrayBody.of("b"), true), stream.onResponseHeaders(true) });
		assertThat(decisions[0]).isEqualTo(Flow.CONTINUE);
		assertThat(decisions[1]).isEqualTo(Flow.CONTINUE);
		assertThat(decisions[2]).isInstanceOfSatisfying(Decision.Fail.class,
				(fail) -> assertThat(fail.failure().kind()).isEqualTo(PluginFailure.Kind.TRAP));
		assertThat(decisions[3]).isInstanceOfSatisfying(Decision.Fail.class,
				(fail) -> assertThat(fail.failure().kind()).isEqualTo(PluginFailure.Kind.VM_UNAVAILABLE));
		assertThat(responseTrailers(mode, "x-trap", "response-trailers")).isInstanceOf(Decision.Fail.class);
	}

	// ---- decisions made later

	@BothModes
	void resumeFromATickReachesTheHostOnce(ExecutionMode mode) {
		TestExchange exchange = TestExchange.get("/", "x-request-headers", "1", "x-resume-after", "request-headers");
		Decision decision = run(mode, exchange, (stream) -> {
			Decision held = stream.onRequestHeaders(true);
			assertThat(exchange.decisions).isEmpty();
			this.host.ticks.tick();
			this.host.ticks.tick();
			return held;
		});
		assertThat(decision).isEqualTo(Flow.STOP_ITERATION);
		assertThat(exchange.decisions).containsExactly(new Decision.Resume(StreamDirection.REQUEST));
	}

	@BothModes
	void localResponseFromATickReachesTheHost(ExecutionMode mode) {
		TestExchange exchange = TestExchange.get("/", "x-response-headers", "4", "x-reply-after", "response-headers")
			.withResponse(200);
		run(mode, exchange, (stream) -> {
			stream.onRequestHeaders(true);
			assertThat(stream.onResponseHeaders(true)).isEqualTo(Flow.STOP_ALL_AND_WATERMARK);
			this.host.ticks.tick();
			return null;
		});
		assertThat(exchange.responses).singleElement()
			.satisfies((response) -> assertThat(response.status()).isEqualTo(403));
	}

	@BothModes
	void noDecisionReachesTheHostOnceTheStreamIsFinished(ExecutionMode mode) {
		TestExchange exchange = TestExchange.get("/", "x-request-headers", "1", "x-resume-after", "request-headers");
		try (Plugin plugin = plugin(mode)) {
			HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), exchange);
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Flow.STOP_ITERATION);
			stream.finish();
			this.host.ticks.tick();
		}
		assertThat(exchange.decisions).isEmpty();
	}

}
