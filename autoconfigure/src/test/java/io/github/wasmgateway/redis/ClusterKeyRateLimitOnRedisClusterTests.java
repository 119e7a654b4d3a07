package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.gateway.EchoUpstream;
import io.github.wasmgateway.redis.RedisGatewayTestApplication.Gateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in cluster-key-rate-limit plugin on two gateway instances counting in one
 * Redis Cluster (3 masters, created by the test): requests sent at once to both gateways
 * are allowed exactly as many times as the limit says, in total, and each rule's counter
 * is kept on the master that serves its slot, reached without a redirection.
 */
class ClusterKeyRateLimitOnRedisClusterTests {

	static RedisClusterServers cluster;

	static EchoUpstream upstream;

	static Gateway first;

	static Gateway second;

	@BeforeAll
	static void start() {
		cluster = RedisClusterServers.create(3, 0);
		upstream = new EchoUpstream();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("test.redis", "");
		properties.put("test.upstream", upstream.url());
		properties.put("wasm-gateway.redis.clusters.redis.cluster.nodes", String.join(",", cluster.nodes()));
		first = RedisGatewayTestApplication.start("ratelimit", properties);
		second = RedisGatewayTestApplication.start("ratelimit", properties);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { first, second, upstream, cluster }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// keep closing the others
			}
		}
	}

	/** Sends {@code count} requests at once, alternating gateways; their statuses. */
	static List<Integer> atOnce(int count, String path, String... headers) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(count);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Gateway gateway = (i % 2 == 0) ? first : second;
				statuses.add(threads.submit(
						() -> ClusterKeyRateLimitTests.status(ClusterKeyRateLimitTests.get(gateway, path, headers))));
			}
			List<Integer> result = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				result.add(status.get());
			}
			return result;
		}
		finally {
			threads.shutdownNow();
		}
	}

	static long redirectedScripts() {
		long redirected = 0;
		for (RedisServer node : cluster.masters()) {
			Matcher matcher = Pattern.compile("cmdstat_eval:calls=\\d+.*?rejected_calls=(\\d+)")
				.matcher(node.text("INFO", "commandstats"));
			redirected += matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
		}
		return redirected;
	}

	@Test
	void twoGatewaysAllowExactlyTheLimitInTotal() throws Exception {
		// warm both gateways up (connections, command table)
		ClusterKeyRateLimitTests.get(first, "/param/warm?user=warm");
		ClusterKeyRateLimitTests.get(second, "/param/warm?user=warm");
		for (RedisServer node : cluster.masters()) {
			node.command("CONFIG", "RESETSTAT");
		}
		String run = Long.toString(System.nanoTime());
		List<String> users = new ArrayList<>();
		for (int u = 0; u < 6; u++) {
			users.add(run + "-" + u);
		}
		for (String user : users) {
			List<Integer> statuses = atOnce(12, "/param/a?user=" + user);
			assertThat(statuses).as("user %s", user).filteredOn((status) -> status == 200).hasSize(2);
			assertThat(statuses).filteredOn((status) -> status == 429).hasSize(10);
		}
		List<Integer> statuses = atOnce(16, "/header/a", "x-api-key", "alice");
		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(5);
		assertThat(statuses).filteredOn((status) -> status == 429).hasSize(11);

		// each counter lives on the master of its slot, and the counters are spread
		List<RedisServer> holders = new ArrayList<>();
		for (String user : users) {
			String key = "higress-cluster-key-rate-limit:by-param:limit_by_per_param:60:2:user:" + user;
			RedisServer master = cluster.masterOf(cluster.slot(key));
			assertThat(master.text("GET", key)).as(key).isEqualTo("-10");
			holders.add(master);
		}
		assertThat(holders.stream().distinct().count()).isGreaterThan(1);
		// every script went straight to its node
		assertThat(redirectedScripts()).isZero();
	}

}
