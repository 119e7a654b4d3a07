package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.test.Decision;
import io.github.wasmgateway.test.Phase;
import io.github.wasmgateway.test.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cluster-key-rate-limit through the engine in PRECOMPILED mode, against the kit's
 * in-memory Redis, scripted to run the plugin's fixed-window script.
 */
class ClusterKeyRateLimitTests {

	static final PluginTester plugin = BuiltinPlugins.tester("cluster-key-rate-limit");

	static final String REDIS = "\"redis\": {\"service_name\": \"redis.static\", \"password\": \"s3cret\", \"timeout\": 500}";

	@AfterAll
	static void close() {
		plugin.close();
	}

	/**
	 * The plugin's fixed-window script on the kit's in-memory Redis: KEYS[1], ARGV[1] =
	 * count, ARGV[2] = window; answers {count, remaining, reset}.
	 */
	@BeforeAll
	static void runTheFixedWindowScript() {
		plugin.redis().answer((command) -> command.get(0).equalsIgnoreCase("EVAL") ? fixedWindow(command) : null);
	}

	static String fixedWindow(List<String> command) {
		String script = command.get(1);
		if (!script.contains("ttl") || !script.contains("incrby")) {
			return "-ERR this test's Redis runs only the fixed-window script\r\n";
		}
		TestRedis redis = plugin.redis();
		String key = command.get(3);
		long count = Long.parseLong(command.get(4));
		long window = Long.parseLong(command.get(5));
		long ttl = redis.ttl(key);
		if (ttl < 0) {
			redis.set(key, Long.toString(count - 1), window);
			return TestRedis.arrayReply(count, count - 1, window);
		}
		long remaining = Long.parseLong(redis.value(key)) - 1;
		redis.set(key, Long.toString(remaining), ttl);
		return TestRedis.arrayReply(count, remaining, ttl);
	}

	@AfterEach
	void redisBackToNormal() {
		plugin.redis().normal().knowsClusters(true);
	}

	static TestConfiguration configure(String rest) {
		return plugin.configure("{" + REDIS + ", " + rest + "}");
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	/**
	 * The six configurations of Higress's README, unchanged (trailing blanks and comments
	 * included), each with a request its first item (or the global threshold) counts.
	 */
	@Test
	void higressDocumentedExampleConfigurations() {
		String redis = """
				redis: \s
				  service_name: redis.static \s
				show_limit_quota_header: true \s
				""";
		java.util.Map<String, TestRequest> examples = new java.util.LinkedHashMap<>();
		examples.put("""
				rule_name: routeA-global-limit-rule \s
				global_threshold: \s
				  query_per_minute: 1000 # Maximum 1000 requests per minute for the entire route \s
				""" + redis, TestRequest.get("/"));
		examples
			.put("""
					rule_name: routeA-request-param-limit-rule \s
					rule_items: \s
					- limit_by_param: apikey \s
					  limit_keys: \s
					  - key: 9a342114-ba8a-11ec-b1bf-00163e1250b5 \s
					    query_per_minute: 10 \s
					  - key: a6a6d7f2-ba8a-11ec-bec2-00163e1250b5 \s
					    query_per_hour: 100 \s
					- limit_by_per_param: apikey \s
					  limit_keys: \s
					  # Regular expression to match all strings starting with "a"; 10 requests per second for each apikey \s
					  - key: "regexp:^a.*" \s
					    query_per_second: 10 \s
					  # Regular expression to match all strings starting with "b"; 100 requests per minute for each apikey \s
					  - key: "regexp:^b.*" \s
					    query_per_minute: 100 \s
					  # Fallback rule to match all requests; 1000 requests per hour for each apikey \s
					  - key: "*" \s
					    query_per_hour: 1000 \s
					"""
					+ redis, TestRequest.get("/?apikey=9a342114-ba8a-11ec-b1bf-00163e1250b5"));
		examples.put("""
				rule_name: routeA-request-header-limit-rule \s
				rule_items: \s
				- limit_by_header: x-ca-key \s
				  limit_keys: \s
				  - key: 102234 \s
				    query_per_minute: 10 \s
				  - key: 308239 \s
				    query_per_hour: 10 \s
				- limit_by_per_header: x-ca-key \s
				  limit_keys: \s
				  # Regular expression to match all strings starting with "a"; 10 requests per second for each key \s
				  - key: "regexp:^a.*" \s
				    query_per_second: 10 \s
				  # Regular expression to match all strings starting with "b"; 100 requests per minute for each key \s
				  - key: "regexp:^b.*" \s
				    query_per_minute: 100 \s
				  # Fallback rule to match all requests; 1000 requests per hour for each key \s
				  - key: "*" \s
				    query_per_hour: 1000            \s
				""" + redis, TestRequest.get("/", "x-ca-key", "102234"));
		examples.put("""
				rule_name: routeA-client-ip-limit-rule \s
				rule_items: \s
				- limit_by_per_ip: from-header-x-forwarded-for \s
				  limit_keys: \s
				  # Exact IP match \s
				  - key: 1.1.1.1 \s
				    query_per_day: 10 \s
				  # CIDR block match; 100 requests per day for each IP in the block \s
				  - key: 1.1.1.0/24 \s
				    query_per_day: 100 \s
				  # Fallback rule for all IPs; 1000 requests per day for each IP \s
				  - key: 0.0.0.0/0 \s
				    query_per_day: 1000 \s
				""" + redis, TestRequest.get("/", "x-forwarded-for", "1.1.1.1"));
		examples
			.put("""
					rule_name: routeA-consumer-limit-rule \s
					rule_items: \s
					- limit_by_consumer: '' \s
					  limit_keys: \s
					  - key: consumer1 \s
					    query_per_second: 10 \s
					  - key: consumer2 \s
					    query_per_hour: 100 \s
					- limit_by_per_consumer: '' \s
					  limit_keys: \s
					  # Regular expression to match all consumer names starting with "a"; 10 requests per second for each consumer \s
					  - key: "regexp:^a.*" \s
					    query_per_second: 10 \s
					  # Regular expression to match all consumer names starting with "b"; 100 requests per minute for each consumer \s
					  - key: "regexp:^b.*" \s
					    query_per_minute: 100 \s
					  # Fallback rule to match all consumers; 1000 requests per hour for each consumer \s
					  - key: "*" \s
					    query_per_hour: 1000     \s
					"""
					+ redis, TestRequest.get("/", "x-mse-consumer", "consumer1"));
		examples
			.put("""
					rule_name: routeA-cookie-limit-rule \s
					rule_items: \s
					  - limit_by_cookie: key1 \s
					    limit_keys: \s
					      - key: value1 \s
					        query_per_minute: 10 \s
					      - key: value2 \s
					        query_per_hour: 100 \s
					  - limit_by_per_cookie: key1 \s
					    limit_keys: \s
					      # Regular expression to match all cookie values starting with "a"; 10 requests per second for each value \s
					      - key: "regexp:^a.*" \s
					        query_per_second: 10 \s
					      # Regular expression to match all cookie values starting with "b"; 100 requests per minute for each value \s
					      - key: "regexp:^b.*" \s
					        query_per_minute: 100 \s
					      # Fallback rule to match all cookie values; 1000 requests per hour for each value \s
					      - key: "*" \s
					        query_per_hour: 1000 \s
					rejected_code: 200 \s
					rejected_msg: '{"code":-1,"msg":"Too many requests"}' \s
					"""
					+ redis, TestRequest.get("/", "cookie", "key1=value1"));
		examples.forEach((yaml, request) -> {
			TestConfiguration configuration = plugin.configure(PluginTester.yamlToJson(yaml));
			int calls = plugin.redis().commands().size();
			TestResult result = send(configuration, request.upstream(200));
			assertThat(result.passed()).as(yaml).isTrue();
			assertThat(plugin.redis().commands()).as(yaml).hasSize(calls + 1);
			assertThat(result.upstreamResponseHeader("x-ratelimit-remaining")).as(yaml).isNotNull();
		});
	}

	@Test
	void initializesRedisWithHigressClusterName() {
		configure("\"rule_name\": \"init\", \"global_threshold\": {\"query_per_second\": 5}");
		assertThat(plugin.redis().initialized())
			.contains("outbound|80||redis.static user= password=s3cret timeout=500");
		plugin.configure("{\"redis\": {\"service_name\": \"redis.svc\", \"database\": 2, \"username\": \"u\"},"
				+ " \"rule_name\": \"db\", \"global_threshold\": {\"query_per_second\": 5}}");
		assertThat(plugin.redis().initialized())
			.contains("outbound|6379||redis.svc?db=2 user=u password= timeout=1000");
	}

	@Test
	void limitsPerHeaderValueWithQuotaHeaders() {
		TestConfiguration configuration = configure(
				"""
						"rule_name": "by-header", "show_limit_quota_header": true,
						"rule_items": [{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "102234", "query_per_minute": 2}]}]""");
		TestResult first = send(configuration, TestRequest.get("/", "x-ca-key", "102234").upstream(200));
		assertThat(first.passed()).isTrue();
		assertThat(first.upstreamResponseHeader("x-ratelimit-limit")).isEqualTo("2");
		assertThat(first.upstreamResponseHeader("x-ratelimit-remaining")).isEqualTo("1");
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "102234")).passed()).isTrue();
		TestResult limited = send(configuration, TestRequest.get("/", "x-ca-key", "102234"));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.body()).isEqualTo("Too many requests");
		assertThat(limited.responseHeader("x-ratelimit-limit")).isEqualTo("2");
		assertThat(limited.responseHeader("x-ratelimit-remaining")).isEqualTo("0");
		assertThat(limited.responseHeader("x-ratelimit-reset")).isEqualTo("60");
		assertThat(limited.reply().details()).isEqualTo("cluster-key-rate-limit.rejected");
		assertThat(plugin.redis().commands().get(plugin.redis().commands().size() - 1).get(3))
			.isEqualTo("higress-cluster-key-rate-limit:by-header:limit_by_header:60:2:x-ca-key:102234");
		// other values are not limited by this item
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "999")).passed()).isTrue();
		plugin.advance(Duration.ofMinutes(1));
		assertThat(send(configuration, TestRequest.get("/", "x-ca-key", "102234")).passed()).isTrue();
	}

	@Test
	void perValueItemsWithRegexpAndWildcard() {
		TestConfiguration configuration = configure("""
				"rule_name": "per-param", "rejected_code": 503, "rejected_msg": "{\\"code\\":-1}",
				"rule_items": [{"limit_by_per_param": "apikey", "limit_keys": [
				  {"key": "regexp:^a.*", "query_per_second": 1}, {"key": "*", "query_per_second": 2}]}]""");
		assertThat(send(configuration, TestRequest.get("/?apikey=a1")).passed()).isTrue();
		TestResult limited = send(configuration, TestRequest.get("/?apikey=a1"));
		assertThat(limited.status()).isEqualTo(503);
		assertThat(limited.body()).isEqualTo("{\"code\":-1}");
		assertThat(limited.responseHeader("x-ratelimit-limit")).isNull();
		// each value has its own counter
		assertThat(send(configuration, TestRequest.get("/?apikey=a2")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/?apikey=b1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/?apikey=b1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/?apikey=b1")).status()).isEqualTo(503);
		assertThat(send(configuration, TestRequest.get("/")).passed()).isTrue();
	}

	@Test
	void consumerCookieAndClientIpItems() {
		TestConfiguration configuration = configure(
				"""
						"rule_name": "mixed", "rule_items": [
						  {"limit_by_consumer": "", "limit_keys": [{"key": "consumer1", "query_per_second": 1}]},
						  {"limit_by_cookie": "session", "limit_keys": [{"key": "s1", "query_per_second": 1}]},
						  {"limit_by_per_ip": "from-header-x-forwarded-for", "limit_keys": [
						    {"key": "10.0.0.0/8", "query_per_second": 1}, {"key": "2001:db8::/32", "query_per_second": 1}]}]""");
		assertThat(send(configuration, TestRequest.get("/", "x-mse-consumer", "consumer1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-mse-consumer", "consumer1")).status()).isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/", "cookie", "a=b; session=s1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "cookie", "session=s1")).status()).isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "10.1.2.3, 192.168.0.1")).passed())
			.isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "10.1.2.3")).status()).isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "10.9.9.9")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "2001:db8::1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "2001:db8:0:0::1")).status())
			.isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "192.168.0.1")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/", "x-forwarded-for", "not-an-ip")).passed()).isTrue();
	}

	@Test
	void remoteAddressItem() {
		TestConfiguration configuration = configure("""
				"rule_name": "remote", "rule_items": [{"limit_by_per_ip": "from-remote-addr",
				  "limit_keys": [{"key": "0.0.0.0/0", "query_per_second": 1}]}]""");
		TestRequest first = TestRequest.get("/");
		first.property("source.address", "192.0.2.7:51234");
		assertThat(send(configuration, first).passed()).isTrue();
		TestRequest second = TestRequest.get("/");
		second.property("source.address", "192.0.2.7:51235");
		assertThat(send(configuration, second).status()).isEqualTo(429);
	}

	@Test
	void globalThresholdCountsEveryRequest() {
		TestConfiguration configuration = configure(
				"\"rule_name\": \"all\", \"global_threshold\": {\"query_per_hour\": 2}");
		assertThat(send(configuration, TestRequest.get("/a")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/b")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/c")).status()).isEqualTo(429);
		assertThat(plugin.redis().value("higress-cluster-key-rate-limit:all:global_threshold:3600:2")).isEqualTo("-1");
	}

	@Test
	void requestWaitsForAnAsynchronousReply() {
		TestConfiguration configuration = configure(
				"\"rule_name\": \"async\", \"global_threshold\": {\"query_per_day\": 1}");
		plugin.redis().hold();
		TestResult allowed = plugin.send(configuration, TestRequest.get("/"));
		assertThat(allowed.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.PAUSE_ALL);
		assertThat(allowed.paused()).isTrue();
		plugin.release();
		assertThat(allowed.passed()).isTrue();
		TestResult rejected = plugin.send(configuration, TestRequest.get("/"));
		assertThat(rejected.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.PAUSE_ALL);
		plugin.release();
		assertThat(rejected.status()).isEqualTo(429);
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void redisFailuresLetTrafficThroughAndAreLogged() {
		TestConfiguration configuration = configure(
				"\"rule_name\": \"down\", \"global_threshold\": {\"query_per_second\": 1}");
		plugin.redis().down();
		plugin.logs().clear();
		for (int i = 0; i < 3; i++) {
			assertThat(send(configuration, TestRequest.get("/")).passed()).isTrue();
		}
		assertThat(plugin.logs().contains("failed or answered unexpectedly (status 1); the request is let through"))
			.isTrue();
		plugin.redis().garbage();
		assertThat(send(configuration, TestRequest.get("/")).passed()).isTrue();
		assertThat(plugin.logs().contains("(no RESP reply)")).isTrue();
		plugin.redis().knowsClusters(false);
		assertThat(send(configuration, TestRequest.get("/")).passed()).isTrue();
		assertThat(plugin.logs().contains("Redis call to 'outbound|80||redis.static' failed")).isTrue();
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void rulesPerRoute() {
		TestConfiguration configuration = plugin.configure("{\"_rules_\": [{\"_match_route_\": [\"limited\"], " + REDIS
				+ ", \"rule_name\": \"r\", \"global_threshold\": {\"query_per_day\": 1}}]}");
		assertThat(send(configuration, TestRequest.get("/").route("limited")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/").route("limited")).status()).isEqualTo(429);
		assertThat(send(configuration, TestRequest.get("/").route("free")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{\"rule_name\": \"x\", \"global_threshold\": {\"query_per_second\": 1}}"))
			.contains("cluster-key-rate-limit: configuration refused: redis is required");
		assertThat(plugin.refused("{" + REDIS + ", \"global_threshold\": {\"query_per_second\": 1}}"))
			.contains("rule_name is required");
		assertThat(plugin.refused("{" + REDIS + ", \"rule_name\": \"x\"}"))
			.contains("exactly one of global_threshold and rule_items must be set");
		assertThat(plugin.refused("{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_keys\": []}]}"))
			.contains("rule_items[0] needs exactly one of limit_by_header");
		assertThat(
				plugin.refused("{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_by_per_header\": \"h\","
						+ " \"limit_keys\": [{\"key\": \"abc\", \"query_per_second\": 1}]}]}"))
			.contains("rule_items[0].limit_keys[0].key of limit_by_per_header must be '*' or start with 'regexp:'");
		assertThat(plugin
			.refused("{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_by_per_ip\": \"from-nowhere\","
					+ " \"limit_keys\": [{\"key\": \"1.1.1.1\", \"query_per_second\": 1}]}]}"))
			.contains("limit_by_per_ip must be 'from-header-<header name>' or 'from-remote-addr'");
		assertThat(plugin.refused(
				"{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_by_per_ip\": \"from-remote-addr\","
						+ " \"limit_keys\": [{\"key\": \"1.1.1.300\", \"query_per_second\": 1}]}]}"))
			.contains("must be an IP address or range");
		plugin.redis().knowsClusters(false);
		assertThat(plugin
			.refused("{" + REDIS + ", \"rule_name\": \"x\", \"global_threshold\": {\"query_per_second\": 1}}"))
			.contains("redis: the gateway knows no Redis cluster 'outbound|80||redis.static'");
		assertThat(plugin.failures()).isZero();
	}

}
