package io.github.wasmgateway.redis;

import io.github.wasmgateway.autoconfigure.WasmGatewayAutoConfiguration;
import io.github.wasmgateway.engine.host.RedisClient;
import io.github.wasmgateway.engine.host.SharedDataStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis for plugins, when Spring Data Redis and Lettuce are on the class path: Higress's
 * {@code proxy_redis_init}/{@code proxy_redis_call} ({@code wasm-gateway.redis.*}, else
 * the application's spring.data.redis.* connection), and, with
 * {@code wasm-gateway.shared-data.store=redis}, shared data kept in Redis so that every
 * gateway instance sees it. Commands and replies travel as raw RESP on connections of the
 * gateway's own (docs/redis.md says why).
 */
@AutoConfiguration(before = WasmGatewayAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(
		name = { "io.lettuce.core.RedisClient", "org.springframework.data.redis.connection.RedisConnectionFactory",
				"org.springframework.cloud.gateway.filter.GatewayFilter" })
@ConditionalOnProperty(prefix = "wasm-gateway", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ WasmGatewayRedisProperties.class, WasmGatewaySharedDataProperties.class })
public final class WasmGatewayRedisAutoConfiguration {

	/** The application's own Redis, as Spring Boot's Redis auto-configuration sees it. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
	static class ApplicationRedisConfiguration {

		@Bean
		@ConditionalOnMissingBean(ApplicationRedis.class)
		ApplicationRedis wasmApplicationRedis(ObjectProvider<DataRedisConnectionDetails> details,
				ObjectProvider<DataRedisProperties> properties) {
			DataRedisConnectionDetails connection = details.getIfAvailable();
			if (connection == null) {
				return (database, username, password) -> null;
			}
			return new DataRedisApplicationRedis(connection, properties.getIfAvailable());
		}

	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisConnections wasmRedisConnections(WasmGatewayRedisProperties properties) {
		return new RedisConnections(properties.getReconnectDelay());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisClusterResolver wasmRedisClusterResolver(WasmGatewayRedisProperties properties,
			ObjectProvider<ApplicationRedis> application) {
		return new RedisClusterResolver(properties, application.getIfAvailable(() -> (database, user, pass) -> null));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(RedisClient.class)
	WasmRedisClient wasmRedisClient(RedisClusterResolver resolver, RedisConnections connections) {
		return new WasmRedisClient(resolver, connections);
	}

	@Bean
	@ConditionalOnProperty(prefix = "wasm-gateway.shared-data", name = "store", havingValue = "redis")
	@ConditionalOnMissingBean(SharedDataStore.class)
	RedisSharedDataStore wasmRedisSharedData(WasmGatewaySharedDataProperties properties, RedisClusterResolver resolver,
			RedisConnections connections) {
		WasmGatewaySharedDataProperties.Redis redis = properties.getRedis();
		RedisTarget target = resolver.resolve(redis.getCluster(), "", "");
		if (target == null) {
			throw new IllegalStateException("wasm-gateway.shared-data.store is redis but "
					+ (redis.getCluster().isEmpty() ? "the application has no Redis connection"
							: "the cluster '" + redis.getCluster() + "' is unknown")
					+ ": set wasm-gateway.shared-data.redis.cluster to a name under wasm-gateway.redis.clusters,"
					+ " or configure spring.data.redis.*");
		}
		RedisConnections.Connection connection = connections.connection(target);
		connection.get();
		return new RedisSharedDataStore(connection, redis.getKeyPrefix(), redis.getTimeout(),
				redis.getExpireAfterWrite());
	}

}
