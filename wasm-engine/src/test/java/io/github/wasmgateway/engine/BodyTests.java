package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.OK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request and response bodies through the exerciser: buffering until the end of the
 * stream (StopIterationAndBuffer), then reading and replacing the whole body
 * ({@code proxy_get_buffer_bytes} / {@code proxy_set_buffer_bytes} on buffers 0 and 1).
 */
class BodyTests extends ExerciserTestSupport {

	@BothModes
	void requestBodyIsBufferedUntilTheEndThenReplacedUpperCased(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("body-upper");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(false)).isEqualTo(Decision.Flow.CONTINUE);

				ByteArrayBody firstChunk = ByteArrayBody.of("hello ");
				assertThat(stream.onRequestBody(firstChunk, false)).isEqualTo(Decision.Flow.STOP_AND_BUFFER);
				assertThat(firstChunk.toString()).isEqualTo("hello ");

				// the host calls again with everything buffered so far
				ByteArrayBody whole = ByteArrayBody.of("hello world 42!");
				assertThat(stream.onRequestBody(whole, true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(whole.toString()).isEqualTo("HELLO WORLD 42!");
			}
			finally {
				stream.finish();
			}
			assertThat(this.host.logger.lines).containsSubsequence("INFO exerciser request_body size=6 eos=0",
					"INFO exerciser request_body size=15 eos=1");
		}
	}

	@BothModes
	void bodyReadAndWriteStatusesAreReportedInTheResponseHeaders(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("body-upper").withResponse(200);
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(false);
				stream.onRequestBody(ByteArrayBody.of("abc"), true);
				assertThat(stream.onResponseHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(exchange.responseHeaders.get("x-body-get-status")).isEqualTo(OK);
				assertThat(exchange.responseHeaders.get("x-body-set-status")).isEqualTo(OK);
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void responseBodyIsBufferedUntilTheEndThenReplacedUpperCased(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange.get("/", "x-upper-response-body", "1").withResponse(200);
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				stream.onResponseHeaders(false);

				assertThat(stream.onResponseBody(ByteArrayBody.of("{\"status\":"), false))
					.isEqualTo(Decision.Flow.STOP_AND_BUFFER);
				ByteArrayBody whole = ByteArrayBody.of("{\"status\":\"ok\"}");
				assertThat(stream.onResponseBody(whole, true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(whole.toString()).isEqualTo("{\"STATUS\":\"OK\"}");
			}
			finally {
				stream.finish();
			}
			assertThat(this.host.logger.lines).contains("INFO exerciser response body upper get=0 set=0");
		}
	}

	@BothModes
	void bodyPassesUnchangedWhenThePluginDoesNotAskForIt(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange.get("/upload").withResponse(200);
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(false);
				ByteArrayBody chunk = ByteArrayBody.of("part one");
				assertThat(stream.onRequestBody(chunk, false)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(stream.onRequestBody(ByteArrayBody.of("part two"), true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(chunk.toString()).isEqualTo("part one");
				stream.onResponseHeaders(false);
				ByteArrayBody response = ByteArrayBody.of("answer");
				assertThat(stream.onResponseBody(response, true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(response.toString()).isEqualTo("answer");
			}
			finally {
				stream.finish();
			}
			assertThat(this.host.logger.lines).contains("INFO exerciser request_body size=8 eos=0",
					"INFO exerciser request_body size=8 eos=1", "INFO exerciser response_body size=6 eos=1");
		}
	}

	@BothModes
	void trailersReachThePluginWithTheirCount(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange.get("/").withResponse(200);
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(false);
				stream.onRequestBody(ByteArrayBody.of("x"), false);
				exchange.requestTrailers = ListHeaderMap.of("x-checksum", "abc", "x-length", "1");
				assertThat(stream.onRequestTrailers()).isEqualTo(Decision.Flow.CONTINUE);
				stream.onResponseHeaders(false);
				exchange.responseTrailers = ListHeaderMap.of("grpc-status", "0");
				assertThat(stream.onResponseTrailers()).isEqualTo(Decision.Flow.CONTINUE);
			}
			finally {
				stream.finish();
			}
			int id = stream.contextId();
			assertThat(this.host.logger.lines).contains("INFO exerciser request_trailers ctx=" + id + " count=2",
					"INFO exerciser response_trailers ctx=" + id + " count=1");
		}
	}

}
