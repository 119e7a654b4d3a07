package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile "loop": {@code /bench/loop/**} runs the plugin {@code looper}, which spins
 * until its call deadline on every request with {@code x-loop};
 * {@code benchmarks/load/loop.sh} measures the plain route of profile "bench" on the same
 * event loop meanwhile.
 */
@Configuration(proxyBeanMethods = false)
@Profile("loop")
class LoopRoutes {

	@Bean
	RouteLocator loopRouteLocator(RouteLocatorBuilder routes, WasmPluginGatewayFilterFactory wasm,
			@Value("${demo.echo.port}") int echoPort) {
		return routes.routes()
			.route("bench-loop",
					(route) -> route.path("/bench/loop/**").filters((filters) -> filters.filter(wasm.apply((config) -> {
						config.setPlugin("looper");
						config.setRouteId("bench-loop");
					}))).uri("http://127.0.0.1:" + echoPort))
			.build();
	}

}
