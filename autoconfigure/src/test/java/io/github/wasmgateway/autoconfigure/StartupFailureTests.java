package io.github.wasmgateway.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.gateway.GatewayTestApplication;
import io.github.wasmgateway.gateway.WasmPluginException;
import io.github.wasmgateway.gateway.WasmPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A gateway whose plugins or routes cannot work does not start, and says which plugin,
 * which route, why, and what to do.
 */
class StartupFailureTests {

	@TempDir
	Path directory;

	FailureAnalysis startWith(String... properties) {
		return startWith(new Class<?>[0], properties);
	}

	FailureAnalysis startWith(Class<?>[] sources, String... properties) {
		Throwable[] failure = new Throwable[1];
		assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayTestApplication.class).sources(sources)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "wasm-gateway.compile-cache=")
			.properties(properties)
			.run()
			.close()).satisfies((ex) -> failure[0] = ex);
		Throwable cause = failure[0];
		while (cause != null && !(cause instanceof WasmPluginException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a WasmPluginException in %s", failure[0]).isNotNull();
		FailureAnalysis analysis = new WasmPluginFailureAnalyzer().analyze(failure[0]);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	static String route(String plugin) {
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		return route + ".id=api," + route + ".uri=http://127.0.0.1:9," + route + ".predicates[0]=Path=/api/**," + route
				+ ".filters[0]=WasmPlugin=" + plugin;
	}

	@Test
	void runWhenARouteNamesAnUnknownPluginShouldNameThePluginAndTheRoute() {
		FailureAnalysis analysis = startWith(route("nope").split(","));
		assertThat(analysis.getDescription()).contains("'nope'")
			.contains("route 'api'")
			.contains("no plugin of that name is configured");
		assertThat(analysis.getAction()).contains("wasm-gateway.plugins.nope");
	}

	@Test
	void runWhenADefaultFilterNamesAnUnknownPluginShouldSaySo() {
		String filter = "spring.cloud.gateway.server.webflux.default-filters[0]";
		FailureAnalysis analysis = startWith(filter + ".name=WasmPlugin", filter + ".args.plugin=nope");
		assertThat(analysis.getDescription()).contains("'nope'")
			.contains("route 'default-filters'")
			.contains("no plugin of that name is configured");
	}

	@Test
	void runWhenADefaultFiltersConfigurationIsRejectedShouldNameThePlugin() {
		String filter = "spring.cloud.gateway.server.webflux.default-filters[0]";
		FailureAnalysis analysis = startWith("wasm-gateway.plugins.ex.location=classpath:fixtures/exerciser.wasm",
				filter + ".name=WasmPlugin", filter + ".args.plugin=ex", filter + ".args.configuration=reject");
		assertThat(analysis.getDescription()).contains("'ex'")
			.contains("route 'default-filters'")
			.contains("proxy_on_configure returned false");
	}

	@Test
	void runWhenAJavaDslRouteNamesAnUnknownPluginShouldSaySo() {
		FailureAnalysis analysis = startWith(new Class<?>[] { DslRouteWithUnknownPlugin.class });
		assertThat(analysis.getDescription()).contains("'nope'").contains("no plugin of that name is configured");
		assertThat(analysis.getAction()).contains("wasm-gateway.plugins.nope");
	}

	/** A Java DSL route naming a plugin nobody declared. */
	@Configuration(proxyBeanMethods = false)
	static class DslRouteWithUnknownPlugin {

		@Bean
		RouteLocator unknownPluginRoute(RouteLocatorBuilder routes, WasmPlugins wasmPlugins) {
			return routes.routes()
				.route("dsl",
						(route) -> route.path("/dsl/**")
							.filters((f) -> f.filter(wasmPlugins.filter("nope")))
							.uri("http://127.0.0.1:9"))
				.build();
		}

	}

	@Test
	void runWhenTheBinaryIsMissingShouldSaySo() {
		FailureAnalysis analysis = startWith(
				"wasm-gateway.plugins.auth.location=file:" + this.directory + "/missing.wasm");
		assertThat(analysis.getDescription()).contains("'auth'").contains("cannot read file:").contains("missing.wasm");
		assertThat(analysis.getAction()).contains("wasm-gateway.plugins.auth.location");
	}

	@Test
	void runWhenTheBinaryIsCorruptShouldSaySo() throws Exception {
		Path corrupt = this.directory.resolve("corrupt.wasm");
		Files.write(corrupt, "not wasm at all".getBytes());
		FailureAnalysis analysis = startWith("wasm-gateway.plugins.auth.location=file:" + corrupt);
		assertThat(analysis.getDescription()).contains("'auth'").contains("is not a WebAssembly binary");
	}

	@Test
	void runWhenTheSha256DoesNotMatchShouldRefuseThePlugin() {
		FailureAnalysis analysis = startWith("wasm-gateway.plugins.auth.location=classpath:fixtures/as-plugin.wasm",
				"wasm-gateway.plugins.auth.sha256=0000000000000000000000000000000000000000000000000000000000000000");
		assertThat(analysis.getDescription()).contains("'auth'").contains("was pinned");
	}

	@Test
	void runWhenThePluginRejectsItsConfigurationShouldNameThePlugin() {
		FailureAnalysis analysis = startWith("wasm-gateway.plugins.ex.location=classpath:fixtures/exerciser.wasm",
				"wasm-gateway.plugins.ex.configuration=reject");
		assertThat(analysis.getDescription()).contains("'ex'").contains("proxy_on_configure returned false");
		assertThat(analysis.getAction()).contains("wasm-gateway.plugins.ex.configuration");
	}

	@Test
	void runWhenThePluginRejectsARoutesConfigurationShouldNameTheRoute() {
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		FailureAnalysis analysis = startWith("wasm-gateway.plugins.ex.location=classpath:fixtures/exerciser.wasm",
				route + ".id=strict", route + ".uri=http://127.0.0.1:9", route + ".predicates[0]=Path=/x/**",
				route + ".filters[0].name=WasmPlugin", route + ".filters[0].args.plugin=ex",
				route + ".filters[0].args.configuration=reject");
		assertThat(analysis.getDescription()).contains("'ex'")
			.contains("route 'strict'")
			.contains("proxy_on_configure returned false");
		assertThat(analysis.getAction()).contains("route 'strict'");
	}

}
