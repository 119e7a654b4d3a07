package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPlugins;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A route built with the Java route DSL: {@code /dsl/**} runs the built-in key-auth
 * plugin with this route's own configuration (its own key header and consumer), as a
 * route of application.yml would with a {@code configuration} block.
 */
@Configuration(proxyBeanMethods = false)
class DslRoutes {

	@Bean
	RouteLocator keyAuthDslRoute(RouteLocatorBuilder routes, WasmPlugins wasmPlugins,
			@Value("${demo.echo.port}") int echoPort) {
		return routes.routes()
			.route("dsl",
					(route) -> route.path("/dsl/**")
						.filters((filters) -> filters.filter(wasmPlugins.filter("key-auth", """
								{
								  "keys": [ "x-dsl-key" ],
								  "consumers": [ { "name": "dsl-user", "credential": "dsl-key" } ],
								  "global_auth": true
								}
								""")))
						.uri("http://127.0.0.1:" + echoPort))
			.build();
	}

}
