package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The WasmPlugin filter over real HTTP: a gateway on a random port in front of a real
 * upstream, with plugins from the fixtures.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class WasmPluginFilterTests {

	static final EchoUpstream upstream = new EchoUpstream();

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		upstream.close();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		String routes = "spring.cloud.gateway.server.webflux.routes";
		registry.add("wasm-gateway.compile-cache", () -> "");
		registry.add("wasm-gateway.plugins.as-plugin.location", () -> "classpath:fixtures/as-plugin.wasm");
		registry.add("wasm-gateway.plugins.rust.location", () -> "classpath:fixtures/rust-plugin.wasm");
		registry.add(routes + "[0].id", () -> "as");
		registry.add(routes + "[0].uri", upstream::url);
		registry.add(routes + "[0].predicates[0]", () -> "Path=/as/**,/deny/**");
		registry.add(routes + "[0].filters[0]", () -> "WasmPlugin=as-plugin");
		registry.add(routes + "[1].id", () -> "rust");
		registry.add(routes + "[1].uri", upstream::url);
		registry.add(routes + "[1].predicates[0]", () -> "Path=/rust/**");
		registry.add(routes + "[1].filters[0]", () -> "WasmPlugin=rust");
	}

	WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void requestHeaderEditsReachTheUpstream() {
		String body = client().get()
			.uri("/as/hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).startsWith("GET /as/hello").contains("x-as: allowed");
	}

	@Test
	void localResponseAnswersWithoutCallingTheUpstream() {
		client().get()
			.uri("/deny/this")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals("x-as", "1")
			.expectHeader()
			.doesNotExist("x-upstream")
			.expectBody(String.class)
			.isEqualTo("denied by as-plugin");
	}

	@Test
	void bufferedRequestBodyIsRewrittenBeforeTheUpstreamSeesIt() {
		String body = client().post()
			.uri("/rust/items")
			.bodyValue("abcdef")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("x-rust-path: /rust/items").endsWith("\n\nfedcba");
	}

}
