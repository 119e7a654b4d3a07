package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Plugins added, changed and removed by a configuration change and
 * {@code POST /actuator/refresh}, without a restart, over real HTTP.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("refresh")
class ConfigurationRefreshTests {

	static final EchoUpstream upstream = new EchoUpstream();

	static final Path config = writeConfig(initial());

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ApplicationEventPublisher events;

	@AfterAll
	static void stop() {
		upstream.close();
	}

	/**
	 * The file application-refresh.yml imports (the module directory is the working one).
	 */
	static Path writeConfig(String yaml) {
		try {
			Path file = Path.of("target/refresh-test/gateway.yml");
			Files.createDirectories(file.getParent());
			Files.writeString(file, yaml);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String initial() {
		return plugins("""
				    as-plugin:
				      location: classpath:fixtures/as-plugin.wasm
				    exerciser:
				      location: classpath:fixtures/exerciser.wasm
				      configuration: {"version": 1}
				""") + routes(route("as", "/as/**", "as-plugin"), route("ex", "/ex/**", "exerciser"));
	}

	static String plugins(String plugins) {
		return "wasm-gateway:\n  plugins:\n" + plugins;
	}

	static String routes(String... routes) {
		return "spring.cloud.gateway.server.webflux:\n  routes:\n" + String.join("", routes);
	}

	static String route(String id, String path, String plugin) {
		return "    - id: " + id + "\n      uri: " + upstream.url() + "\n      predicates: [ \"Path=" + path
				+ "\" ]\n      filters: [ \"WasmPlugin=" + plugin + "\" ]\n";
	}

	WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	String upstreamSaw(String path, String... headers) {
		return EchoUpstream.seenThrough(client(), path, headers);
	}

	String refresh(String yaml) {
		writeConfig(yaml);
		return client().post()
			.uri("/actuator/refresh")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	String json(String path) {
		return client().get().uri(path).exchange().expectBody(String.class).returnResult().getResponseBody();
	}

	@Test
	void pluginsFollowTheConfigurationWithoutARestart() {
		assertThat(upstreamSaw("/as/a")).contains("x-as: allowed");
		assertThat(upstreamSaw("/ex/a", "x-op", "get-buffer:7")).contains("x-result: {\"version\":1}");
		String vmsBefore = json("/actuator/wasmplugins/exerciser");

		// a new plugin and the route that uses it; the exerciser's default configuration
		// changes
		refresh(plugins("""
				    as-plugin:
				      location: classpath:fixtures/as-plugin.wasm
				    exerciser:
				      location: classpath:fixtures/exerciser.wasm
				      configuration: {"version": 2}
				    rust-plugin:
				      location: classpath:fixtures/rust-plugin.wasm
				""") + routes(route("as", "/as/**", "as-plugin"), route("ex", "/ex/**", "exerciser"),
				route("rust", "/rust/**", "rust-plugin")));
		assertThat(upstreamSaw("/rust/a")).contains("x-rust-path: /rust/a");
		assertThat(upstreamSaw("/as/a")).contains("x-as: allowed");
		assertThat(upstreamSaw("/ex/a", "x-op", "get-buffer:7")).contains("x-result: {\"version\":2}");
		// a new root context in the same VMs: no VM was rebuilt for it
		assertThat(json("/actuator/wasmplugins/exerciser")).contains("\"rebuilds\":0");
		assertThat(vmId(json("/actuator/wasmplugins/exerciser"))).isEqualTo(vmId(vmsBefore));
		assertThat(json("/actuator/wasmplugins")).contains("\"rust-plugin\"");
		assertThat(this.meters.find("wasm.plugin.vms").tag("plugin", "rust-plugin").gauge()).isNotNull();
		assertThat(this.meters.find("wasm.plugin.heap.retained").tag("plugin", "as-plugin").gauge()).isNotNull();

		// a plugin and its route removed
		refresh(plugins("""
				    exerciser:
				      location: classpath:fixtures/exerciser.wasm
				      configuration: {"version": 2}
				    rust-plugin:
				      location: classpath:fixtures/rust-plugin.wasm
				""") + routes(route("ex", "/ex/**", "exerciser"), route("rust", "/rust/**", "rust-plugin")));
		client().get().uri("/as/a").exchange().expectStatus().isNotFound();
		assertThat(json("/actuator/wasmplugins")).doesNotContain("\"as-plugin\"").contains("\"rust-plugin\"");
		assertThat(this.meters.find("wasm.plugin.vms").tag("plugin", "as-plugin").gauge()).isNull();
		assertThat(this.meters.find("wasm.plugin.heap.retained").tag("plugin", "as-plugin").gauge()).isNull();
		assertThat(this.meters.find("wasm.plugin.metaspace").tag("plugin", "as-plugin").gauge()).isNull();
		assertThat(json("/actuator/wasmplugins/exerciser")).contains("\"routes\":[\"ex\"]");

		// a plugin that cannot be loaded: its route is left out, the others serve, health
		// says why
		refresh(plugins("""
				    exerciser:
				      location: classpath:fixtures/exerciser.wasm
				      configuration: {"version": 2}
				    rust-plugin:
				      location: classpath:fixtures/rust-plugin.wasm
				    missing:
				      location: classpath:fixtures/no-such-plugin.wasm
				""") + routes(route("ex", "/ex/**", "exerciser"), route("rust", "/rust/**", "rust-plugin"),
				route("missing", "/missing/**", "missing")));
		client().get().uri("/missing/a").exchange().expectStatus().isNotFound();
		assertThat(upstreamSaw("/rust/a")).contains("x-rust-path: /rust/a");
		assertThat(json("/actuator/health")).contains("\"status\":\"UP\"")
			.contains("\"missing\":{")
			.contains("NOT_LOADED")
			.contains("cannot read classpath:fixtures/no-such-plugin.wasm");

		// a configuration that cannot be read at all: the gateway serves what it served
		writeConfig(plugins("""
				    exerciser:
				      location: classpath:fixtures/exerciser.wasm
				      memory-limit: lots
				""") + routes(route("ex", "/ex/**", "exerciser"), route("rust", "/rust/**", "rust-plugin")));
		// Spring Cloud refuses the refresh (it cannot bind the new values) and says so
		client().post().uri("/actuator/refresh").exchange().expectStatus().is5xxServerError();
		// a route refresh from elsewhere meanwhile (POST /actuator/gateway/refresh, a
		// discovery heartbeat) finds wasm-gateway.plugins unreadable and leaves them
		// alone
		this.events.publishEvent(new RefreshRoutesEvent(this));
		assertThat(upstreamSaw("/rust/a")).contains("x-rust-path: /rust/a");
		assertThat(json("/actuator/wasmplugins")).contains("\"rust-plugin\"");

		// fixed by the next change
		refresh(initial());
		assertThat(upstreamSaw("/as/a")).contains("x-as: allowed");
		assertThat(upstreamSaw("/ex/a", "x-op", "get-buffer:7")).contains("x-result: {\"version\":1}");
		assertThat(json("/actuator/health")).doesNotContain("NOT_LOADED");
		client().get().uri("/rust/a").exchange().expectStatus().isNotFound();
	}

	private static String vmId(String json) {
		int at = json.indexOf("\"id\":");
		return (at >= 0) ? json.substring(at, json.indexOf(',', at)) : json;
	}

}
