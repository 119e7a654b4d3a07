package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gRPC callouts through the packaged demo: the {@code /grpc/<name>} route, whose plugin
 * asks the demo's own gRPC service ({@code demo.Gate/Check}) before letting a request
 * through, and a bidirectional stream ({@code demo.Gate/Chat}) driven by the exerciser
 * plugin on {@code /ex} (fixtures/README.md, "gRPC").
 */
class GrpcDemoIT {

	static DemoGateway gateway;

	@BeforeAll
	static void start() throws Exception {
		gateway = DemoGateway.start();
	}

	@AfterAll
	static void stop() throws Exception {
		gateway.close();
	}

	static HttpResponse<String> get(String path, String... headers) throws Exception {
		return gateway.get(path, headers);
	}

	@Test
	void unaryCallLetsAnAllowedRequestThroughWithTheAnswer() throws Exception {
		HttpResponse<String> response = get("/grpc/alice");
		assertThat(response.statusCode()).isEqualTo(200);
		// the echo upstream shows what the plugin added after the gRPC answer
		assertThat(response.body()).startsWith("GET /grpc/alice")
			.contains("x-grpc-message: allow alice")
			.contains("x-grpc-events: message:11");
	}

	@Test
	void unaryCallThatDeniesAnswersTheClientWithoutTheUpstream() throws Exception {
		HttpResponse<String> response = get("/grpc/mallory");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("x-grpc-gate")).hasValue("denied");
		assertThat(response.body()).isEqualTo("deny: mallory is not welcome");
	}

	@Test
	void bidirectionalStreamAnswersEachMessageThePluginSends() throws Exception {
		HttpResponse<String> response = get("/ex/chat", "x-op", "grpc-stream", "x-cluster", "grpc-demo",
				"x-grpc-service", "demo.Gate", "x-grpc-method", "Chat", "x-grpc-messages", "a,b,c", "x-grpc-mode",
				"ping-pong", "x-end-stream", "1");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("x-grpc-received: echo:a|echo:b|echo:c")
			.contains("x-grpc-events: headers:")
			.contains("trailers:1,close:0")
			.contains("x-grpc-status: 0");
	}

	@Test
	void clusterTheConfigurationDoesNotNameIsRefused() throws Exception {
		HttpResponse<String> response = get("/ex/x", "x-op", "grpc-call", "x-cluster", "127.0.0.1:" + gateway.grpcPort);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("x-status: 4").doesNotContain("x-grpc-events");
	}

}
