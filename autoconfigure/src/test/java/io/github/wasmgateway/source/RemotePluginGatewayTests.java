package io.github.wasmgateway.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway whose plugin is pulled by tag from a real registry: it serves requests, a new
 * image pushed under the tag is hot-reloaded at the next re-check, and a restart while
 * the registry is down starts from the verified local copy.
 */
class RemotePluginGatewayTests {

	@TempDir
	Path directory;

	private HttpServer upstream;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeEach
	void startUpstream() throws IOException {
		// answers with the x-fixture header the plugin added on the way
		this.upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.upstream.createContext("/", this::echo);
		this.upstream.start();
	}

	private void echo(HttpExchange exchange) throws IOException {
		try (exchange) {
			String fixture = exchange.getRequestHeaders().getFirst("x-fixture");
			byte[] body = String.valueOf(fixture).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
	}

	@AfterEach
	void stopUpstream() {
		this.upstream.stop(0);
	}

	@Test
	void pluginPulledByTagServesReloadsOnANewPushAndRestartsFromItsLocalCopy() throws Exception {
		String location;
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			ImagePusher pusher = new ImagePusher(registry, "plugins/demo", null);
			pusher.pushWasmArtifact("stable", SourceTestSupport.fixture("go-profile"));
			location = "oci://" + registry.host() + "/plugins/demo:stable";
			try (ConfigurableApplicationContext gateway = startGateway(location)) {
				assertThat(get(gateway, "/demo/x")).isEqualTo("go-profile");
				pusher.pushDockerImage("stable", "plugin.wasm", SourceTestSupport.fixture("tinygo-profile"));
				gateway.getBean(RemoteSourceWatcher.class).recheckNow();
				assertThat(get(gateway, "/demo/x")).isEqualTo("tinygo-profile");
				assertThat(gateway.getBean(WasmPluginRegistry.class).plugin("demo").lastReload().succeeded()).isTrue();
			}
		}
		try (ConfigurableApplicationContext restarted = startGateway(location)) {
			assertThat(get(restarted, "/demo/x")).isEqualTo("tinygo-profile");
			// the registry stays down: a re-check keeps the version running
			restarted.getBean(RemoteSourceWatcher.class).recheckNow();
			assertThat(get(restarted, "/demo/x")).isEqualTo("tinygo-profile");
		}
	}

	private ConfigurableApplicationContext startGateway(String location) {
		return new SpringApplicationBuilder(SourcesTestApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "wasm-gateway.compile-cache=",
					"wasm-gateway.plugins.demo.location=" + location, "wasm-gateway.sources.plain-http-loopback=true",
					"wasm-gateway.sources.retries=0", "wasm-gateway.sources.recheck-interval=0",
					"wasm-gateway.sources.local-copies=" + this.directory.resolve("copies"),
					"spring.cloud.gateway.server.webflux.routes[0].id=demo",
					"spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:"
							+ this.upstream.getAddress().getPort(),
					"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/demo/**",
					"spring.cloud.gateway.server.webflux.routes[0].filters[0]=WasmPlugin=demo")
			.run();
	}

	private String get(ConfigurableApplicationContext gateway, String path) throws Exception {
		int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	@SpringBootApplication
	static class SourcesTestApplication {

	}

}
