package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPlugins;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Profile "bench": the routes the load script ({@code benchmarks/load/run.sh}) compares,
 * each plugin next to a Java filter doing the same work. {@code /bench/none/**} has no
 * filter; {@code /bench/java/**} adds a request header with Spring Cloud Gateway's own
 * AddRequestHeader filter, {@code /bench/wasm/**} runs the JMH benchmark's plugin
 * ({@code bench-headers}: reads {@code x-a} and {@code x-b}, adds {@code x-c});
 * {@code /bench/java-key/**} runs {@link JavaKeyAuthFilter}, {@code /bench/wasm-key/**}
 * the built-in key-auth plugin with the demo's configuration; {@code /bench/java-jwt/**}
 * runs {@link JavaJwtAuthFilter}, {@code /bench/wasm-jwt/**} the built-in jwt-auth
 * plugin, both trusting the keys of {@link BenchTokens} (RS256 and ES256 tokens at
 * {@code /bench-tokens/{alg}}); {@code /bench/java-oauth/**} runs
 * {@link JavaOauthFilter}, {@code /bench/wasm-oauth/**} the built-in oauth plugin with
 * the demo's configuration (which also issues the tokens); {@code /bench/java-hmac/**}
 * runs {@link JavaHmacAuthFilter}, {@code /bench/wasm-hmac/**} the built-in hmac-auth
 * plugin, both with the consumer {@code bench} (key {@value #HMAC_KEY}, secret
 * {@value #HMAC_SECRET}) and a {@code date_offset} of a day, so that the load script
 * signs each route's request once, with the time it starts.
 */
@Configuration(proxyBeanMethods = false)
@Profile("bench")
class BenchRoutes {

	static final String HMAC_KEY = "bench-key";

	static final String HMAC_SECRET = "bench-secret";

	/**
	 * Seconds: a day, so that a request signed when the load script starts stays valid.
	 */
	static final long HMAC_DATE_OFFSET = 86400;

	/** The hmac-auth configuration of the Wasm route, the Java filter's too. */
	static final String HMAC_CONFIGURATION = "{\"consumers\": [{\"key\": \"" + HMAC_KEY + "\", \"secret\": \""
			+ HMAC_SECRET + "\", \"name\": \"" + BenchTokens.CONSUMER + "\"}], \"date_offset\": " + HMAC_DATE_OFFSET
			+ "}";

	@Bean
	RouteLocator benchRouteLocator(RouteLocatorBuilder routes, WasmPlugins wasmPlugins, BenchTokens tokens,
			@Value("${demo.echo.port}") int echoPort) {
		String upstream = "http://127.0.0.1:" + echoPort;
		return routes.routes()
			.route("bench-none", (route) -> route.path("/bench/none/**").uri(upstream))
			.route("bench-java",
					(route) -> route.path("/bench/java/**")
						.filters((filters) -> filters.addRequestHeader("x-c", "0"))
						.uri(upstream))
			.route("bench-wasm",
					(route) -> route.path("/bench/wasm/**")
						.filters((filters) -> filters.filter(wasmPlugins.filter("bench-headers")))
						.uri(upstream))
			.route("bench-java-key",
					(route) -> route.path("/bench/java-key/**")
						.filters((filters) -> filters.filter(new JavaKeyAuthFilter()))
						.uri(upstream))
			.route("bench-wasm-key",
					(route) -> route.path("/bench/wasm-key/**")
						.filters((filters) -> filters.filter(wasmPlugins.filter("key-auth")))
						.uri(upstream))
			.route("bench-java-jwt",
					(route) -> route.path("/bench/java-jwt/**")
						.filters((filters) -> filters
							.filter(new JavaJwtAuthFilter(tokens.publicKeys(), tokens.publicKeys().get("rsa"))))
						.uri(upstream))
			.route("bench-wasm-jwt", (route) -> route.path("/bench/wasm-jwt/**")
				.filters((filters) -> filters.filter(wasmPlugins.filter("jwt-auth", tokens.jwtAuthConfiguration())))
				.uri(upstream))
			.route("bench-wasm-jwt-interpreter",
					(route) -> route.path("/bench/wasm-jwt-interpreter/**")
						.filters((filters) -> filters
							.filter(wasmPlugins.filter("jwt-auth-interpreter", tokens.jwtAuthConfiguration())))
						.uri(upstream))
			.route("bench-java-oauth",
					(route) -> route.path("/bench/java-oauth/**")
						.filters((filters) -> filters.filter(new JavaOauthFilter("demo-gateway",
								Map.of("demo-client", new JavaOauthFilter.Consumer("frank", "demo-secret")))))
						.uri(upstream))
			.route("bench-wasm-oauth",
					(route) -> route.path("/bench/wasm-oauth/**")
						.filters((filters) -> filters.filter(wasmPlugins.filter("oauth")))
						.uri(upstream))
			.route("bench-java-hmac",
					(route) -> route.path("/bench/java-hmac/**")
						.filters((filters) -> filters.filter(new JavaHmacAuthFilter(
								Map.of(HMAC_KEY, new JavaHmacAuthFilter.Consumer(HMAC_SECRET, BenchTokens.CONSUMER)),
								HMAC_DATE_OFFSET)))
						.uri(upstream))
			.route("bench-wasm-hmac",
					(route) -> route.path("/bench/wasm-hmac/**")
						.filters((filters) -> filters.filter(wasmPlugins.filter("hmac-auth", HMAC_CONFIGURATION)))
						.uri(upstream))
			.build();
	}

	@Bean
	BenchTokens benchTokens() {
		return new BenchTokens();
	}

	/**
	 * {@code GET /bench-tokens/{alg}}: the token the load script sends (RS256, ES256).
	 */
	@Bean
	RouterFunction<ServerResponse> benchTokenRoutes(BenchTokens tokens) {
		return RouterFunctions.route(RequestPredicates.GET("/bench-tokens/{alg}"), (request) -> {
			String token = tokens.token(request.pathVariable("alg"));
			return (token != null) ? ServerResponse.ok().bodyValue(token) : ServerResponse.notFound().build();
		});
	}

}
