package io.github.wasmgateway.redis;

import static io.github.wasmgateway.redis.RedisTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.autoconfigure.WasmGatewayAutoConfiguration;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.RedisClient;
import io.github.wasmgateway.engine.host.SharedDataStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/**
 * When the Redis auto-configuration applies, which Redis a cluster name reaches, and the
 * start-up failures of a wrong Redis configuration.
 */
class WasmGatewayRedisAutoConfigurationTests {

	static RedisServer redis;

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WasmGatewayRedisAutoConfiguration.class,
						RedisUnavailableAutoConfiguration.class, WasmGatewayAutoConfiguration.class))
		.withPropertyValues("wasm-gateway.compile-cache=");

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.launch();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void runWhenSpringDataRedisIsPresentShouldProvideRedisCallsAndKeepSharedDataInMemory() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(WasmEngine.class);
			assertThat(context.getBean(RedisClient.class)).isInstanceOf(WasmRedisClient.class);
			assertThat(context).doesNotHaveBean(SharedDataStore.class);
		});
	}

	@Test
	void runWhenLettuceIsMissingShouldNotProvideRedis() {
		this.runner.withClassLoader(new FilteredClassLoader("io.lettuce")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(WasmEngine.class);
			assertThat(context).doesNotHaveBean(RedisClient.class).doesNotHaveBean(SharedDataStore.class);
		});
	}

	@Test
	void runWhenSharedDataIsInRedisButLettuceIsMissingShouldFail() {
		this.runner.withClassLoader(new FilteredClassLoader("io.lettuce"))
			.withPropertyValues("wasm-gateway.shared-data.store=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("wasm-gateway.shared-data.store is redis")
				.hasMessageContaining("spring-boot-starter-data-redis-reactive"));
	}

	@Test
	void runWhenSharedDataIsInRedisShouldUseTheRedisStore() {
		this.runner.withPropertyValues("wasm-gateway.shared-data.store=redis", "spring.data.redis.port=" + redis.port())
			.run((context) -> {
				SharedDataStore store = context.getBean(SharedDataStore.class);
				assertThat(store).isInstanceOf(RedisSharedDataStore.class);
				assertThat(store.set("auto-config", new byte[] { 1 }, 0)).isTrue();
				assertThat(redis.command("HGET", "wasm-gateway:shared-data:auto-config", "c")).isEqualTo("$1");
			});
	}

	@Test
	void runWhenSharedDataNamesAnUnknownClusterShouldFail() {
		this.runner
			.withPropertyValues("wasm-gateway.shared-data.store=redis", "wasm-gateway.redis.application-fallback=false",
					"wasm-gateway.shared-data.redis.cluster=nowhere")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("the cluster 'nowhere' is unknown"));
	}

	@Test
	void runWhenAClusterHasNoUrlShouldFail() {
		this.runner.withPropertyValues("wasm-gateway.redis.clusters.cache.timeout=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("wasm-gateway.redis.clusters.cache.url is not set"));
	}

	@Test
	void runWhenAClusterUrlIsSentinelShouldFail() {
		this.runner.withPropertyValues("wasm-gateway.redis.clusters.cache.url=redis-sentinel://127.0.0.1:26379#main")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("only redis:// and rediss:// URLs of one server"));
	}

	@Test
	void runWhenANameMatchesNoClusterShouldUseTheApplicationsRedis() {
		this.runner.withPropertyValues("spring.data.redis.port=" + redis.port(), "spring.data.redis.database=4")
			.run((context) -> {
				RedisClient client = context.getBean(RedisClient.class);
				assertThat(client.init("p", "outbound|6379||anything.svc", "", "", Duration.ofSeconds(1))).isTrue();
				assertThat(call(client, "p", "outbound|6379||anything.svc", "CLIENT", "INFO").text())
					.contains(" db=4 ");
			});
	}

	@Test
	void runWhenApplicationFallbackIsOffShouldRefuseUnknownNames() {
		this.runner.withPropertyValues("spring.data.redis.port=" + redis.port(),
				"wasm-gateway.redis.application-fallback=false", "wasm-gateway.redis.clusters.cache.url=" + redis.url())
			.run((context) -> {
				RedisClient client = context.getBean(RedisClient.class);
				assertThat(client.init("p", "anything", "", "", Duration.ofSeconds(1))).isFalse();
				assertThat(client.init("p", "outbound|6379||cache.default.svc.cluster.local", "", "",
						Duration.ofSeconds(1)))
					.isTrue();
			});
	}

	@Test
	void runWhenTheApplicationsRedisIsAClusterShouldRefuseNamesItWouldServe() {
		this.runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:" + redis.port())
			.run((context) -> assertThat(
					context.getBean(RedisClient.class).init("p", "anything", "", "", Duration.ofSeconds(1)))
				.isFalse());
	}

}
