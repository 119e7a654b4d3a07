package io.github.wasmgateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.autoconfigure.WasmGatewayAutoConfiguration;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.GrpcClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/**
 * When gRPC callouts are configured, and the start-up failures of a wrong TLS setting.
 */
class WasmGatewayGrpcAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WasmGatewayGrpcAutoConfiguration.class,
				WasmGatewayAutoConfiguration.class))
		.withPropertyValues("wasm-gateway.compile-cache=");

	@Test
	void runWhenGrpcJavaIsPresentShouldGivePluginsGrpcCallouts() {
		this.runner.withPropertyValues("wasm-gateway.clusters.echo.url=http://127.0.0.1:50051").run((context) -> {
			assertThat(context).hasSingleBean(GrpcCallouts.class);
			assertThat(context.getBean(WasmEngine.class).services().grpc()).isSameAs(context.getBean(GrpcClient.class));
		});
	}

	@Test
	void runWhenGrpcJavaIsMissingShouldLeavePluginsWithoutGrpc() {
		this.runner.withClassLoader(new FilteredClassLoader("io.grpc")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(WasmEngine.class).doesNotHaveBean(GrpcClient.class);
			assertThat(context.getBean(WasmEngine.class).services().grpc()).isNotInstanceOf(GrpcCallouts.class);
		});
	}

	@Test
	void runWhenTheApplicationHasItsOwnGrpcClientShouldUseIt() {
		GrpcClient own = GrpcClient.none();
		this.runner.withBean(GrpcClient.class, () -> own).run((context) -> {
			assertThat(context).doesNotHaveBean(GrpcCallouts.class);
			assertThat(context.getBean(WasmEngine.class).services().grpc()).isSameAs(own);
		});
	}

	@Test
	void runWhenAClusterNamesAnSslBundleThatDoesNotExistShouldFailToStart() {
		this.runner
			.withPropertyValues("wasm-gateway.clusters.secure.url=https://127.0.0.1:50051",
					"wasm-gateway.clusters.secure.ssl-bundle=missing")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("missing"));
	}

	@Test
	void runWhenAClusterNamesAnSslBundleShouldStart() {
		this.runner
			.withPropertyValues("wasm-gateway.clusters.secure.url=https://127.0.0.1:50051",
					"wasm-gateway.clusters.secure.ssl-bundle=test",
					"spring.ssl.bundle.pem.test.truststore.certificate=classpath:grpc/server.crt")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(GrpcCallouts.class));
	}

}
