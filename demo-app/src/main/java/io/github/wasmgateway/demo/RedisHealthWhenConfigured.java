package io.github.wasmgateway.demo;

import java.util.Map;
import java.util.stream.StreamSupport;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Counts Redis in {@code /actuator/health} only where the demo has a Redis configured:
 * the profile "redis" (application-redis.yml sets {@code spring.data.redis.url}) or any
 * other {@code spring.data.redis.*} setting. The demo bundles the Redis starter for that
 * profile, and Spring Boot's Redis health would otherwise make the gateway DOWN on every
 * machine without a Redis on localhost:6379. An explicit
 * {@code management.health.redis.enabled} wins: this is only its default.
 */
class RedisHealthWhenConfigured implements EnvironmentPostProcessor {

	private static final ConfigurationPropertyName REDIS = ConfigurationPropertyName.of("spring.data.redis");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean configured = StreamSupport.stream(ConfigurationPropertySources.get(environment).spliterator(), false)
			.anyMatch((source) -> source.containsDescendantOf(REDIS) == ConfigurationPropertyState.PRESENT);
		environment.getPropertySources()
			.addLast(new MapPropertySource("demoRedisHealth", Map.of("management.health.redis.enabled", configured)));
	}

}
