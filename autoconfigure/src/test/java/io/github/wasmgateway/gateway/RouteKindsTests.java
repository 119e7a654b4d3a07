package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.VmInfo;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every kind of route runs its plugin the same way over real HTTP: a configured route
 * with the default filters (a configuration block), and a route built with the Java DSL
 * ({@link WasmPlugins}). Each reports its route id as {@code route_name}, gets its
 * configuration as written, and follows hot reloads and route refreshes on the plugin's
 * shared VMs.
 */
@SpringBootTest(classes = { GatewayTestApplication.class, RouteKindsTests.DslRoutes.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("routekinds")
class RouteKindsTests {

	static final EchoUpstream upstream = new EchoUpstream();

	@LocalServerPort
	int port;

	@Autowired
	WasmPluginRegistry registry;

	@Autowired
	ApplicationEventPublisher events;

	@AfterAll
	static void stop() {
		upstream.close();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
	}

	/** A route built with the Java DSL, with its own configuration. */
	@TestConfiguration(proxyBeanMethods = false)
	static class DslRoutes {

		@Bean
		RouteLocator dslRoutes(RouteLocatorBuilder routes, WasmPlugins wasmPlugins) {
			return routes.routes()
				.route("dsl",
						(route) -> route.path("/dsl/**").filters((f) -> f.filter(wasmPlugins.filter("exerciser", """
								{"kind": "dsl", "list": [1, true]}"""))).uri(upstream.url()))
				.build();
		}

	}

	WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	String result(String path, String op) {
		String seen = EchoUpstream.seenThrough(client(), path, "x-op", op);
		int at = seen.indexOf("x-result: ");
		return (at >= 0) ? seen.substring(at + "x-result: ".length(), seen.indexOf('\n', at)) : null;
	}

	Plugin current() {
		return this.registry.plugin("exerciser").current().plugin();
	}

	long served(Plugin plugin) {
		return plugin.vms().stream().mapToLong(VmInfo::requestsServed).sum();
	}

	@Test
	void everyRouteKindReportsItsRouteIdAsRouteName() {
		assertThat(result("/yaml/a", "get-property:route_name")).isEqualTo("yaml");
		assertThat(result("/dsl/a", "get-property:route_name")).isEqualTo("dsl");
	}

	@Test
	void defaultFiltersAndDslFiltersGetTheirConfigurationExactlyAsWritten() {
		assertThat(result("/yaml/a", "get-buffer:7"))
			.isEqualTo("{\"kind\":\"default-filters\",\"_rules_\":[{\"_match_route_\":[\"yaml\"],\"limit\":3}]}");
		assertThat(result("/dsl/a", "get-buffer:7")).isEqualTo("{\"kind\": \"dsl\", \"list\": [1, true]}");
	}

	@Test
	void everyRouteKindFollowsReloadsAndRouteRefreshesOnThePluginsVms() {
		assertThat(this.registry.plugin("exerciser").routes()).contains("yaml", "dsl");
		for (int round = 0; round < 2; round++) {
			// a hot reload: a new version of the plugin takes every route
			assertThat(this.registry.reload("exerciser", true).succeeded()).isTrue();
			Plugin reloaded = current();
			for (int i = 0; i < 4; i++) {
				assertThat(result("/yaml/a", "get-property:route_name")).isEqualTo("yaml");
				assertThat(result("/dsl/a", "get-property:route_name")).isEqualTo("dsl");
			}
			assertThat(served(reloaded)).isEqualTo(8);
			// one VM per event loop, no VM per request
			assertThat(reloaded.vms()).hasSizeLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() * 2);
			assertThat(reloaded.rebuildCount()).isZero();

			// a route refresh rebuilds the configured routes and keeps the DSL route's
			// filter: both stay bound
			this.events.publishEvent(new RefreshRoutesEvent(this));
			assertThat(this.registry.plugin("exerciser").routes()).contains("yaml", "dsl");
		}
	}

}
