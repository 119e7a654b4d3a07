package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.BAD_ARGUMENT;
import static io.github.wasmgateway.engine.Exerciser.NOT_FOUND;
import static io.github.wasmgateway.engine.Exerciser.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.Exerciser.Outcome;
import io.github.wasmgateway.engine.host.GrpcCall;
import io.github.wasmgateway.engine.host.GrpcClient;
import io.github.wasmgateway.engine.host.GrpcListener;
import io.github.wasmgateway.engine.host.GrpcRequest;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gRPC host functions and callbacks, driven by the exerciser (fixtures/README.md,
 * "gRPC") against a client the test plays: what the plugin sends, what it receives and
 * when, the statuses Envoy answers (source/extensions/common/wasm/context.cc), and what
 * happens to calls when streams and VMs end. The real client against a real server is
 * tested in the autoconfigure module.
 */
class GrpcCallsTests extends ExerciserTestSupport {

	static final String PARSE_FAILURE = "4";

	final RecordingGrpc grpc = new RecordingGrpc();

	Exerciser exerciserWithGrpc(ExecutionMode mode) {
		return Exerciser.start(engine, mode, this.host.servicesBuilder().withGrpc(this.grpc).build());
	}

	// ---- calls

	@BothModes
	void callCarriesWhatThePluginSentAndWaitsForTheAnswer(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-call", "x-cluster", "upstream", "x-grpc-service",
					"envoy.service.auth.v3.Authorization", "x-grpc-method", "Check", "x-value", "who am i", "x-timeout",
					"250", "x-grpc-metadata", "x-tenant=blue");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				assertThat(exchange.requestHeaders.get("x-status")).isEqualTo(OK);
				// Envoy's numbering: the first call is 5, calls are 1 modulo 4
				assertThat(exchange.requestHeaders.get("x-result")).isEqualTo("5");

				RecordingGrpc.Call call = this.grpc.only();
				GrpcRequest request = call.request;
				assertThat(request.plugin()).isEqualTo("exerciser");
				assertThat(text(request.target())).isEqualTo("upstream");
				assertThat(request.service()).isEqualTo("envoy.service.auth.v3.Authorization");
				assertThat(request.method()).isEqualTo("Check");
				assertThat(request.metadata().get("x-from-exerciser")).isEqualTo("1");
				assertThat(request.metadata().get("x-tenant")).isEqualTo("blue");
				assertThat(request.timeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(call.sent).containsExactly("who am i (end)");
				assertThat(exchange.resumed).isEmpty();
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void callAnswerArrivesAsOneMessageWithoutMetadataOrClose(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				RecordingGrpc.Call call = this.grpc.only();
				call.listener.onHeaders(ListHeaderMap.of(":status", "200", "x-server", "test"));
				call.listener.onMessage(bytes("pong"));
				assertThat(exchange.resumed).isEmpty();
				call.listener.onClose(0, "", ListHeaderMap.of("grpc-status", "0"));

				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				ListHeaderMap headers = exchange.requestHeaders;
				assertThat(headers.get("x-grpc-message")).isEqualTo("pong");
				assertThat(headers.get("x-grpc-message-size")).isEqualTo("4");
				// as Envoy's unary client: no metadata callbacks, no close after the
				// answer
				assertThat(headers.get("x-grpc-events")).isEqualTo("message:4");
				assertThat(headers.get("x-grpc-effective-context-status")).isEqualTo(OK);
				assertThat(this.host.logger.contains("grpc_close")).isFalse();
				assertThat(exchange.failures).isEmpty();
			}
			finally {
				stream.finish();
			}
			// the answered call is forgotten
			assertThat(exerciser.run("grpc-cancel:5").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void failedCallClosesWithItsStatusAndMessageAndTheCodeStaysForGetStatus(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				this.grpc.only().listener.onClose(7, "not for you", ListHeaderMap.of("grpc-status", "7"));

				ListHeaderMap headers = exchange.requestHeaders;
				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				assertThat(headers.get("x-grpc-events")).isEqualTo("close:7");
				assertThat(headers.get("x-grpc-status")).isEqualTo("7");
				assertThat(headers.get("x-grpc-get-status")).isEqualTo(OK);
				assertThat(headers.get("x-grpc-get-status-code")).isEqualTo("7");
				assertThat(headers.get("x-grpc-status-message")).isEqualTo("not for you");
			}
			finally {
				stream.finish();
			}
			// Envoy keeps the root context's code; the message lived only in the callback
			Outcome later = exerciser.run("get-status");
			assertThat(later.status()).isEqualTo(OK);
			assertThat(later.result()).isEqualTo("7");
			assertThat(later.header("x-result-message")).isEmpty();
		}
	}

	@BothModes
	void callThatEndsOkWithoutAnAnswerIsAnInternalError(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				this.grpc.only().listener.onClose(0, "", new ListHeaderMap());
				assertThat(exchange.requestHeaders.get("x-grpc-status")).isEqualTo("13");
				assertThat(exchange.requestHeaders.get("x-grpc-status-message")).isEmpty();
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void callOutlivesTheHttpStreamThatMadeIt(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-call");
			HttpStream stream = exerciser.open(exchange);
			stream.onRequestHeaders(true);
			stream.finish();

			// as in Envoy the call belongs to the root context: its answer still arrives
			RecordingGrpc.Call call = this.grpc.only();
			call.listener.onMessage(bytes("late"));
			call.listener.onClose(0, "", new ListHeaderMap());

			assertThat(this.host.logger.lines).contains("INFO grpc_receive token=5 size=4");
			assertThat(call.cancelled).isFalse();
			assertThat(exchange.resumed).isEmpty();
			assertThat(exerciser.plugin.failureCount()).isZero();
		}
	}

	@BothModes
	void cancelledCallIsCancelledAtTheHostAndNeverAnswered(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			Outcome outcome = exerciser.run("grpc-call", "x-grpc-cancel", "1");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-status-cancel")).isEqualTo(OK);
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);

			RecordingGrpc.Call call = this.grpc.only();
			assertThat(call.cancelled).isTrue();
			call.listener.onClose(1, "cancelled", new ListHeaderMap());
			assertThat(exerciser.run("stats").header("x-result-grpc-events")).isEqualTo("0");
		}
	}

	@BothModes
	void closingACallCancelsIt(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-call");
			HttpStream stream = exerciser.open(exchange);
			stream.onRequestHeaders(true);
			stream.finish();

			assertThat(exerciser.run("grpc-close:5").status()).isEqualTo(OK);
			assertThat(this.grpc.only().cancelled).isTrue();
			assertThat(exerciser.run("grpc-close:5").status()).isEqualTo(NOT_FOUND);
		}
	}

	// ---- targets

	@BothModes
	void clusterNameTheHostDoesNotKnowIsAParseFailureAsInEnvoy(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			Outcome call = exerciser.run("grpc-call", "x-cluster", "evil.example.com");
			assertThat(call.status()).isEqualTo(PARSE_FAILURE);
			assertThat(call.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(exerciser.run("grpc-stream", "x-cluster", "evil.example.com").status()).isEqualTo(PARSE_FAILURE);
			assertThat(this.grpc.calls).isEmpty();
		}
	}

	@BothModes
	void grpcServiceTheHostCannotUseIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			assertThat(exerciser.run("grpc-call", "x-grpc-service-proto", "elsewhere").status())
				.isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("grpc-call", "x-grpc-service-proto", "upstream").status()).isEqualTo(OK);
			// envoy_grpc { cluster_name: "upstream" }, serialized by the plugin
			assertThat(this.grpc.only().request.target())
				.isEqualTo(new byte[] { 0x0a, 0x0a, 0x0a, 0x08, 'u', 'p', 's', 't', 'r', 'e', 'a', 'm' });
		}
	}

	@BothModes
	void withoutAGrpcClientEveryClusterIsUnknown(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("grpc-call").status()).isEqualTo(PARSE_FAILURE);
		}
	}

	@BothModes
	void aClientThatAnswersWhileThePluginRunsIsHeardRightAfterTheCallback(ExecutionMode mode) {
		GrpcClient immediate = (request, listener) -> {
			listener.onMessage(bytes("at once"));
			listener.onClose(0, "", new ListHeaderMap());
			return GrpcClient.Opening.opened(new RecordingGrpc.Call(request, listener));
		};
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withGrpc(immediate).build())) {
			Outcome outcome = exerciser.run("grpc-call");
			assertThat(outcome.header("x-grpc-message")).isEqualTo("at once");
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(exerciser.plugin.failureCount()).isZero();
		}
	}

	// ---- streams

	@BothModes
	void streamDeliversMetadataMessagesTrailersAndCloseInOrder(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-stream", "x-grpc-messages", "a,bb,ccc", "x-end-stream",
					"1");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				// streams are 2 modulo 4
				assertThat(exchange.requestHeaders.get("x-result")).isEqualTo("6");
				assertThat(exchange.requestHeaders.get("x-status-send")).isEqualTo("0,0,0");
				RecordingGrpc.Call call = this.grpc.only();
				assertThat(call.request.timeout()).isNull();
				assertThat(call.sent).containsExactly("a", "bb", "ccc (end)");

				call.listener.onHeaders(ListHeaderMap.of(":status", "200", "x-server", "initial"));
				call.listener.onMessage(bytes("one"));
				call.listener.onMessage(bytes("two"));
				assertThat(exchange.resumed).isEmpty();
				call.listener.onClose(0, "", ListHeaderMap.of("grpc-status", "0", "x-done", "yes"));

				ListHeaderMap headers = exchange.requestHeaders;
				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				assertThat(headers.get("x-grpc-events")).isEqualTo("headers:2,message:3,message:3,trailers:2,close:0");
				assertThat(headers.get("x-grpc-received")).isEqualTo("one|two");
				assertThat(headers.get("x-grpc-initial-metadata")).isEqualTo(":status=200|x-server=initial");
				assertThat(headers.get("x-grpc-trailing-metadata")).isEqualTo("grpc-status=0|x-done=yes");
				assertThat(headers.get("x-grpc-status")).isEqualTo("0");
				// the stream is still known after the server closed it, until the plugin
				// closes its side (Envoy's local_closed_/remote_closed_)
				assertThat(headers.get("x-grpc-release-status")).isEqualTo(OK);
			}
			finally {
				stream.finish();
			}
			assertThat(exerciser.run("grpc-close:6").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void pingPongSendsTheNextMessageFromTheReceiveCallback(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-stream", "x-grpc-messages", "x,y,z", "x-grpc-mode",
					"ping-pong", "x-end-stream", "1");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				RecordingGrpc.Call call = this.grpc.only();
				assertThat(call.sent).containsExactly("x");
				call.listener.onMessage(bytes("X"));
				assertThat(call.sent).containsExactly("x", "y");
				call.listener.onMessage(bytes("Y"));
				assertThat(call.sent).containsExactly("x", "y", "z (end)");
				call.listener.onMessage(bytes("Z"));
				call.listener.onClose(0, "", new ListHeaderMap());
				assertThat(exchange.requestHeaders.get("x-grpc-received")).isEqualTo("X|Y|Z");
				// no initial metadata: the test's server never sent any
				assertThat(exchange.requestHeaders.get("x-grpc-events"))
					.isEqualTo("message:1,message:1,message:1,trailers:0,close:0");
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void closeHalfClosesAStreamAndItsAnswersStillArrive(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-stream", "x-grpc-close", "1");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				assertThat(exchange.requestHeaders.get("x-status-close")).isEqualTo(OK);
				RecordingGrpc.Call call = this.grpc.only();
				assertThat(call.sent).containsExactly("ping");
				assertThat(call.halfClosed).isTrue();
				assertThat(call.cancelled).isFalse();
				// a message after the plugin closed its side has nowhere to go
				assertThat(exerciser.run("grpc-send:6").status()).isEqualTo(BAD_ARGUMENT);

				call.listener.onMessage(bytes("still"));
				call.listener.onClose(0, "", new ListHeaderMap());
				assertThat(exchange.requestHeaders.get("x-grpc-received")).isEqualTo("still");
				// closing again in on_grpc_close is harmless (Envoy forgets the stream
				// after
				// that callback)
				assertThat(exchange.requestHeaders.get("x-grpc-release-status")).isEqualTo(OK);
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void sendCancelAndCloseTellTokensOfTheWrongKindFromUnknownOnes(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			exerciser.run("grpc-call", "x-grpc-cancel", "1");
			// 5 is a call: it takes no messages
			assertThat(exerciser.run("grpc-send:5").status()).isEqualTo(BAD_ARGUMENT);
			// 10 is a stream number never opened, 9 a call number
			assertThat(exerciser.run("grpc-send:10").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("grpc-cancel:9").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("grpc-close:10").status()).isEqualTo(NOT_FOUND);
			// 4 and 7 are neither (HTTP callouts are 0 modulo 4 in Envoy)
			assertThat(exerciser.run("grpc-cancel:4").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("grpc-close:7").status()).isEqualTo(BAD_ARGUMENT);
		}
	}

	@BothModes
	void streamFailureDeliversEmptyTrailersThenTheClose(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-stream");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				this.grpc.only().listener.onClose(14, "connection refused", new ListHeaderMap());
				ListHeaderMap headers = exchange.requestHeaders;
				assertThat(headers.get("x-grpc-events")).isEqualTo("trailers:0,close:14");
				assertThat(headers.get("x-grpc-status-message")).isEqualTo("connection refused");
			}
			finally {
				stream.finish();
			}
		}
	}

	// ---- what the plugin may read, and when

	@BothModes
	void grpcMapsAndMessageExistOnlyInTheirCallbacks(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			assertThat(exerciser.run("get-map", "x-map", "4").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("get-map", "x-map", "5").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("get-buffer:5").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("add-header:x", "x-map", "4", "x-value", "1").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void getStatusReportsABrokenConnectionAfterAFailedCallout(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			assertThat(exerciser.run("get-status").result()).isEqualTo("0");
			TestExchange exchange = Exerciser.request("http-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				this.host.callouts.only().completion().accept(HttpCalloutResponse.failed("refused"));
				// Envoy's onHttpCallFailure: BrokenConnection (11)
				assertThat(exchange.requestHeaders.get("x-callout-get-status")).isEqualTo(OK);
				assertThat(exchange.requestHeaders.get("x-callout-get-status-code")).isEqualTo("11");
			}
			finally {
				stream.finish();
			}
		}
	}

	// ---- the end of a VM

	@BothModes
	void closingThePluginCancelsItsOpenStreams(ExecutionMode mode) {
		RecordingGrpc.Call call;
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-stream");
			HttpStream stream = exerciser.open(exchange);
			stream.onRequestHeaders(true);
			stream.finish();
			call = this.grpc.only();
			assertThat(call.cancelled).isFalse();
		}
		assertThat(call.cancelled).isTrue();
	}

	@BothModes
	void aVmThatFailsCancelsItsOpenStreams(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithGrpc(mode)) {
			TestExchange exchange = Exerciser.request("grpc-stream");
			HttpStream stream = exerciser.open(exchange);
			stream.onRequestHeaders(true);
			stream.finish();
			assertThatThrownBy(() -> exerciser.run("trap")).isInstanceOf(PluginCallException.class);
			assertThat(this.grpc.only().cancelled).isTrue();
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Knows the cluster {@code upstream}, by name or as a serialized GrpcService naming
	 * it; keeps every call for the test to answer.
	 */
	static final class RecordingGrpc implements GrpcClient {

		final List<Call> calls = new ArrayList<>();

		@Override
		public Opening open(GrpcRequest request, GrpcListener listener) {
			String target = text(request.target());
			boolean proto = request.target().length > 0 && request.target()[0] == 0x0a;
			if (proto && !target.contains("upstream")) {
				return Opening.refused(Refusal.UNUSABLE_SERVICE);
			}
			if (!proto && !target.equals("upstream")) {
				return Opening.refused(Refusal.UNKNOWN_CLUSTER);
			}
			Call call = new Call(request, listener);
			this.calls.add(call);
			return Opening.opened(call);
		}

		Call only() {
			assertThat(this.calls).hasSize(1);
			return this.calls.get(0);
		}

		/** What the plugin did with one call: messages sent, half-close, cancel. */
		static final class Call implements GrpcCall {

			final GrpcRequest request;

			final GrpcListener listener;

			final List<String> sent = new ArrayList<>();

			boolean halfClosed;

			boolean cancelled;

			Call(GrpcRequest request, GrpcListener listener) {
				this.request = request;
				this.listener = listener;
			}

			@Override
			public void send(byte[] message, boolean endOfStream) {
				this.sent.add(text(message) + (endOfStream ? " (end)" : ""));
				this.halfClosed |= endOfStream;
			}

			@Override
			public void halfClose() {
				this.halfClosed = true;
			}

			@Override
			public void cancel() {
				this.cancelled = true;
			}

		}

	}

}
