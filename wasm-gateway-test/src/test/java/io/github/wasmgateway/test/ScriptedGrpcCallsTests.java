package io.github.wasmgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC calls and streams answered by scripted replies, through the exerciser fixture's
 * {@code grpc-call} and {@code grpc-stream} ops (fixtures/README.md: the plugin copies
 * what its gRPC callbacks saw into request headers, and answers 403 when a call's answer
 * starts with {@code deny}).
 */
class ScriptedGrpcCallsTests {

	final PluginTester plugin = PluginTester.forClasspath("fixtures/exerciser.wasm").build();

	final TestConfiguration configuration = this.plugin.configure("{}");

	@AfterEach
	void close() {
		this.plugin.close();
	}

	TestResult send(String... headers) {
		return this.plugin.send(this.configuration, TestRequest.get("/").headers(headers));
	}

	@Test
	void aCallGetsItsScriptedAnswer() {
		this.plugin.grpcCalls().answer("authz", (call) -> GrpcReply.of("allow " + call.sentText().get(0)));
		TestResult result = send("x-op", "grpc-call", "x-cluster", "authz", "x-grpc-service", "demo.Gate",
				"x-grpc-method", "Check", "x-value", "alice", "x-grpc-metadata", "user=alice");
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-grpc-message")).isEqualTo("allow alice");
		// as in Envoy, a call (not a stream) hears only its answer's message
		assertThat(result.requestHeader("x-grpc-events")).isEqualTo("message:11");

		GrpcCall call = this.plugin.grpcCalls().calls().get(0);
		assertThat(call.cluster()).isEqualTo("authz");
		assertThat(call.service()).isEqualTo("demo.Gate");
		assertThat(call.method()).isEqualTo("Check");
		assertThat(call.metadata("user")).isEqualTo("alice");
		assertThat(call.metadata("x-from-exerciser")).isEqualTo("1");
		assertThat(call.timeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(call.stream()).isFalse();
		assertThat(call.sentText()).containsExactly("alice");
		assertThat(call.halfClosed()).isTrue();
	}

	@Test
	void thePluginActsOnTheAnswer() {
		this.plugin.grpcCalls().reply("authz", GrpcReply.of("deny: mallory is not welcome"));
		TestResult result = send("x-op", "grpc-call", "x-cluster", "authz", "x-value", "mallory");
		assertThat(result.status()).isEqualTo(403);
		assertThat(result.body()).isEqualTo("deny: mallory is not welcome");
		assertThat(result.responseHeader("x-grpc-gate")).isEqualTo("denied");
	}

	@Test
	void aServerThatAnswersOnlyAStatus() {
		this.plugin.grpcCalls().reply("authz", GrpcReply.status(7, "not for you"));
		TestResult result = send("x-op", "grpc-call", "x-cluster", "authz");
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-grpc-status")).isEqualTo("7");
		assertThat(result.requestHeader("x-grpc-status-message")).isEqualTo("not for you");
		assertThat(result.requestHeader("x-grpc-message")).isNull();
	}

	@Test
	void aCallThatEndsWithoutTheServer() {
		this.plugin.grpcCalls().reply("authz", GrpcReply.failed(14, "connection refused"));
		TestResult result = send("x-op", "grpc-call", "x-cluster", "authz");
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-grpc-status")).isEqualTo("14");
		assertThat(result.requestHeader("x-grpc-status-message")).isEqualTo("connection refused");
		assertThat(result.requestHeader("x-grpc-events")).isEqualTo("close:14");
	}

	@Test
	void anUnknownClusterIsRefusedAtOnce() {
		TestResult result = send("x-op", "grpc-call", "x-cluster", "nowhere");
		assertThat(result.passed()).isTrue();
		// PARSE_FAILURE, as Envoy answers a name that is no cluster
		assertThat(result.requestHeader("x-status")).isEqualTo("4");
		assertThat(this.plugin.grpcCalls().calls()).isEmpty();
	}

	@Test
	void aHeldAnswerKeepsTheRequestPausedUntilReleased() {
		this.plugin.grpcCalls().reply("authz", GrpcReply.of("allow")).hold();
		TestResult result = send("x-op", "grpc-call", "x-cluster", "authz");
		assertThat(result.paused()).isTrue();
		assertThat(this.plugin.grpcCalls().held()).isEqualTo(1);
		this.plugin.release();
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-grpc-message")).isEqualTo("allow");
	}

	@Test
	void aStreamHearsMetadataMessagesTrailersAndTheClose() {
		this.plugin.grpcCalls()
			.reply("feed",
					GrpcReply.of("one", "two").withMetadata("x-server", "scripted").withTrailers("x-done", "yes"));
		TestResult result = send("x-op", "grpc-stream", "x-cluster", "feed", "x-grpc-messages", "go", "x-end-stream",
				"1");
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-grpc-received")).isEqualTo("one|two");
		assertThat(result.requestHeader("x-grpc-initial-metadata")).isEqualTo(":status=200|x-server=scripted");
		assertThat(result.requestHeader("x-grpc-trailing-metadata")).isEqualTo("x-done=yes|grpc-status=0");
		assertThat(result.requestHeader("x-grpc-events")).isEqualTo("headers:2,message:3,message:3,trailers:2,close:0");
		assertThat(result.requestHeader("x-grpc-status")).isEqualTo("0");
	}

	@Test
	void aStreamIsAnsweredMessageByMessage() {
		this.plugin.grpcCalls().answerEachMessage("chat", (message) -> "echo:" + message);
		TestResult result = send("x-op", "grpc-stream", "x-cluster", "chat", "x-grpc-messages", "a,b,c", "x-grpc-mode",
				"ping-pong", "x-end-stream", "1");
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-grpc-received")).isEqualTo("echo:a|echo:b|echo:c");
		assertThat(result.requestHeader("x-grpc-status")).isEqualTo("0");
		GrpcCall stream = this.plugin.grpcCalls().calls().get(0);
		assertThat(stream.stream()).isTrue();
		assertThat(stream.sentText()).containsExactly("a", "b", "c");
	}

	@Test
	void aCancelledCallHearsNothing() {
		this.plugin.grpcCalls().reply("authz", GrpcReply.of("too late")).hold();
		TestResult result = send("x-op", "grpc-call", "x-cluster", "authz", "x-grpc-cancel", "1");
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-status-cancel")).isEqualTo("0");
		assertThat(this.plugin.grpcCalls().calls().get(0).cancelled()).isTrue();
		this.plugin.release();
		assertThat(result.requestHeader("x-grpc-message")).isNull();
		assertThat(this.plugin.failures()).isZero();
	}

}
