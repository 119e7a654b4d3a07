package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway refuses to start on a broken plugin setup, and tells the user
 * which plugin, which route, why, and what to do.
 */
class StartupErrorsIT {

	@Test
	void missingBinary() throws Exception {
		DemoGateway.Failed failed = DemoGateway
			.failToStart("--wasm-gateway.plugins.trapper.location=file:/nowhere/trapper.wasm");
		assertThat(failed.exitCode()).isNotZero();
		assertThat(failed.output()).contains("APPLICATION FAILED TO START")
			.contains("The wasm plugin 'trapper' could not be started")
			.contains("cannot read file:/nowhere/trapper.wasm")
			.contains("wasm-gateway.plugins.trapper.location");
	}

	@Test
	void routeNamingAnUnknownPlugin(@TempDir Path directory) throws Exception {
		Path routes = directory.resolve("routes.yml");
		Files.writeString(routes, """
				spring.cloud.gateway.server.webflux.routes:
				  - id: orders
				    uri: http://127.0.0.1:9
				    predicates: [ "Path=/orders/**" ]
				    filters: [ "WasmPlugin=no-such-plugin" ]
				""");
		DemoGateway.Failed failed = DemoGateway.failToStart("--spring.config.additional-location=file:" + routes);
		assertThat(failed.exitCode()).isNotZero();
		assertThat(failed.output()).contains("The wasm plugin 'no-such-plugin' used by route 'orders'")
			.contains("no plugin of that name is configured");
	}

	@Test
	void sha256Mismatch() throws Exception {
		DemoGateway.Failed failed = DemoGateway
			.failToStart("--wasm-gateway.plugins.as-plugin.sha256=" + "ab".repeat(32));
		assertThat(failed.output()).contains("The wasm plugin 'as-plugin' could not be started").contains("was pinned");
	}

	@Test
	void configurationThePluginRejects() throws Exception {
		DemoGateway.Failed failed = DemoGateway.failToStart("--wasm-gateway.plugins.exerciser.configuration=reject");
		assertThat(failed.output()).contains("The wasm plugin 'exerciser'")
			.contains("rejected its configuration (proxy_on_configure returned false)");
	}

}
