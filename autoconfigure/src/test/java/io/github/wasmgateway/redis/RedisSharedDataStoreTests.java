package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.InMemorySharedData;
import io.github.wasmgateway.engine.host.SharedDataStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared data in a real Redis: the same semantics as the in-memory store (CAS tokens,
 * conditional writes), seen by two independent clients as by two gateway instances, and
 * what a call costs.
 */
class RedisSharedDataStoreTests {

	static RedisServer redis;

	RedisConnections firstConnections;

	RedisConnections secondConnections;

	RedisSharedDataStore first;

	RedisSharedDataStore second;

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.launch();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void createStores() {
		this.firstConnections = new RedisConnections(Duration.ofMillis(100));
		this.secondConnections = new RedisConnections(Duration.ofMillis(100));
		this.first = store(this.firstConnections, redis);
		this.second = store(this.secondConnections, redis);
	}

	@AfterEach
	void closeStores() {
		this.firstConnections.close();
		this.secondConnections.close();
	}

	static RedisSharedDataStore store(RedisConnections connections, RedisServer server) {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		properties.getClusters().put("redis", RedisTestSupport.cluster(server.url()));
		RedisTarget target = new RedisClusterResolver(properties, null).resolve("redis", "", "");
		return new RedisSharedDataStore(connections.connection(target), "test:shared:", Duration.ofSeconds(1), null);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void behavesAsTheInMemoryStore() {
		for (SharedDataStore store : List.of(new InMemorySharedData(), this.first.forPlugin("same-as-memory"))) {
			assertThat(store.get("k")).isNull();
			assertThat(store.set("k", bytes("a"), 7)).as("conditional write of an absent key").isFalse();
			assertThat(store.set("k", bytes("a"), 0)).isTrue();
			SharedDataStore.Entry entry = store.get("k");
			assertThat(entry.value()).isEqualTo(bytes("a"));
			assertThat(entry.cas()).isEqualTo(1);
			assertThat(store.set("k", bytes("b"), entry.cas())).isTrue();
			assertThat(store.set("k", bytes("c"), entry.cas())).as("stale token").isFalse();
			assertThat(store.get("k").value()).isEqualTo(bytes("b"));
			assertThat(store.get("k").cas()).isEqualTo(2);
			assertThat(store.set("k", new byte[0], 0)).isTrue();
			assertThat(store.get("k").value()).isEmpty();
			assertThat(store.get("k").cas()).isEqualTo(3);
		}
	}

	@Test
	void valuesKeepEveryByteAndPluginsHaveTheirOwnKeys() {
		byte[] binary = { 0, 1, '\r', '\n', (byte) 0xff, '$', '*' };
		SharedDataStore a = this.first.forPlugin("a");
		SharedDataStore b = this.first.forPlugin("b");
		assertThat(a.set("key", binary, 0)).isTrue();
		assertThat(a.get("key").value()).isEqualTo(binary);
		assertThat(b.get("key")).isNull();
		assertThat(this.second.forPlugin("a").get("key").value()).isEqualTo(binary);
		assertThat(redis.command("EXISTS", "test:shared:a:key")).isEqualTo(":1");
	}

	@Test
	void twoInstancesIncrementingWithCompareAndSwapLoseNoUpdate() throws Exception {
		String key = "counter-" + System.nanoTime();
		assertThat(this.first.set(key, ByteBuffer.allocate(8).putLong(0).array(), 0)).isTrue();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> conflicts = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				SharedDataStore store = (t % 2 == 0) ? this.first : this.second;
				conflicts.add(threads.submit(() -> {
					int mismatches = 0;
					for (int i = 0; i < 100; i++) {
						while (true) {
							SharedDataStore.Entry current = store.get(key);
							long value = ByteBuffer.wrap(current.value()).getLong();
							if (store.set(key, ByteBuffer.allocate(8).putLong(value + 1).array(), current.cas())) {
								break;
							}
							mismatches++;
						}
					}
					return mismatches;
				}));
			}
			int mismatches = 0;
			for (Future<Integer> c : conflicts) {
				mismatches += c.get();
			}
			assertThat(ByteBuffer.wrap(this.second.get(key).value()).getLong()).isEqualTo(800);
			assertThat(this.first.get(key).cas()).isEqualTo(801);
			// the instances did race: without CAS some of those increments would be lost
			assertThat(mismatches).isPositive();
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void expiryAfterWriteRemovesIdleKeys() throws Exception {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		properties.getClusters().put("redis", RedisTestSupport.cluster(redis.url()));
		RedisTarget target = new RedisClusterResolver(properties, null).resolve("redis", "", "");
		RedisSharedDataStore expiring = new RedisSharedDataStore(this.firstConnections.connection(target), "test:ttl:",
				Duration.ofSeconds(1), Duration.ofMillis(300));
		assertThat(expiring.set("k", bytes("v"), 0)).isTrue();
		assertThat(expiring.get("k")).isNotNull();
		Thread.sleep(600);
		assertThat(expiring.get("k")).isNull();
	}

	@Test
	void withRedisDownReadsFindNothingAndWritesFailQuicklyThenWorkAgain() throws Exception {
		try (RedisServer own = RedisServer.launch()) {
			RedisSharedDataStore store = store(this.firstConnections, own);
			assertThat(store.set("k", bytes("v"), 0)).isTrue();
			own.stop();
			long started = System.nanoTime();
			assertThat(store.get("k")).isNull();
			assertThat(store.set("k", bytes("w"), 0)).isFalse();
			assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000);
			assertThat(store.failures()).isGreaterThanOrEqualTo(2);
			own.start();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (!store.set("k", bytes("back"), 0) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(store.get("k").value()).isEqualTo(bytes("back"));
		}
	}

	/**
	 * The cost of a shared-data call on Redis: one network round trip on the plugin's
	 * thread. Measured here on loopback; docs/redis.md reports the figures.
	 */
	@Test
	void costPerCallIsOneRoundTrip() {
		SharedDataStore redisStore = this.first.forPlugin("cost");
		SharedDataStore memory = new InMemorySharedData();
		byte[] value = new byte[16];
		for (SharedDataStore store : List.of(redisStore, memory)) {
			for (int i = 0; i < 2000; i++) {
				SharedDataStore.Entry entry = store.get("warm");
				store.set("warm", value, (entry != null) ? entry.cas() : 0);
			}
		}
		double[] redisCosts = measure(redisStore, value, 5000);
		double[] memoryCosts = measure(memory, value, 5000);
		System.out.println(String.format(Locale.ROOT,
				"shared data cost per call (loopback Redis, 16-byte value, mean of 5000): get %.1f us, set %.1f us;"
						+ " in memory: get %.2f us, set %.2f us",
				redisCosts[0], redisCosts[1], memoryCosts[0], memoryCosts[1]));
		// a round trip on loopback: well under a millisecond, far above memory
		assertThat(redisCosts[0]).isLessThan(1000);
		assertThat(redisCosts[1]).isLessThan(1000);
		assertThat(redisCosts[0]).isGreaterThan(memoryCosts[0]);
	}

	/** Mean microseconds of a get and of a conditional set. */
	static double[] measure(SharedDataStore store, byte[] value, int count) {
		long getNanos = 0;
		long setNanos = 0;
		for (int i = 0; i < count; i++) {
			long started = System.nanoTime();
			SharedDataStore.Entry entry = store.get("cost");
			long read = System.nanoTime();
			assertThat(store.set("cost", value, (entry != null) ? entry.cas() : 0)).isTrue();
			long written = System.nanoTime();
			getNanos += read - started;
			setNanos += written - read;
		}
		return new double[] { getNanos / 1000.0 / count, setNanos / 1000.0 / count };
	}

}
