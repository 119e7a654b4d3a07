package io.github.wasmgateway.redis;

import io.github.wasmgateway.autoconfigure.WasmGatewayAutoConfiguration;
import io.github.wasmgateway.engine.host.RedisClient;
import io.github.wasmgateway.engine.host.SharedDataStore;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis for plugins, when Spring Data Redis and Lettuce are on the class path: Higress's
 * {@code proxy_redis_init}/{@code proxy_redis_call} on Lettuce
 * ({@code wasm-gateway.redis.*}, else the application's spring.data.redis.* connection:
 * one server, Sentinel or Redis Cluster), and, with
 * {@code wasm-gateway.shared-data.store=redis}, shared data kept in Redis so that every
 * gateway instance sees it. Health ({@code wasmRedis}) shows each deployment's state.
 */
@AutoConfiguration(before = WasmGatewayAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(
		name = { "io.lettuce.core.RedisClient", "org.springframework.data.redis.connection.RedisConnectionFactory",
				"org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer",
				"org.springframework.cloud.gateway.filter.GatewayFilter" })
@ConditionalOnProperty(prefix = "wasm-gateway", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ WasmGatewayRedisProperties.class, WasmGatewaySharedDataProperties.class })
public final class WasmGatewayRedisAutoConfiguration {

	/** The application's own Redis, as Spring Boot's Redis auto-configuration sees it. */
	@Bean
	@ConditionalOnMissingBean(ApplicationRedis.class)
	ApplicationRedis wasmApplicationRedis(ObjectProvider<DataRedisConnectionDetails> details,
			ObjectProvider<DataRedisProperties> properties, WasmGatewayRedisProperties redis) {
		DataRedisConnectionDetails connection = details.getIfAvailable();
		if (connection == null) {
			return (database, username, password) -> null;
		}
		return new DataRedisApplicationRedis(connection, properties.getIfAvailable(), redis.getClusterRefreshPeriod());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisEndpoints wasmRedisEndpoints(WasmGatewayRedisProperties properties,
			ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		return new RedisEndpoints(properties.getReconnectDelay(), customizers
			.orderedStream().<Consumer<ClientResources.Builder>>map((customizer) -> customizer::customize).toList());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisClusterResolver wasmRedisClusterResolver(WasmGatewayRedisProperties properties,
			ObjectProvider<ApplicationRedis> application) {
		return new RedisClusterResolver(properties, application.getIfAvailable(() -> (database, user, pass) -> null));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(RedisClient.class)
	WasmRedisClient wasmRedisClient(RedisClusterResolver resolver, RedisEndpoints endpoints) {
		return new WasmRedisClient(resolver, endpoints);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(prefix = "wasm-gateway.shared-data", name = "store", havingValue = "redis")
	@ConditionalOnMissingBean(SharedDataStore.class)
	RedisSharedDataStore wasmRedisSharedData(WasmGatewaySharedDataProperties properties, RedisClusterResolver resolver,
			RedisEndpoints endpoints) {
		WasmGatewaySharedDataProperties.Redis redis = properties.getRedis();
		RedisTarget target;
		try {
			target = resolver.resolve(redis.getCluster(), "", "");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("wasm-gateway.shared-data.redis.cluster: " + ex.getMessage(), ex);
		}
		if (target == null) {
			throw new IllegalStateException("wasm-gateway.shared-data.store is redis but "
					+ (redis.getCluster().isEmpty() ? "the application has no Redis connection"
							: "the cluster '" + redis.getCluster() + "' is unknown")
					+ ": set wasm-gateway.shared-data.redis.cluster to a name under wasm-gateway.redis.clusters,"
					+ " or configure spring.data.redis.*");
		}
		return RedisSharedDataStore.open(target, endpoints, redis);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "wasmRedisHealthIndicator")
		WasmRedisHealthIndicator wasmRedisHealthIndicator(RedisEndpoints endpoints,
				ObjectProvider<RedisSharedDataStore> sharedData) {
			return new WasmRedisHealthIndicator(endpoints, sharedData.getIfAvailable());
		}

	}

	/**
	 * Meters of Redis-backed shared data: reads answered from the local copy, and the
	 * calls that waited for Redis (count and total time).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnProperty(prefix = "wasm-gateway.shared-data", name = "store", havingValue = "redis")
		MeterBinder wasmRedisSharedDataMeters(ObjectProvider<RedisSharedDataStore> sharedData) {
			return (registry) -> sharedData.ifAvailable((store) -> {
				RedisSharedDataStore.Statistics statistics = store.statistics();
				FunctionCounter
					.builder("wasm.shared.data.local.reads", statistics, RedisSharedDataStore.Statistics::localReads)
					.description("Shared-data reads answered from the gateway's local copy, without waiting")
					.register(registry);
				Map.of("read", statistics.reads(), "write", statistics.writes())
					.forEach((operation, waits) -> FunctionTimer
						.builder("wasm.shared.data.redis.waits", waits, RedisSharedDataStore.Waits::count,
								RedisSharedDataStore.Waits::totalNanos, TimeUnit.NANOSECONDS)
						.tag("operation", operation)
						.description("Shared-data calls that waited for Redis")
						.register(registry));
				FunctionCounter
					.builder("wasm.shared.data.redis.failures", statistics, RedisSharedDataStore.Statistics::failures)
					.description("Shared-data calls that failed or timed out (the plugin saw no value or a mismatch)")
					.register(registry);
			});
		}

	}

}
