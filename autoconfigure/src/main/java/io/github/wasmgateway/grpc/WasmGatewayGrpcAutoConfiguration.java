package io.github.wasmgateway.grpc;

import io.github.wasmgateway.autoconfigure.WasmGatewayAutoConfiguration;
import io.github.wasmgateway.autoconfigure.WasmGatewayProperties;
import io.github.wasmgateway.engine.host.GrpcClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * gRPC callouts for plugins ({@code proxy_grpc_call}, {@code proxy_grpc_stream}) on
 * grpc-java, to the clusters under {@code wasm-gateway.clusters}, when grpc-netty and
 * protobuf-java are on the class path (the starter brings them). docs/grpc.md says how.
 */
@AutoConfiguration(before = WasmGatewayAutoConfiguration.class)
@ConditionalOnClass(name = { "io.grpc.netty.NettyChannelBuilder", "com.google.protobuf.CodedInputStream",
		"org.springframework.cloud.gateway.filter.GatewayFilter" })
@ConditionalOnProperty(prefix = "wasm-gateway", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(WasmGatewayProperties.class)
public final class WasmGatewayGrpcAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(GrpcClient.class)
	GrpcCallouts wasmGrpcCallouts(WasmGatewayProperties properties, ObjectProvider<SslBundles> sslBundles) {
		Map<String, GrpcChannels.Cluster> clusters = new LinkedHashMap<>();
		properties.getClusters().forEach((name, cluster) -> clusters.put(name, cluster(name, cluster, sslBundles)));
		return new GrpcCallouts(new GrpcChannels(clusters));
	}

	/** A cluster's SSL bundle is looked up now, so a missing one stops the start. */
	private static GrpcChannels.Cluster cluster(String name, WasmGatewayProperties.Cluster cluster,
			ObjectProvider<SslBundles> sslBundles) {
		String bundleName = cluster.getSslBundle();
		if (bundleName == null || bundleName.isEmpty()) {
			return new GrpcChannels.Cluster(name, cluster.getUrl(), cluster.getTimeout(), null, null);
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new IllegalStateException("wasm-gateway.clusters." + name + ".ssl-bundle is " + bundleName
					+ ", but the application has no SSL bundles; declare it under spring.ssl.bundle");
		}
		SslBundle bundle = bundles.getBundle(bundleName);
		boolean hasKey = bundle.getStores().getKeyStore() != null;
		return new GrpcChannels.Cluster(name, cluster.getUrl(), cluster.getTimeout(),
				bundle.getManagers().getTrustManagers(), hasKey ? bundle.getManagers().getKeyManagers() : null);
	}

}
