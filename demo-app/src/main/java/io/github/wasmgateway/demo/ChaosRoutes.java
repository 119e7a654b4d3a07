package io.github.wasmgateway.demo;

import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile "chaos": the routes of the chaos suite ({@code benchmarks/chaos/run.sh}), each
 * {@code /chaos/<name>/**} in front of the echo upstream with the plugin of
 * {@code application-chaos.yml}, and {@code /chaos/blackhole/**} to an upstream that
 * never answers.
 */
@Configuration(proxyBeanMethods = false)
@Profile("chaos")
class ChaosRoutes {

	@Bean
	RouteLocator chaosRouteLocator(RouteLocatorBuilder routes, WasmPluginGatewayFilterFactory wasm,
			@Value("${demo.echo.port}") int echoPort, @Value("${chaos.blackhole-port}") int blackholePort) {
		String echo = "http://127.0.0.1:" + echoPort;
		RouteLocatorBuilder.Builder builder = routes.routes();
		String[][] pluginRoutes = { { "storm", "chaos-storm" }, { "wait", "chaos-exerciser" },
				{ "closed", "chaos-exerciser" }, { "open", "chaos-open" }, { "reload", "chaos-reload" },
				{ "loop", "chaos-loop" }, { "hog", "chaos-hog" }, { "plain", "chaos-headers" } };
		for (String[] pluginRoute : pluginRoutes) {
			String id = "chaos-" + pluginRoute[0];
			builder.route(id, (route) -> route.path("/chaos/" + pluginRoute[0] + "/**")
				.filters((filters) -> filters.filter(wasm.apply((config) -> {
					config.setPlugin(pluginRoute[1]);
					config.setRouteId(id);
				})))
				.uri(echo));
		}
		return builder
			.route("chaos-blackhole",
					(route) -> route.path("/chaos/blackhole/**").uri("http://127.0.0.1:" + blackholePort))
			.build();
	}

}
