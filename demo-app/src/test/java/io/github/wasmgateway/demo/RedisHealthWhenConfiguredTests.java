package io.github.wasmgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Whether Redis counts in the demo's health, read from the environment the demo's own
 * application.yml and profiles make (no beans are started).
 */
class RedisHealthWhenConfiguredTests {

	@Test
	void runWithTheDefaultProfileShouldLeaveRedisOutOfHealth() {
		assertThat(redisHealth()).isFalse();
	}

	@Test
	void runWithTheRedisProfileShouldCountTheRedisThePluginUses() {
		Environment environment = environment("--spring.profiles.active=redis");
		assertThat(environment.getProperty("management.health.redis.enabled", Boolean.class)).isTrue();
		assertThat(environment.getProperty("spring.data.redis.url"))
			.isEqualTo(environment.getProperty("wasm-gateway.redis.clusters.redis.url"));
	}

	@Test
	void runWithSpringDataRedisSetShouldCountRedis() {
		assertThat(redisHealth("--spring.data.redis.host=redis.internal")).isTrue();
	}

	@Test
	void runWithRedisHealthSwitchedOffShouldLeaveRedisOut() {
		assertThat(redisHealth("--spring.profiles.active=redis", "--management.health.redis.enabled=false")).isFalse();
	}

	private static boolean redisHealth(String... arguments) {
		return environment(arguments).getProperty("management.health.redis.enabled", Boolean.class);
	}

	private static Environment environment(String... arguments) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoBeans.class)
			.web(WebApplicationType.NONE)
			.run(arguments)) {
			return context.getEnvironment();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class NoBeans {

	}

}
