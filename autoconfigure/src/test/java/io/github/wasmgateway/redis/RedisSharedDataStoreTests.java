package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared data in a real Redis: the same semantics as the in-memory store (CAS tokens,
 * conditional writes), seen by two independent stores as by two gateway instances; reads
 * answered from the local copy without a round trip, and the copy kept coherent with
 * writes made elsewhere, expiries and restarts of Redis.
 */
class RedisSharedDataStoreTests {

	static RedisServer redis;

	final List<AutoCloseable> closeables = new ArrayList<>();

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
		this.first = store(redis, "test:shared:", null);
		this.second = store(redis, "test:shared:", null);
	}

	@AfterEach
	void closeStores() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	/** A store as one gateway instance has it, with Lettuce resources of its own. */
	RedisSharedDataStore store(RedisServer server, String prefix, Duration expireAfterWrite) {
		return store(server, prefix, expireAfterWrite, Duration.ofSeconds(5));
	}

	RedisSharedDataStore store(RedisServer server, String prefix, Duration expireAfterWrite, Duration timeout) {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		properties.getClusters().put("redis", RedisTestSupport.cluster(server.url()));
		properties.setReconnectDelay(Duration.ofMillis(100));
		RedisTarget target = new RedisClusterResolver(properties, null).resolve("redis", "", "");
		RedisEndpoints endpoints = new RedisEndpoints(properties.getReconnectDelay(), List.of());
		WasmGatewaySharedDataProperties.Redis settings = new WasmGatewaySharedDataProperties.Redis();
		settings.setKeyPrefix(prefix);
		settings.setTimeout(timeout);
		settings.setExpireAfterWrite(expireAfterWrite);
		RedisSharedDataStore store = RedisSharedDataStore.open(target, endpoints, settings);
		this.closeables.add(endpoints);
		this.closeables.add(store);
		return store;
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The value {@code read} finds once the local copy has caught up (within 10 s). */
	static SharedDataStore.Entry eventually(Supplier<SharedDataStore.Entry> read, byte[] expected) throws Exception {
		return Eventually.poll(read::get, (entry) -> matches(entry, expected), Duration.ofSeconds(10),
				Duration.ofMillis(10));
	}

	private static boolean matches(SharedDataStore.Entry entry, byte[] expected) {
		return (expected == null) ? entry == null : entry != null && java.util.Arrays.equals(entry.value(), expected);
	}

	/** How many times Redis ran {@code command} so far. */
	static long calls(String command) {
		Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
			.matcher(redis.text("INFO", "commandstats"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
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
	void readsOfKeysTheLocalCopyHasMakeNoRoundTrip() throws Exception {
		SharedDataStore store = this.first.forPlugin("local");
		// nothing is kept until Redis confirmed tracking on the new connection
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		long before = this.first.statistics().localReads();
		while (this.first.statistics().localReads() == before && System.nanoTime() < deadline) {
			assertThat(store.get("absent")).isNull();
			Thread.sleep(10);
		}
		assertThat(store.set("k", bytes("v"), 0)).isTrue();
		long hmgets = calls("hmget");
		long readsFromRedis = this.first.statistics().reads().count();
		int reads = 5000;
		long started = System.nanoTime();
		for (int i = 0; i < reads; i++) {
			assertThat(store.get("k").value()).isEqualTo(bytes("v"));
			assertThat(store.get("absent")).isNull();
		}
		double localMicros = (System.nanoTime() - started) / 1000.0 / (2 * reads);
		// the written value and the absent key were both kept: Redis saw no read at all
		assertThat(calls("hmget")).isEqualTo(hmgets);
		assertThat(this.first.statistics().reads().count()).isEqualTo(readsFromRedis);
		assertThat(this.first.statistics().localReads()).isGreaterThanOrEqualTo(2L * reads);
		// what a write costs: one round trip (the script and the read after it,
		// pipelined)
		int writes = 2000;
		long written = this.first.statistics().writes().totalNanos();
		for (int i = 0; i < writes; i++) {
			assertThat(store.set("k", bytes("v" + i), store.get("k").cas())).isTrue();
		}
		double writeMicros = (this.first.statistics().writes().totalNanos() - written) / 1000.0 / writes;
		System.out.println(String.format(Locale.ROOT,
				"shared data on loopback Redis: read from the local copy %.2f us (mean of %d), conditional write"
						+ " %.1f us (mean of %d, waits for Redis)",
				localMicros, 2 * reads, writeMicros, writes));
		assertThat(calls("hmget")).isEqualTo(hmgets + writes);
	}

	@Test
	void aWriteElsewhereReachesTheLocalCopy() throws Exception {
		SharedDataStore mine = this.first.forPlugin("coherent");
		SharedDataStore theirs = this.second.forPlugin("coherent");
		assertThat(theirs.set("k", bytes("one"), 0)).isTrue();
		SharedDataStore.Entry seen = mine.get("k");
		assertThat(seen.value()).isEqualTo(bytes("one"));
		assertThat(theirs.set("k", bytes("two"), seen.cas())).isTrue();
		assertThat(eventually(() -> mine.get("k"), bytes("two")).cas()).isEqualTo(seen.cas() + 1);
		// any client's write counts, not only another gateway's
		redis.command("HSET", "test:shared:coherent:k", "v", "three", "c", "9");
		assertThat(eventually(() -> mine.get("k"), bytes("three")).cas()).isEqualTo(9);
		redis.command("DEL", "test:shared:coherent:k");
		assertThat(eventually(() -> mine.get("k"), null)).isNull();
	}

	@Test
	void aStaleLocalCopyNeverLosesAnUpdate() {
		SharedDataStore mine = this.first.forPlugin("stale");
		assertThat(mine.set("k", bytes("mine"), 0)).isTrue();
		SharedDataStore.Entry seen = mine.get("k");
		// written by another instance; whether or not the invalidation arrived yet, a
		// write
		// with the token read before fails, and the copy then holds the current value
		assertThat(this.second.forPlugin("stale").set("k", bytes("theirs"), seen.cas())).isTrue();
		assertThat(mine.set("k", bytes("lost?"), seen.cas())).isFalse();
		assertThat(mine.get("k").value()).isEqualTo(bytes("theirs"));
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
			assertThat(redis.text("HGET", "test:shared:" + key, "c")).isEqualTo("801");
			assertThat(ByteBuffer
				.wrap(eventually(() -> this.second.get(key), ByteBuffer.allocate(8).putLong(800).array()).value())
				.getLong()).isEqualTo(800);
			// the instances did race: without CAS some of those increments would be lost
			assertThat(mismatches).isPositive();
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void expiryAfterWriteRemovesIdleKeysFromRedisAndFromTheCopy() throws Exception {
		RedisSharedDataStore expiring = store(redis, "test:ttl:", Duration.ofMillis(200));
		assertThat(expiring.set("k", bytes("v"), 0)).isTrue();
		long ttl = Long.parseLong(redis.text("PTTL", "test:ttl:k"));
		assertThat(ttl).isPositive().isLessThanOrEqualTo(200);
		assertThat(expiring.get("k").value()).isEqualTo(bytes("v"));
		// Redis expires the key and tells the copy
		assertThat(eventually(() -> expiring.get("k"), null)).isNull();
	}

	@Test
	void withRedisDownReadsFindNothingAndWritesFailThenWorkAgainWithoutStaleValues() throws Exception {
		try (RedisServer own = RedisServer.launch()) {
			// a timeout no test waits for: a write that waited for it would hang the test
			RedisSharedDataStore store = store(own, "test:down:", null, Duration.ofMinutes(10));
			assertThat(store.set("k", bytes("v"), 0)).isTrue();
			assertThat(store.get("k").value()).isEqualTo(bytes("v"));
			own.stop();
			assertThat(eventually(() -> store.get("k"), null)).as("the copy is dropped with the connection").isNull();
			// fails at once, not after the timeout: the connection is known to be down
			assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThat(store.set("k", bytes("w"), 0)).isFalse());
			assertThat(store.statistics().failures()).isGreaterThanOrEqualTo(1);
			own.start();
			// the restarted Redis is empty: the old value must not come back from the
			// copy
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (!store.set("other", bytes("x"), 0) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(store.get("k")).isNull();
			assertThat(store.set("k", bytes("back"), 0)).isTrue();
			assertThat(store.get("k").value()).isEqualTo(bytes("back"));
		}
	}

}
