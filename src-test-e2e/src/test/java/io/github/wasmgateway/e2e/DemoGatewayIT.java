package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged demo gateway, over real HTTP: what the README's curl lines show.
 */
class DemoGatewayIT {

	static DemoGateway gateway;

	static final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		gateway = DemoGateway.start();
	}

	@AfterAll
	static void stop() throws Exception {
		gateway.close();
	}

	static HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void pluginEditsHeadersAndRewritesTheBody() throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/rust/hello")))
			.POST(HttpRequest.BodyPublishers.ofString("hello world"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("POST /rust/hello")
			.contains("x-rust-path: /rust/hello")
			.contains("\n\ndlrow olleh");
	}

	@Test
	void pluginAnswersLocallyWithoutTheUpstream() throws Exception {
		HttpResponse<String> response = get("/deny/me");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("x-as")).hasValue("1");
		assertThat(response.body()).isEqualTo("denied by as-plugin");
	}

	@Test
	void calloutToTheNamedClusterReachesThePlugin() throws Exception {
		HttpResponse<String> response = get("/ex/call", "x-op", "http-call", "x-cluster", "echo");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("x-callout-status: 200");
	}

	@Test
	void perRouteConfigurationKeepsHigressRuleKeys() throws Exception {
		assertThat(get("/ex/config", "x-op", "get-buffer:7").body()).contains(
				"x-result: {\"route\":\"exerciser\",\"_rules_\":[{\"_match_route_\":[\"exerciser\"],\"limit\":10}]}");
	}

	@Test
	void trappingPluginFailsClosedAndConcurrentRequestsAreUnaffected() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> normal = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			normal.add(client.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("/as/ok/" + i))).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		HttpResponse<String> trapped = get("/trap/x", "x-trap", "1");
		assertThat(trapped.statusCode()).isEqualTo(503);
		assertThat(trapped.body()).contains("plugin 'trapper' failed");
		for (CompletableFuture<HttpResponse<String>> response : normal) {
			assertThat(response.get().statusCode()).isEqualTo(200);
		}
		assertThat(gateway.log()).contains("plugin 'trapper' failed in proxy_on_request_headers")
			.contains("at crash_here[");
	}

}
