package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged demo gateway's request path over real HTTP: a route built with the Java
 * DSL runs its plugin with its own configuration, and a host-side failure while serving a
 * plugin's call (a callout path the HTTP client refuses) is answered to the plugin while
 * its VM lives on.
 */
class RequestPathIT {

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
	void javaDslRouteRunsItsPluginWithItsOwnConfiguration() throws Exception {
		HttpResponse<String> denied = get("/dsl/x", "x-api-key", "bob-key");
		assertThat(denied.statusCode()).isEqualTo(401);
		assertThat(denied.headers().firstValue("www-authenticate")).hasValue("Key realm=MSE Gateway");
		HttpResponse<String> allowed = get("/dsl/x", "x-dsl-key", "dsl-key");
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.body()).startsWith("GET /dsl/x").contains("x-mse-consumer: dsl-user");
	}

	@Test
	void calloutWithASpaceInItsPathIsRefusedAndTheVmLivesOn() throws Exception {
		HttpResponse<String> refused = get("/ex/call", "x-op", "http-call", "x-cluster", "echo", "x-path", "/a b");
		assertThat(refused.statusCode()).isEqualTo(200);
		// BAD_ARGUMENT from proxy_http_call; the plugin goes on
		assertThat(refused.body()).contains("x-status: 2");
		HttpResponse<String> next = get("/ex/call", "x-op", "http-call", "x-cluster", "echo");
		assertThat(next.body()).contains("x-callout-status: 200");
		assertThat(gateway.log()).doesNotContain("a fresh VM replaces it");
	}

}
