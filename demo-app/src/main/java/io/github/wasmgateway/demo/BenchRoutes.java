package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPlugins;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile "bench": the routes the load script ({@code benchmarks/load/run.sh}) compares,
 * each plugin next to a Java filter doing the same work. {@code /bench/none/**} has no
 * filter; {@code /bench/java/**} adds a request header with Spring Cloud Gateway's own
 * AddRequestHeader filter, {@code /bench/wasm/**} runs the JMH benchmark's plugin
 * ({@code bench-headers}: reads {@code x-a} and {@code x-b}, adds {@code x-c});
 * {@code /bench/java-key/**} runs {@link JavaKeyAuthFilter}, {@code /bench/wasm-key/**}
 * the built-in key-auth plugin with the demo's configuration.
 */
@Configuration(proxyBeanMethods = false)
@Profile("bench")
class BenchRoutes {

	@Bean
	RouteLocator benchRouteLocator(RouteLocatorBuilder routes, WasmPlugins wasmPlugins,
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
			.build();
	}

}
