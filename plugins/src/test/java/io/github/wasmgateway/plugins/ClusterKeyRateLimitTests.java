package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.StreamDirection;
import io.github.wasmgateway.plugins.PluginHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * cluster-key-rate-limit through the engine in PRECOMPILED mode, against an in-memory
 * Redis that runs the fixed-window script.
 */
class ClusterKeyRateLimitTests {

	static final PluginHarness harness = new PluginHarness("cluster-key-rate-limit");

	static final String REDIS = "\"redis\": {\"service_name\": \"redis.static\", \"password\": \"s3cret\", \"timeout\": 500}";

	@AfterAll
	static void close() {
		harness.close();
	}

	@AfterEach
	void redisBackToNormal() {
		harness.redis.mode = FakeRedis.Mode.NORMAL;
		harness.redis.knowsClusters = true;
	}

	static PluginConfiguration configure(String rest) {
		return harness.configure("{" + REDIS + ", " + rest + "}");
	}

	static Result send(PluginConfiguration configuration, TestExchange exchange) {
		return harness.send(configuration, exchange);
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
		java.util.Map<String, TestExchange> examples = new java.util.LinkedHashMap<>();
		examples.put("""
				rule_name: routeA-global-limit-rule \s
				global_threshold: \s
				  query_per_minute: 1000 # Maximum 1000 requests per minute for the entire route \s
				""" + redis, TestExchange.get("/"));
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
					+ redis, TestExchange.get("/?apikey=9a342114-ba8a-11ec-b1bf-00163e1250b5"));
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
				""" + redis, TestExchange.get("/", "x-ca-key", "102234"));
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
				""" + redis, TestExchange.get("/", "x-forwarded-for", "1.1.1.1"));
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
					+ redis, TestExchange.get("/", "x-mse-consumer", "consumer1"));
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
					+ redis, TestExchange.get("/", "cookie", "key1=value1"));
		examples.forEach((yaml, request) -> {
			PluginConfiguration configuration = harness.configure(HigressExamples.yamlToJson(yaml));
			int calls = harness.redis.commands.size();
			Result result = send(configuration, request.withResponse(200));
			assertThat(result.passed()).as(yaml).isTrue();
			assertThat(harness.redis.commands).as(yaml).hasSize(calls + 1);
			assertThat(result.upstreamResponseHeader("x-ratelimit-remaining")).as(yaml).isNotNull();
		});
	}

	@Test
	void initializesRedisWithHigressClusterName() {
		configure("\"rule_name\": \"init\", \"global_threshold\": {\"query_per_second\": 5}");
		assertThat(harness.redis.initialized).contains("outbound|80||redis.static user= password=s3cret timeout=500");
		harness.configure("{\"redis\": {\"service_name\": \"redis.svc\", \"database\": 2, \"username\": \"u\"},"
				+ " \"rule_name\": \"db\", \"global_threshold\": {\"query_per_second\": 5}}");
		assertThat(harness.redis.initialized).contains("outbound|6379||redis.svc?db=2 user=u password= timeout=1000");
	}

	@Test
	void limitsPerHeaderValueWithQuotaHeaders() {
		PluginConfiguration configuration = configure(
				"""
						"rule_name": "by-header", "show_limit_quota_header": true,
						"rule_items": [{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "102234", "query_per_minute": 2}]}]""");
		Result first = send(configuration, TestExchange.get("/", "x-ca-key", "102234").withResponse(200));
		assertThat(first.passed()).isTrue();
		assertThat(first.upstreamResponseHeader("x-ratelimit-limit")).isEqualTo("2");
		assertThat(first.upstreamResponseHeader("x-ratelimit-remaining")).isEqualTo("1");
		assertThat(send(configuration, TestExchange.get("/", "x-ca-key", "102234")).passed()).isTrue();
		Result limited = send(configuration, TestExchange.get("/", "x-ca-key", "102234"));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.body()).isEqualTo("Too many requests");
		assertThat(limited.responseHeader("x-ratelimit-limit")).isEqualTo("2");
		assertThat(limited.responseHeader("x-ratelimit-remaining")).isEqualTo("0");
		assertThat(limited.responseHeader("x-ratelimit-reset")).isEqualTo("60");
		assertThat(limited.response().details()).isEqualTo("cluster-key-rate-limit.rejected");
		assertThat(harness.redis.commands.get(harness.redis.commands.size() - 1).get(3))
			.isEqualTo("higress-cluster-key-rate-limit:by-header:limit_by_header:60:2:x-ca-key:102234");
		// other values are not limited by this item
		assertThat(send(configuration, TestExchange.get("/", "x-ca-key", "999")).passed()).isTrue();
		harness.clock.advance(Duration.ofMinutes(1));
		assertThat(send(configuration, TestExchange.get("/", "x-ca-key", "102234")).passed()).isTrue();
	}

	@Test
	void perValueItemsWithRegexpAndWildcard() {
		PluginConfiguration configuration = configure("""
				"rule_name": "per-param", "rejected_code": 503, "rejected_msg": "{\\"code\\":-1}",
				"rule_items": [{"limit_by_per_param": "apikey", "limit_keys": [
				  {"key": "regexp:^a.*", "query_per_second": 1}, {"key": "*", "query_per_second": 2}]}]""");
		assertThat(send(configuration, TestExchange.get("/?apikey=a1")).passed()).isTrue();
		Result limited = send(configuration, TestExchange.get("/?apikey=a1"));
		assertThat(limited.status()).isEqualTo(503);
		assertThat(limited.body()).isEqualTo("{\"code\":-1}");
		assertThat(limited.responseHeader("x-ratelimit-limit")).isNull();
		// each value has its own counter
		assertThat(send(configuration, TestExchange.get("/?apikey=a2")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/?apikey=b1")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/?apikey=b1")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/?apikey=b1")).status()).isEqualTo(503);
		assertThat(send(configuration, TestExchange.get("/")).passed()).isTrue();
	}

	@Test
	void consumerCookieAndClientIpItems() {
		PluginConfiguration configuration = configure(
				"""
						"rule_name": "mixed", "rule_items": [
						  {"limit_by_consumer": "", "limit_keys": [{"key": "consumer1", "query_per_second": 1}]},
						  {"limit_by_cookie": "session", "limit_keys": [{"key": "s1", "query_per_second": 1}]},
						  {"limit_by_per_ip": "from-header-x-forwarded-for", "limit_keys": [
						    {"key": "10.0.0.0/8", "query_per_second": 1}, {"key": "2001:db8::/32", "query_per_second": 1}]}]""");
		assertThat(send(configuration, TestExchange.get("/", "x-mse-consumer", "consumer1")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/", "x-mse-consumer", "consumer1")).status()).isEqualTo(429);
		assertThat(send(configuration, TestExchange.get("/", "cookie", "a=b; session=s1")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/", "cookie", "session=s1")).status()).isEqualTo(429);
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "10.1.2.3, 192.168.0.1")).passed())
			.isTrue();
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "10.1.2.3")).status()).isEqualTo(429);
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "10.9.9.9")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "2001:db8::1")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "2001:db8:0:0::1")).status())
			.isEqualTo(429);
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "192.168.0.1")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/", "x-forwarded-for", "not-an-ip")).passed()).isTrue();
	}

	@Test
	void remoteAddressItem() {
		PluginConfiguration configuration = configure("""
				"rule_name": "remote", "rule_items": [{"limit_by_per_ip": "from-remote-addr",
				  "limit_keys": [{"key": "0.0.0.0/0", "query_per_second": 1}]}]""");
		TestExchange first = TestExchange.get("/");
		first.properties.put("source.address", "192.0.2.7:51234");
		assertThat(send(configuration, first).passed()).isTrue();
		TestExchange second = TestExchange.get("/");
		second.properties.put("source.address", "192.0.2.7:51235");
		assertThat(send(configuration, second).status()).isEqualTo(429);
	}

	@Test
	void globalThresholdCountsEveryRequest() {
		PluginConfiguration configuration = configure(
				"\"rule_name\": \"all\", \"global_threshold\": {\"query_per_hour\": 2}");
		assertThat(send(configuration, TestExchange.get("/a")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/b")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/c")).status()).isEqualTo(429);
		assertThat(harness.redis.value("higress-cluster-key-rate-limit:all:global_threshold:3600:2")).isEqualTo(-1L);
	}

	@Test
	void requestWaitsForAnAsynchronousReply() {
		PluginConfiguration configuration = configure(
				"\"rule_name\": \"async\", \"global_threshold\": {\"query_per_day\": 1}");
		harness.redis.mode = FakeRedis.Mode.HOLD;
		TestExchange allowed = TestExchange.get("/");
		HttpStream stream = harness.plugin.openStream(configuration, allowed);
		assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ALL_AND_WATERMARK);
		harness.redis.releaseHeld();
		assertThat(allowed.resumed).containsExactly(StreamDirection.REQUEST);
		stream.finish();
		TestExchange rejected = TestExchange.get("/");
		HttpStream second = harness.plugin.openStream(configuration, rejected);
		assertThat(second.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ALL_AND_WATERMARK);
		harness.redis.releaseHeld();
		assertThat(rejected.responses).singleElement()
			.satisfies((response) -> assertThat(response.status()).isEqualTo(429));
		second.finish();
	}

	@Test
	void redisFailuresLetTrafficThroughAndAreLogged() {
		PluginConfiguration configuration = configure(
				"\"rule_name\": \"down\", \"global_threshold\": {\"query_per_second\": 1}");
		harness.redis.mode = FakeRedis.Mode.DOWN;
		harness.logger.lines.clear();
		for (int i = 0; i < 3; i++) {
			assertThat(send(configuration, TestExchange.get("/")).passed()).isTrue();
		}
		assertThat(harness.logger.contains("failed or answered unexpectedly (status 1); the request is let through"))
			.isTrue();
		harness.redis.mode = FakeRedis.Mode.GARBAGE;
		assertThat(send(configuration, TestExchange.get("/")).passed()).isTrue();
		assertThat(harness.logger.contains("(no RESP reply)")).isTrue();
		harness.redis.knowsClusters = false;
		assertThat(send(configuration, TestExchange.get("/")).passed()).isTrue();
		assertThat(harness.logger.contains("Redis call to 'outbound|80||redis.static' failed")).isTrue();
		assertThat(harness.failures()).isZero();
	}

	@Test
	void rulesPerRoute() {
		PluginConfiguration configuration = harness.configure("{\"_rules_\": [{\"_match_route_\": [\"limited\"], "
				+ REDIS + ", \"rule_name\": \"r\", \"global_threshold\": {\"query_per_day\": 1}}]}");
		assertThat(send(configuration, TestExchange.get("/").route("limited")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/").route("limited")).status()).isEqualTo(429);
		assertThat(send(configuration, TestExchange.get("/").route("free")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(harness.refused("{\"rule_name\": \"x\", \"global_threshold\": {\"query_per_second\": 1}}"))
			.contains("cluster-key-rate-limit: configuration refused: redis is required");
		assertThat(harness.refused("{" + REDIS + ", \"global_threshold\": {\"query_per_second\": 1}}"))
			.contains("rule_name is required");
		assertThat(harness.refused("{" + REDIS + ", \"rule_name\": \"x\"}"))
			.contains("exactly one of global_threshold and rule_items must be set");
		assertThat(harness.refused("{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_keys\": []}]}"))
			.contains("rule_items[0] needs exactly one of limit_by_header");
		assertThat(harness
			.refused("{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_by_per_header\": \"h\","
					+ " \"limit_keys\": [{\"key\": \"abc\", \"query_per_second\": 1}]}]}"))
			.contains("rule_items[0].limit_keys[0].key of limit_by_per_header must be '*' or start with 'regexp:'");
		assertThat(harness
			.refused("{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_by_per_ip\": \"from-nowhere\","
					+ " \"limit_keys\": [{\"key\": \"1.1.1.1\", \"query_per_second\": 1}]}]}"))
			.contains("limit_by_per_ip must be 'from-header-<header name>' or 'from-remote-addr'");
		assertThat(harness.refused(
				"{" + REDIS + ", \"rule_name\": \"x\", \"rule_items\": [{\"limit_by_per_ip\": \"from-remote-addr\","
						+ " \"limit_keys\": [{\"key\": \"1.1.1.300\", \"query_per_second\": 1}]}]}"))
			.contains("must be an IP address or range");
		harness.redis.knowsClusters = false;
		assertThat(harness
			.refused("{" + REDIS + ", \"rule_name\": \"x\", \"global_threshold\": {\"query_per_second\": 1}}"))
			.contains("redis: the gateway knows no Redis cluster 'outbound|80||redis.static'");
		assertThat(harness.failures()).isZero();
	}

}
