package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Every phase of an exchange through real HTTP, with the exerciser fixture driven by
 * request headers (fixtures/README.md) and routes from application-phases.yml.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("phases")
class GatewayPhasesTests {

	static final EchoUpstream upstream = new EchoUpstream();

	/** Answers chunked, with the trailers it declares in its Trailer header. */
	static final DisposableServer trailerUpstream = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> response.header("trailer", "x-upstream-trailer, x-plugin-trailer")
			.trailerHeaders((trailers) -> trailers.set("x-upstream-trailer", "from upstream"))
			.sendString(Flux.just("with ", "trailers")))
		.bindNow();

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		upstream.close();
		trailerUpstream.disposeNow();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
		registry.add("test.trailer-upstream", () -> "http://127.0.0.1:" + trailerUpstream.port());
	}

	WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	String upstreamSaw(String path, String... headers) {
		return EchoUpstream.seenThrough(client(), path, headers);
	}

	@Test
	void perRouteConfigurationReachesThePluginExactlyAsWritten() {
		assertThat(upstreamSaw("/ex/a", "x-op", "get-buffer:7"))
			.contains("x-result: {\"_rules_\":[{\"_match_route_\":[\"ex\"],\"limit\":10,\"strict\":true}],"
					+ "\"name\":\"route ex\"}");
	}

	@Test
	void routeWithoutConfigurationUsesThePluginDefault() {
		assertThat(upstreamSaw("/default/a", "x-op", "get-buffer:7")).contains("x-result: {\"global\":true}");
	}

	@Test
	void pseudoHeadersAndPropertiesDescribeTheRequest() {
		assertThat(upstreamSaw("/ex/items?page=2", "x-op", "get-property:request.path"))
			.contains("x-result: /ex/items?page=2");
		assertThat(upstreamSaw("/ex/a", "x-op", "get-property:route_name")).contains("x-result: ex");
	}

	@Test
	void calloutToANamedClusterPausesTheRequestUntilTheAnswer() {
		String seen = upstreamSaw("/ex/call", "x-op", "http-call", "x-cluster", "upstream");
		assertThat(seen).contains("x-status: 0").contains("x-callout-status: 200");
	}

	@Test
	void calloutToAHigressClusterNameFindsTheClusterByItsHost() {
		String seen = upstreamSaw("/ex/call", "x-op", "http-call", "x-cluster",
				"outbound|8080||upstream.default.svc.cluster.local");
		assertThat(seen).contains("x-status: 0").contains("x-callout-status: 200");
	}

	@Test
	void calloutWhosePathTheHttpClientRefusesIsAnsweredBadArgumentAndTheVmLivesOn(
			@Autowired WasmPluginRegistry registry) {
		io.github.wasmgateway.engine.Plugin plugin = registry.plugin("exerciser").current().plugin();
		long failures = plugin.failureCount();
		long rebuilds = plugin.rebuildCount();
		// java.net.URI refuses the space: a host-side failure, answered BAD_ARGUMENT
		assertThat(upstreamSaw("/ex/call", "x-op", "http-call", "x-cluster", "upstream", "x-path", "/a b"))
			.contains("x-status: 2");
		assertThat(upstreamSaw("/ex/call", "x-op", "http-call", "x-cluster", "upstream"))
			.contains("x-callout-status: 200");
		assertThat(plugin.failureCount()).isEqualTo(failures);
		assertThat(plugin.rebuildCount()).isEqualTo(rebuilds);
	}

	@Test
	void calloutToAnUnknownClusterIsRefused() {
		assertThat(upstreamSaw("/ex/call", "x-op", "http-call", "x-cluster", "elsewhere")).contains("x-status: 2");
	}

	@Test
	void streamPausedUntilATickIsResumedByThePlugin() {
		assertThat(upstreamSaw("/ex/tick", "x-op", "pause-until-tick:20")).contains("x-resumed-by: tick");
	}

	@Test
	void streamThatIsNeverResumedEndsAtTheStreamTimeout() {
		client().get()
			.uri("/ex/forever")
			.header("x-op", "pause")
			.exchange()
			.expectStatus()
			.isEqualTo(504)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("plugin 'exerciser' paused the stream for longer than PT1S"));
	}

	@Test
	void streamClosedByThePluginInsideItsCallbackIsNotSentUpstream() {
		client().get().uri("/ex/closed").header("x-op", "close-stream").exchange().expectStatus().isEqualTo(502);
	}

	@Test
	void localResponseFromTheExerciser() {
		client().get()
			.uri("/ex/x")
			.header("x-op", "local-response")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals("x-local", "1")
			.expectBody(String.class)
			.isEqualTo("local response from exerciser");
	}

	@Test
	void responseHeadersPhaseEditsTheClientsResponse() {
		client().get()
			.uri("/ex/x")
			.header("x-response-op", "get-property:response.code")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-status", "0")
			.expectHeader()
			.valueEquals("x-result-len", "8")
			.expectHeader()
			.valueEquals("x-upstream", "echo");
	}

	@Test
	void twoFiltersOnOneRouteRunInOrder() {
		assertThat(upstreamSaw("/chain/a")).contains("x-as: allowed").contains("x-exerciser: ");
	}

	@Test
	void headerOnlyPluginLeavesTheBodyAndItsLengthAlone() {
		String seen = client().post()
			.uri("/plain/upload")
			.bodyValue("hello body")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(seen).contains("content-length: 10").doesNotContain("transfer-encoding").endsWith("\n\nhello body");
	}

	@Test
	void bufferedBodyIsRewrittenByThePlugin() {
		String seen = client().post()
			.uri("/ex/upload")
			.header("x-op", "body-upper")
			.bodyValue("make me loud")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(seen).endsWith("\n\nMAKE ME LOUD");
	}

	String postThroughExerciser(String body, String... headers) {
		return client().post().uri("/ex/upload").headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	@Test
	void requestBodyThePluginStreamsUnchangedKeepsItsContentLength() {
		assertThat(postThroughExerciser("hello body")).contains("content-length: 10")
			.doesNotContain("transfer-encoding")
			.endsWith("\n\nhello body");
	}

	@Test
	void requestBodyThePluginBufferedAndResizedIsSentWithItsNewLength() {
		assertThat(postThroughExerciser("make me loud", "x-op", "body-upper", "x-body-append", "!!"))
			.contains("content-length: 14")
			.doesNotContain("transfer-encoding")
			.endsWith("\n\nMAKE ME LOUD!!");
	}

	@Test
	void requestBodyThePluginResizesWhileStreamingIsSentChunked() {
		// large enough to reach the plugin in several chunks
		String seen = postThroughExerciser("x".repeat(100 * 1024), "x-prefix-request-chunks", ">>");
		assertThat(seen).contains("transfer-encoding: chunked").doesNotContain("content-length");
		String body = seen.substring(seen.indexOf("\n\n") + 2);
		assertThat(body).startsWith(">>x");
		assertThat(body.replace(">>", "")).hasSize(100 * 1024);
	}

	@Test
	void requestBodyInOnePieceThePluginResizesIsSentWithItsNewLength() {
		// the body's only call has end_of_stream: its final length is known before it
		// goes
		assertThat(postThroughExerciser("hello", "x-prefix-request-chunks", ">>")).contains("content-length: 7")
			.doesNotContain("transfer-encoding")
			.endsWith("\n\n>>hello");
	}

	@Test
	void requestBodyResizedAfterItsLengthWasSentIsNotSentWrong() {
		String body = "x".repeat(512 * 1024);
		client().post()
			.uri("/ex/upload")
			.header("x-prefix-request-chunks", ">>")
			.header("x-prefix-skip", "1")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.is5xxServerError();
	}

	@Test
	void responseBodyThePluginStreamsUnchangedKeepsItsContentLength() {
		client().get()
			.uri("/ex/x")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("transfer-encoding")
			.expectBody(String.class)
			.consumeWith((result) -> assertThat(result.getResponseHeaders().getContentLength())
				.isEqualTo(result.getResponseBody().length()));
	}

	@Test
	void responseBodyThePluginBufferedAndResizedHasItsNewLength() {
		client().get()
			.uri("/ex/x")
			.header("x-upper-response-body", "1")
			.header("x-body-append", "!!")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("transfer-encoding")
			.expectBody(String.class)
			.consumeWith((result) -> {
				assertThat(result.getResponseBody()).startsWith("GET /EX/X").endsWith("!!");
				assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(result.getResponseBody().length());
			});
	}

	@Test
	void responseBodyThePluginResizesWhileStreamingIsSentChunked() {
		// the upstream echoes a body large enough to reach the plugin in several chunks
		client().post()
			.uri("/ex/x")
			.header("x-prefix-response-chunks", ">>")
			.bodyValue("x".repeat(100 * 1024))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("transfer-encoding", "chunked")
			.expectHeader()
			.doesNotExist("content-length")
			.expectHeader()
			.doesNotExist("connection")
			.expectBody(String.class)
			.value((body) -> assertThat(body).startsWith(">>POST /ex/x"));
	}

	@Test
	void responseBodyInOnePieceThePluginResizesHasItsNewLength() {
		client().get()
			.uri("/ex/x")
			.header("x-prefix-response-chunks", ">>")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("transfer-encoding")
			.expectBody(String.class)
			.consumeWith((result) -> {
				assertThat(result.getResponseBody()).startsWith(">>GET /ex/x");
				assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(result.getResponseBody().length());
			});
	}

	@Test
	void responseTrailersReachThePluginAndTheClientGetsItsEdits() {
		HttpHeaders trailers = trailersOf("/trailers/x", "x-edit-trailers", "1");
		assertThat(trailers.get("x-upstream-trailer")).isEqualTo("seen by exerciser");
		assertThat(trailers.get("x-plugin-trailer")).isEqualTo("1");
		assertThat(trailersOf("/trailers/x").get("x-upstream-trailer")).isEqualTo("from upstream");
	}

	/** The trailers the gateway's client gets (WebTestClient does not show them). */
	HttpHeaders trailersOf(String path, String... headers) {
		return HttpClient.create().headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		})
			.get()
			.uri("http://127.0.0.1:" + this.port + path)
			.responseSingle((response, body) -> body.asString()
				.doOnNext((text) -> assertThat(text).isEqualTo("with trailers"))
				.then(response.trailerHeaders()))
			.block(Duration.ofSeconds(10));
	}

	@Test
	void upstreamConnectionsArePooledPerEventLoop(@Autowired reactor.netty.http.client.HttpClient gatewayClient) {
		assertThat(gatewayClient.configuration().connectionProvider()).isInstanceOf(EventLoopConnectionPools.class);
	}

	@Test
	void trappingPluginFailsClosedWith503AndOtherRequestsGoOn() {
		client().get()
			.uri("/closed/x")
			.header("x-trap", "1")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("plugin 'trap-closed' failed"));
		assertThat(upstreamSaw("/closed/y")).contains("x-ok: 1");
	}

	@Test
	void trappingPluginFailsOpenAndTheRequestGoesOnWithoutIt() {
		String seen = upstreamSaw("/open/x", "x-trap", "1");
		assertThat(seen).startsWith("GET /open/x").doesNotContain("x-ok");
	}

}
