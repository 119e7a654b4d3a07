package io.github.wasmgateway.redis;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start when shared data is asked to live in Redis but Spring Data Redis with
 * Lettuce is not on the class path, rather than quietly keeping it in memory.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "wasm-gateway.shared-data", name = "store", havingValue = "redis")
@Conditional(RedisUnavailableAutoConfiguration.LettuceMissing.class)
public final class RedisUnavailableAutoConfiguration {

	@Bean
	Object wasmRedisSharedDataUnavailable() {
		throw new IllegalStateException("wasm-gateway.shared-data.store is redis, but Spring Data Redis with Lettuce"
				+ " is not on the class path: add org.springframework.boot:spring-boot-starter-data-redis-reactive");
	}

	/** Lettuce or Spring Data Redis is missing. */
	static class LettuceMissing extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ClassLoader loader = context.getClassLoader();
			boolean present = ClassUtils.isPresent("io.lettuce.core.RedisClient", loader)
					&& ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", loader);
			return present ? ConditionOutcome.noMatch("Lettuce and Spring Data Redis are present")
					: ConditionOutcome.match("Lettuce or Spring Data Redis is missing");
		}

	}

}
