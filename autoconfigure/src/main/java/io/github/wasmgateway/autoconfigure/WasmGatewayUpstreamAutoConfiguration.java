package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.gateway.EventLoopConnectionPools;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.context.annotation.Bean;
import reactor.netty.resources.ConnectionProvider;

/**
 * The gateway's HTTP client with its upstream connections pooled per event loop
 * ({@link EventLoopConnectionPools}), so that an upstream's answer reaches a plugin's VM
 * without a hop between threads. Everything else about the client (timeouts, SSL, proxy,
 * customizers, pool settings per pool) is Spring Cloud Gateway's.
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnClass({ HttpClientFactory.class, ConnectionProvider.class })
@ConditionalOnProperty(prefix = "wasm-gateway", name = "upstream-pool-per-event-loop", matchIfMissing = true)
public final class WasmGatewayUpstreamAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpClientFactory gatewayHttpClientFactory(HttpClientProperties properties, ServerProperties serverProperties,
			List<HttpClientCustomizer> customizers, HttpClientSslConfigurer sslConfigurer) {
		return new HttpClientFactory(properties, serverProperties, sslConfigurer, customizers) {
			@Override
			protected ConnectionProvider buildConnectionProvider(HttpClientProperties pool) {
				return new EventLoopConnectionPools(() -> super.buildConnectionProvider(pool));
			}
		};
	}

}
