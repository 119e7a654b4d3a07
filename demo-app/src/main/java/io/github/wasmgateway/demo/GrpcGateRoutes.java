package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * {@code /grpc/<name>}: before the request goes upstream, the exerciser plugin asks the
 * demo's gRPC service ({@link GateService}, cluster {@code grpc-demo} declared in
 * demo-grpc.properties) whether {@code <name>} may pass, with {@code proxy_grpc_call}; an
 * answer starting with {@code deny} is the client's 403, any other goes upstream as
 * {@code x-grpc-message} (fixtures/README.md, "gRPC"). The route sets the exerciser's
 * inputs itself, so the client cannot change them.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:demo-grpc.properties")
class GrpcGateRoutes {

	@Bean
	RouteLocator grpcGateRoute(RouteLocatorBuilder routes, WasmPluginGatewayFilterFactory wasm,
			@Value("${demo.echo.port}") int echoPort) {
		return routes.routes()
			.route("grpc-gate",
					(route) -> route.path("/grpc/{name}")
						.filters((filters) -> filters.setRequestHeader("x-op", "grpc-call")
							.setRequestHeader("x-cluster", "grpc-demo")
							.setRequestHeader("x-grpc-service", GateService.SERVICE)
							.setRequestHeader("x-grpc-method", "Check")
							.setRequestHeader("x-value", "{name}")
							// generous: the first call opens the channel, which on a
							// loaded
							// machine took over 2 s, and a timed-out check lets the
							// request pass
							.setRequestHeader("x-timeout", "10000")
							.filter(wasm.apply((config) -> {
								config.setPlugin("exerciser");
								config.setRouteId("grpc-gate");
							})))
						.uri("http://127.0.0.1:" + echoPort))
			.build();
	}

}
