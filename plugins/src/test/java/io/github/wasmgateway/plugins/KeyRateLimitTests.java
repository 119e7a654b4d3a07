package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * key-rate-limit through the engine in PRECOMPILED mode: fixed windows per key in shared
 * data, on the test clock.
 */
class KeyRateLimitTests {

	static final PluginTester plugin = BuiltinPlugins.tester("key-rate-limit");

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	@Test
	void higressDocumentedExampleConfigurations() {
		// the three configurations of Higress's README, unchanged
		TestConfiguration byParam = plugin.configure(PluginTester.yamlToJson("""
				limit_by_param: apikey
				limit_keys:
				- key: 9a342114-ba8a-11ec-b1bf-00163e1250b5
				  query_per_second: 10
				- key: a6a6d7f2-ba8a-11ec-bec2-00163e1250b5
				  query_per_minute: 100
				"""));
		assertThat(statuses(byParam, TestRequest.get("/?apikey=9a342114-ba8a-11ec-b1bf-00163e1250b5"), 11))
			.containsExactly(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429);
		TestConfiguration byHeader = plugin.configure(PluginTester.yamlToJson("""
				limit_by_header: x-ca-key
				limit_keys:
				- key: 102234
				  query_per_second: 10
				- key: 308239
				  query_per_hour: 10
				"""));
		assertThat(statuses(byHeader, TestRequest.get("/", "x-ca-key", "308239"), 11)).endsWith(200, 429);
		TestConfiguration rules = plugin.configure(PluginTester.yamlToJson("""
				# Use _rules_ field for fine-grained rule configurations
				_rules_:
				# Rule 1: Match by route name
				- _match_route_:
				  - route-a
				  - route-b
				  limit_by_header: x-ca-key
				  limit_keys:
				  - key: 102234
				    query_per_second: 10
				# Rule 2: Match by domain
				- _match_domain_:
				  - "*.example.com"
				  - test.com
				  limit_by_header: x-ca-key
				  limit_keys:
				  - key: 102234
				    query_per_second: 100
				"""));
		assertThat(statuses(rules, TestRequest.get("/", "x-ca-key", "102234").route("route-a"), 11)).endsWith(200, 429);
		assertThat(statuses(rules, TestRequest.get("/", "x-ca-key", "102234").authority("test.com"), 11))
			.doesNotContain(429);
	}

	/**
	 * The status of `count` requests like `request` (200 when the plugin lets one pass).
	 */
	static List<Integer> statuses(TestConfiguration configuration, TestRequest request, int count) {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			TestResult result = send(configuration, request.copy());
			statuses.add(result.passed() ? 200 : result.status());
		}
		return statuses;
	}

	@Test
	void limitsPerHeaderKeyAndRefillsAfterTheWindow() {
		TestConfiguration configuration = plugin.configure("""
				{"limit_by_header": "x-ca-key", "limit_keys": [
				  {"key": "102234", "query_per_second": 2}, {"key": "308239", "query_per_hour": 1}]}""");
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "102234")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "102234")).passed()).isTrue();
		TestResult limited = send(configuration, TestRequest.get("/", "x-ca-key", "102234"));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.body()).isEqualTo("Too many requests,rate_limited\n");
		assertThat(limited.responseHeader("x-ratelimit-limit")).isEqualTo("2");
		assertThat(limited.responseHeader("x-ratelimit-remaining")).isEqualTo("0");
		assertThat(limited.responseHeader("x-ratelimit-reset")).isEqualTo("1");
		// other keys have their own counters; unknown keys and requests without a key are
		// not limited
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "308239")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "308239")).status()).isEqualTo(429);
		for (int i = 0; i < 5; i++) {
			assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "other")).passed()).isTrue();
			assertThat(send(configuration, TestRequest.get("/")).passed()).isTrue();
		}
		plugin.advance(Duration.ofSeconds(1));
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "102234")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "308239")).status()).isEqualTo(429);
		plugin.advance(Duration.ofHours(1));
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "308239")).passed()).isTrue();
	}

	@Test
	void limitsPerQueryParameter() {
		TestConfiguration configuration = plugin.configure("""
				{"limit_by_param": "apikey", "limit_keys": [{"key": "k1", "query_per_minute": 1}]}""");
		assertThat(send(configuration, TestRequest.get("/?apikey=k1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/x?b=2&apikey=k1")).status()).isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/?apikey=k2")).passed()).isTrue();
		plugin.advance(Duration.ofMinutes(1));
		assertThat(send(configuration, TestRequest.get("/?apikey=k1")).passed()).isTrue();
	}

	@Test
	void rulesHaveTheirOwnLimits() {
		TestConfiguration configuration = plugin.configure("""
				{"_rules_": [
				  {"_match_route_": ["route-a"], "limit_by_header": "x-ca-key",
				   "limit_keys": [{"key": "k", "query_per_day": 1}]},
				  {"_match_domain_": ["*.example.com"], "limit_by_header": "x-ca-key",
				   "limit_keys": [{"key": "k", "query_per_day": 2}]}]}""");
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "k").route("route-a")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "k").route("route-a")).status()).isEqualTo(429);
		TestRequest domain = TestRequest.get("/", "x-ca-key", "k").authority("a.example.com");
		assertThat(send(configuration, domain).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "k").authority("a.example.com")).passed())
			.isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "k").authority("a.example.com")).status())
			.isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "k")).passed()).isTrue();
	}

	@Test
	void everyVmSharesTheCountersExactly() throws Exception {
		// several fresh configurations (fresh counters), the workers starting together,
		// so
		// that their first requests race for a counter nobody has used yet
		ExecutorService workers = Executors.newFixedThreadPool(4);
		try {
			for (int round = 0; round < 10; round++) {
				TestConfiguration configuration = plugin.configure("""
						{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "shared", "query_per_day": %d}]}"""
					.formatted(100 + round));
				AtomicInteger passed = new AtomicInteger();
				CyclicBarrier start = new CyclicBarrier(4);
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					futures.add(workers.submit(() -> {
						start.await();
						for (int i = 0; i < 60; i++) {
							if (send(configuration, TestRequest.get("/", "x-ca-key", "shared")).passed()) {
								passed.incrementAndGet();
							}
						}
						return null;
					}));
				}
				for (Future<?> future : futures) {
					future.get();
				}
				assertThat(passed.get()).as("round %d", round).isEqualTo(100 + round);
			}
		}
		finally {
			workers.shutdown();
		}
		assertThat(plugin.plugin().vms().size()).isGreaterThanOrEqualTo(4);
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{\"limit_by_header\": \"x\"}"))
			.contains("key-rate-limit: configuration refused: limit_keys is required");
		assertThat(plugin.refused("{\"limit_by_header\": \"x\", \"limit_keys\": [{\"key\": \"a\"}]}"))
			.contains("limit_keys[0] needs one of query_per_second, query_per_minute");
		assertThat(plugin.refused("{\"limit_keys\": [{\"key\": \"a\", \"query_per_second\": 1}]}"))
			.contains("exactly one of limit_by_header and limit_by_param must be set");
		assertThat(plugin.refused("{\"limit_by_param\": \"p\", \"limit_by_header\": \"h\","
				+ " \"limit_keys\": [{\"key\": \"a\", \"query_per_second\": 1}]}"))
			.contains("exactly one of limit_by_header and limit_by_param must be set");
		assertThat(plugin
			.refused("{\"limit_by_param\": \"p\", \"limit_keys\": [{\"key\": \"a\", \"query_per_second\": 0}]}"))
			.contains("limit_keys[0].query_per_second must be between 1 and");
		assertThat(
				plugin.refused("{\"limit_by_param\": \"p\", \"limit_keys\": [{\"key\": \"a\", \"query_per_second\": 1},"
						+ " {\"key\": \"a\", \"query_per_hour\": 1}]}"))
			.contains("limit_keys[1].key 'a' is configured twice");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void hostileKeysAreHandledWithoutATrap() {
		TestConfiguration configuration = plugin.configure("""
				{"limit_by_param": "k", "limit_keys": [{"key": "a", "query_per_second": 1}]}""");
		assertThat(send(configuration, TestRequest.get("/?k=" + "%".repeat(10_000))).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/?k=" + "x".repeat(200_000))).passed()).isTrue();
		assertThat(plugin.failures()).isZero();
	}

}
