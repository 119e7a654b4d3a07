package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile "redis": {@code /cluster-limited/**} runs the built-in cluster-key-rate-limit
 * plugin, which counts in Redis so that every gateway instance shares one limit. Declared
 * with the Java route DSL, which is how a WasmPlugin filter is used from code.
 */
@Configuration(proxyBeanMethods = false)
@Profile("redis")
class RedisDemoRoutes {

	@Bean
	RouteLocator clusterRateLimitRoute(RouteLocatorBuilder routes, WasmPluginGatewayFilterFactory wasm,
			@Value("${demo.echo.port}") int echoPort) {
		return routes.routes()
			.route("cluster-rate-limit", (route) -> route.path("/cluster-limited/**")
				.filters((filters) -> filters.filter(wasm.apply((config) -> {
					config.setPlugin("cluster-key-rate-limit");
					config.setRouteId("cluster-rate-limit");
				})))
				.uri("http://127.0.0.1:" + echoPort))
			.build();
	}

}
