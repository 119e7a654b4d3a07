package io.github.wasmgateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.gateway.EchoUpstream;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Plugins' gRPC calls through a real gateway over HTTP: the exerciser fixture
 * (fixtures/README.md, "gRPC") on a route, the clusters of application-grpc.yml pointing
 * at real grpc-java servers, one of them over TLS trusted through an SSL bundle. What the
 * plugin received reaches the upstream as request headers, or answers the client.
 */
@SpringBootTest(classes = GrpcGatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("grpc")
class GrpcGatewayTests {

	static final TestGrpcServer grpc = TestGrpcServer.start();

	static final TestGrpcServer grpcTls = TestGrpcServer.start(true);

	static final EchoUpstream upstream = new EchoUpstream();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.grpc-port", grpc::port);
		registry.add("test.grpc-tls-port", grpcTls::port);
		registry.add("test.upstream", upstream::url);
	}

	@AfterAll
	static void stop() throws InterruptedException {
		upstream.close();
		grpc.close();
		grpcTls.close();
	}

	WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	String upstreamSaw(String... headers) {
		return EchoUpstream.seenThrough(client(), "/ex/grpc", headers);
	}

	@Test
	void unaryCallAnswersBeforeTheRequestGoesUpstream() {
		assertThat(upstreamSaw("x-op", "grpc-call", "x-cluster", "grpc-echo", "x-grpc-service", "test.Echo",
				"x-grpc-method", "Echo", "x-value", "hi", "x-timeout", "10000"))
			.contains("x-grpc-message: echo:hi")
			.contains("x-grpc-events: message:7");
	}

	@Test
	void answerThatDeniesIsTheClientsAnswer() {
		client().get()
			.uri("/ex/grpc")
			.header("x-op", "grpc-call")
			.header("x-cluster", "grpc-echo")
			.header("x-grpc-service", "test.Echo")
			.header("x-grpc-method", "Say")
			.header("x-value", "deny: not today")
			.header("x-timeout", "10000")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals("x-grpc-gate", "denied")
			.expectBody(String.class)
			.isEqualTo("deny: not today");
	}

	@Test
	void bidirectionalStreamRunsWhileTheRequestWaits() {
		assertThat(upstreamSaw("x-op", "grpc-stream", "x-cluster", "grpc-echo", "x-grpc-service", "test.Echo",
				"x-grpc-method", "Chat", "x-grpc-messages", "x,y", "x-grpc-mode", "ping-pong", "x-end-stream", "1"))
			.contains("x-grpc-received: echo:x|echo:y")
			.contains("x-grpc-status: 0");
	}

	@Test
	void failureReachesThePluginWithTheServersStatus() {
		assertThat(upstreamSaw("x-op", "grpc-call", "x-cluster", "grpc-echo", "x-grpc-service", "test.Echo",
				"x-grpc-method", "Deny", "x-timeout", "10000"))
			.contains("x-grpc-status: 7")
			.contains("x-grpc-status-message: not for you");
	}

	@Test
	void tlsClusterTrustsItsSslBundle() {
		assertThat(upstreamSaw("x-op", "grpc-call", "x-cluster", "grpc-secure", "x-grpc-service", "test.Echo",
				"x-grpc-method", "Echo", "x-value", "over tls", "x-timeout", "10000"))
			.contains("x-grpc-message: echo:over tls");
	}

	@Test
	void clusterNotInConfigurationIsRefused() {
		assertThat(upstreamSaw("x-op", "grpc-call", "x-cluster", "127.0.0.1:" + grpc.port())).contains("x-status: 4")
			.doesNotContain("x-grpc-");
	}

}
