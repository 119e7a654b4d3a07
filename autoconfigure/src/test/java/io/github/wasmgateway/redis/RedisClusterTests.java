package io.github.wasmgateway.redis;

import static io.github.wasmgateway.redis.RedisTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.SharedDataStore;
import io.github.wasmgateway.redis.RedisTestSupport.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plugins' Redis calls on a Redis Cluster the test creates (3 masters, one replica each):
 * each command goes straight to the node that serves its key's slot, scripts run with
 * their keys, replies come back as Redis sent them, and calls go on through a failover
 * and a resharding made while they run.
 */
class RedisClusterTests {

	static RedisClusterServers cluster;

	RedisTestSupport.Client owner;

	WasmRedisClient client;

	String prefix;

	@BeforeAll
	static void createCluster() {
		cluster = RedisClusterServers.create(3, 1);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@BeforeEach
	void createClient() {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		WasmGatewayRedisProperties.Cluster redis = new WasmGatewayRedisProperties.Cluster();
		// one seed is enough: the others are found from the cluster's topology
		redis.getCluster().setNodes(List.of(cluster.nodes().get(0)));
		redis.setTimeout(Duration.ofSeconds(5));
		properties.getClusters().put("redis-cluster", redis);
		properties.setReconnectDelay(Duration.ofMillis(200));
		properties.setClusterRefreshPeriod(Duration.ofSeconds(1));
		this.owner = RedisTestSupport.client(properties);
		this.client = this.owner.redis();
		assertThat(this.client.init("p", "outbound|6379||redis-cluster.default.svc.cluster.local", "", "",
				Duration.ofSeconds(5)))
			.isTrue();
		assertThat(this.client.init("p", "redis-cluster", "", "", Duration.ofSeconds(5))).isTrue();
		this.prefix = "test:" + UUID.randomUUID() + ":";
	}

	@AfterEach
	void closeClient() {
		this.owner.close();
	}

	Reply redis(String... words) {
		return call(this.client, "p", "redis-cluster", words);
	}

	String text(String... words) {
		Reply reply = redis(words);
		assertThat(reply.status()).as("status of %s", List.of(words)).isZero();
		return reply.text();
	}

	/** Calls of {@code command} each node refused (MOVED, ASK, CROSSSLOT ...) so far. */
	static long rejected(RedisServer node, String command) {
		Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=\\d+.*?rejected_calls=(\\d+)")
			.matcher(node.text("INFO", "commandstats"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	static long served(RedisServer node, String command) {
		Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
			.matcher(node.text("INFO", "commandstats"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	@Test
	void eachCommandGoesStraightToTheNodeOfItsKeysSlot() {
		text("PING");
		for (RedisServer node : cluster.masters()) {
			node.command("CONFIG", "RESETSTAT");
		}
		int keys = 60;
		for (int i = 0; i < keys; i++) {
			assertThat(text("SET", this.prefix + i, "v" + i)).isEqualTo("+OK\r\n");
			assertThat(text("GET", this.prefix + i)).isEqualTo("$" + ("v" + i).length() + "\r\nv" + i + "\r\n");
			assertThat(text("EVAL", "return redis.call('INCR', KEYS[1])", "1", this.prefix + "n" + i))
				.isEqualTo(":1\r\n");
		}
		long setsServed = 0;
		for (RedisServer node : cluster.masters()) {
			// the keys are spread over every master, and no node had to redirect a call
			assertThat(served(node, "set")).as("SETs on node %d", node.port()).isPositive();
			assertThat(rejected(node, "set") + rejected(node, "get") + rejected(node, "eval"))
				.as("redirected calls on node %d", node.port())
				.isZero();
			setsServed += served(node, "set");
		}
		assertThat(setsServed).isEqualTo(keys);
	}

	@Test
	void scriptsRunWithTheirKeysAndRepliesKeepTheirBytes() {
		String user = "{" + this.prefix + "user}";
		assertThat(text("EVAL", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCRBY', KEYS[2], ARGV[2])",
				"2", user + ":name", user + ":visits", "alice", "3"))
			.isEqualTo(":3\r\n");
		assertThat(text("MGET", user + ":name", user + ":visits", user + ":none"))
			.isEqualTo("*3\r\n$5\r\nalice\r\n$1\r\n3\r\n$-1\r\n");
		assertThat(text("EVAL",
				"return {1, 'two', {3, false}, redis.status_reply('FINE'), redis.error_reply('BAD thing')}", "1",
				user + ":x"))
			.isEqualTo("*5\r\n:1\r\n$3\r\ntwo\r\n*2\r\n:3\r\n$-1\r\n+FINE\r\n-BAD thing\r\n");
		// keys of different slots in one command: Redis's answer is the plugin's answer
		assertThat(text("MGET", this.prefix + "a", this.prefix + "b")).startsWith("-CROSSSLOT ");
		assertThat(text("PING")).isEqualTo("+PONG\r\n");
	}

	@Test
	void sharedDataOnTheClusterIsSharedAndItsLocalCopyCoherent() throws Exception {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		WasmGatewayRedisProperties.Cluster redis = new WasmGatewayRedisProperties.Cluster();
		redis.getCluster().setNodes(cluster.nodes());
		properties.getClusters().put("shared", redis);
		RedisTarget target = new RedisClusterResolver(properties, null).resolve("shared", "", "");
		WasmGatewaySharedDataProperties.Redis settings = new WasmGatewaySharedDataProperties.Redis();
		settings.setKeyPrefix(this.prefix);
		settings.setTimeout(Duration.ofSeconds(5));
		try (RedisEndpoints firstResources = new RedisEndpoints(Duration.ofMillis(200), List.of());
				RedisEndpoints secondResources = new RedisEndpoints(Duration.ofMillis(200), List.of());
				RedisSharedDataStore first = RedisSharedDataStore.open(target, firstResources, settings);
				RedisSharedDataStore second = RedisSharedDataStore.open(target, secondResources, settings)) {
			for (int i = 0; i < 20; i++) {
				assertThat(first.set("k" + i, ("one" + i).getBytes(), 0)).isTrue();
			}
			for (int i = 0; i < 20; i++) {
				SharedDataStore.Entry seen = second.get("k" + i);
				assertThat(seen.value()).isEqualTo(("one" + i).getBytes());
				assertThat(first.set("k" + i, ("two" + i).getBytes(), seen.cas())).isTrue();
			}
			// the keys live on every master, and each instance's copy follows the other's
			// writes
			for (int i = 0; i < 20; i++) {
				String key = "k" + i;
				byte[] expected = ("two" + i).getBytes();
				assertThat(RedisSharedDataStoreTests.eventually(() -> second.get(key), expected).value())
					.isEqualTo(expected);
				// read until the copy keeps it (tracking is confirmed per node
				// connection)
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				long local = second.statistics().localReads();
				while (second.statistics().localReads() == local && System.nanoTime() < deadline) {
					second.get(key);
				}
			}
			// once read, every key is answered from the copy, whichever node holds it
			long waited = second.statistics().reads().count();
			for (int i = 0; i < 20; i++) {
				assertThat(second.get("k" + i).value()).isEqualTo(("two" + i).getBytes());
			}
			assertThat(second.statistics().reads().count()).isEqualTo(waited);
		}
	}

	@Test
	void aDatabaseOtherThanZeroIsRefusedAtInit() {
		assertThat(this.client.init("p", "redis-cluster?db=2", "", "", Duration.ofSeconds(1))).isFalse();
		assertThat(this.client.init("p", "redis-cluster?db=0", "", "", Duration.ofSeconds(1))).isTrue();
	}

	/**
	 * Counts in keys spread over every slot until {@code change} is done, then checks
	 * that every call was answered and no increment was lost or counted twice.
	 */
	void countWhile(String what, List<String> keys, Runnable change) throws Exception {
		Map<String, Integer> counted = new ConcurrentHashMap<>();
		List<String> failures = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread traffic = new Thread(() -> {
			int i = 0;
			while (running.get()) {
				String key = keys.get(i++ % keys.size());
				Reply reply = redis("INCR", key);
				if (reply.status() == 0 && reply.text().startsWith(":")) {
					counted.merge(key, 1, Integer::sum);
				}
				else {
					failures.add(key + " -> " + reply.status() + " " + reply.text().trim());
				}
			}
		}, "cluster-traffic");
		traffic.start();
		try {
			awaitCount(counted, failures, 100);
			change.run();
			awaitCount(counted, failures, total(counted) + 200);
		}
		finally {
			running.set(false);
			traffic.join();
		}
		assertThat(failures).as("calls that failed during the %s", what).isEmpty();
		for (String key : keys) {
			assertThat(text("GET", key)).as(key)
				.isEqualTo((counted.containsKey(key))
						? "$" + Integer.toString(counted.get(key)).length() + "\r\n" + counted.get(key) + "\r\n"
						: "$-1\r\n");
		}
	}

	static int total(Map<String, Integer> counted) {
		return counted.values().stream().mapToInt(Integer::intValue).sum();
	}

	/** Waits (at most a minute) until {@code count} increments were answered. */
	static void awaitCount(Map<String, Integer> counted, List<String> failures, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (total(counted) < count) {
			assertThat(System.nanoTime())
				.as("%d increments answered, failures: %s", total(counted),
						failures.subList(0, Math.min(5, failures.size())))
				.isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	@Test
	void aFailoverDuringTrafficIsFollowed() throws Exception {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			keys.add(this.prefix + "failover:" + i);
		}
		RedisServer master = cluster.masterOf(cluster.slot(keys.get(0)));
		countWhile("failover", keys, () -> cluster.failOver(master));
	}

	@Test
	void aMasterThatCrashesIsReplacedAndCallsRecoverByThemselves() throws Exception {
		String key = this.prefix + "crash";
		assertThat(text("SET", key, "before")).isEqualTo("+OK\r\n");
		RedisServer master = cluster.masterOf(cluster.slot(key));
		List<Reply> whileDown = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread traffic = new Thread(() -> {
			while (running.get()) {
				whileDown.add(redis("GET", key));
			}
		}, "cluster-traffic");
		traffic.start();
		try {
			cluster.crash(master);
		}
		finally {
			running.set(false);
			traffic.join();
		}
		// while the slot had no master, calls failed with a status (never hung, never a
		// wrong reply); once the replica took over, Lettuce's topology refresh found it
		assertThat(whileDown).allSatisfy((reply) -> assertThat(
				reply.status() == 0 ? reply.text().equals("$6\r\nbefore\r\n") : reply.bytes().length == 0)
			.isTrue());
		Reply after = Eventually.poll(() -> redis("GET", key), (reply) -> reply.status() == 0, Duration.ofMinutes(1),
				Duration.ofMillis(50));
		assertThat(after.text()).isEqualTo("$6\r\nbefore\r\n");
		assertThat(text("SET", key, "after")).isEqualTo("+OK\r\n");
	}

	@Test
	void aReshardingDuringTrafficIsFollowed() throws Exception {
		String tag = "{" + this.prefix + "moving}";
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			keys.add(tag + ":" + i);
		}
		int slot = cluster.slot(tag);
		RedisServer source = cluster.masterOf(slot);
		RedisServer target = cluster.masters().stream().filter((node) -> node != source).findFirst().orElseThrow();
		countWhile("resharding", keys, () -> cluster.moveSlot(slot, source, target));
		assertThat(cluster.masterOf(slot)).isSameAs(target);
	}

}
