package io.github.wasmgateway.redis;

import static io.github.wasmgateway.redis.RedisTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.autoconfigure.WasmGatewayAutoConfiguration;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.RedisClient;
import io.github.wasmgateway.engine.host.SharedDataStore;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
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
	void runWhenSharedDataIsInRedisShouldUseTheRedisStoreAndMeasureItsWaits() {
		this.runner
			.withPropertyValues("wasm-gateway.shared-data.store=redis", "wasm-gateway.shared-data.redis.timeout=5s",
					"spring.data.redis.port=" + redis.port())
			.run((context) -> {
				SharedDataStore store = context.getBean(SharedDataStore.class);
				assertThat(store).isInstanceOf(RedisSharedDataStore.class);
				assertThat(store.set("auto-config", new byte[] { 1 }, 0)).isTrue();
				assertThat(redis.command("HGET", "wasm-gateway:shared-data:auto-config", "c")).isEqualTo("$1");
				assertThat(store.get("auto-config").value()).containsExactly(1);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(MeterBinder.class).bindTo(registry);
				assertThat(
						registry.get("wasm.shared.data.redis.waits").tag("operation", "write").functionTimer().count())
					.isEqualTo(1);
				assertThat(registry.get("wasm.shared.data.local.reads").functionCounter().count()).isEqualTo(1);
				assertThat(context.getBean(WasmRedisHealthIndicator.class).health().getDetails())
					.containsKey("shared-data");
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
	void runWhenAClusterNamesNoServerShouldFail() {
		this.runner.withPropertyValues("wasm-gateway.redis.clusters.cache.timeout=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("wasm-gateway.redis.clusters.cache: set exactly one of url"));
	}

	@Test
	void runWhenAClusterNamesBothAServerAndARedisClusterShouldFail() {
		this.runner
			.withPropertyValues("wasm-gateway.redis.clusters.cache.url=" + redis.url(),
					"wasm-gateway.redis.clusters.cache.cluster.nodes=127.0.0.1:7000")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("set exactly one of url"));
	}

	@Test
	void runWhenASentinelHasNoMasterShouldFail() {
		this.runner.withPropertyValues("wasm-gateway.redis.clusters.cache.sentinel.nodes=127.0.0.1:26379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("a Sentinel deployment needs sentinel.master"));
	}

	@Test
	void runWhenAClusterUrlIsAUnixSocketShouldFail() {
		this.runner.withPropertyValues("wasm-gateway.redis.clusters.cache.url=redis-socket:///tmp/redis.sock")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("not a Unix socket"));
	}

	@Test
	void runWhenClustersNameServersSentinelsAndRedisClustersShouldResolveEach() {
		this.runner
			.withPropertyValues("wasm-gateway.redis.application-fallback=false",
					"wasm-gateway.redis.clusters.server.url=" + redis.url(),
					"wasm-gateway.redis.clusters.watched.url=redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/2#main",
					"wasm-gateway.redis.clusters.sentinels.sentinel.master=main",
					"wasm-gateway.redis.clusters.sentinels.sentinel.nodes=127.0.0.1:26379",
					"wasm-gateway.redis.clusters.shards.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001")
			.run((context) -> {
				RedisClusterResolver resolver = context.getBean(RedisClusterResolver.class);
				assertThat(resolver.resolve("server", "", "")).hasToString(redis.url() + "/0");
				assertThat(resolver.resolve("outbound|26379||watched.default.svc", "", ""))
					.hasToString("redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/2#main");
				assertThat(resolver.resolve("sentinels?db=3", "", ""))
					.hasToString("redis-sentinel://127.0.0.1:26379/3#main");
				assertThat(resolver.resolve("shards", "", ""))
					.hasToString("redis-cluster://127.0.0.1:7000,127.0.0.1:7001");
				assertThat(context.getBean(RedisClient.class).init("p", "shards?db=1", "", "", Duration.ofSeconds(1)))
					.isFalse();
			});
	}

	@Test
	void runWhenANameMatchesNoClusterShouldUseTheApplicationsRedis() {
		this.runner.withPropertyValues("spring.data.redis.port=" + redis.port(), "spring.data.redis.database=4")
			.run((context) -> {
				RedisClient client = context.getBean(RedisClient.class);
				assertThat(client.init("p", "outbound|6379||anything.svc", "", "", Duration.ofSeconds(5))).isTrue();
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
	void runWhenTheApplicationsRedisIsAClusterOrSentinelShouldServeNamesWithIt() {
		this.runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001")
			.run((context) -> {
				RedisClusterResolver resolver = context.getBean(RedisClusterResolver.class);
				assertThat(resolver.resolve("anything", "", ""))
					.hasToString("redis-cluster://127.0.0.1:7000,127.0.0.1:7001");
				assertThat(context.getBean(RedisClient.class).init("p", "anything?db=1", "", "", Duration.ofSeconds(1)))
					.isFalse();
			});
		this.runner
			.withPropertyValues("spring.data.redis.sentinel.master=main",
					"spring.data.redis.sentinel.nodes=127.0.0.1:26379", "spring.data.redis.database=5")
			.run((context) -> assertThat(context.getBean(RedisClusterResolver.class).resolve("anything", "", ""))
				.hasToString("redis-sentinel://127.0.0.1:26379/5#main"));
	}

	@Test
	void runWhenTheApplicationsRedisUrlIsTlsShouldConnectWithTls() {
		this.runner.withPropertyValues("spring.data.redis.url=rediss://user:secret@127.0.0.1:6380/3")
			.run((context) -> assertThat(context.getBean(RedisClusterResolver.class).resolve("anything", "", ""))
				.hasToString("rediss://127.0.0.1:6380/3"));
	}

	@Test
	void runWhenActuatorIsPresentShouldShowEachRedisPluginsUse() {
		this.runner
			.withPropertyValues("wasm-gateway.redis.clusters.up.url=" + redis.url(),
					"wasm-gateway.redis.clusters.away.url=redis://127.0.0.1:" + RedisServer.freePort())
			.run((context) -> {
				WasmRedisHealthIndicator health = context.getBean(WasmRedisHealthIndicator.class);
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				RedisClient client = context.getBean(RedisClient.class);
				assertThat(client.init("p", "up", "", "", Duration.ofSeconds(5))).isTrue();
				assertThat(call(client, "p", "up", "PING").text()).isEqualTo("+PONG\r\n");
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				assertThat(client.init("p", "away", "", "", Duration.ofSeconds(1))).isTrue();
				assertThat(call(client, "p", "away", "PING").status()).isEqualTo(RedisFailures.NETWORK);
				Health down = health.health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails()).containsKey(redis.url() + "/0");
				@SuppressWarnings("unchecked")
				Map<String, Object> away = (Map<String, Object>) down.getDetails()
					.entrySet()
					.stream()
					.filter((entry) -> !entry.getKey().equals(redis.url() + "/0"))
					.findFirst()
					.orElseThrow()
					.getValue();
				assertThat(away).containsEntry("status", "DOWN").containsEntry("connection", "cannot connect");
				assertThat((String) away.get("failing")).contains("Connection refused");
			});
	}

}
