package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.gateway.EchoUpstream;
import io.github.wasmgateway.redis.RedisGatewayTestApplication.Gateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Plugins' Redis calls and Redis-backed shared data through two real gateway instances
 * over HTTP, with the exerciser and higress-profile fixtures (fixtures/README.md) and a
 * real redis-server.
 */
class RedisGatewayTests {

	static RedisServer redis;

	static RedisServer secured;

	static RedisServer flaky;

	static EchoUpstream upstream;

	static Gateway first;

	static Gateway second;

	@BeforeAll
	static void start() {
		redis = RedisServer.launch();
		secured = RedisServer.launch("--requirepass", "s3cret");
		flaky = RedisServer.launch();
		upstream = new EchoUpstream();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("test.redis", redis.url());
		properties.put("test.secured-redis", secured.url());
		properties.put("test.flaky-redis", flaky.url());
		properties.put("test.upstream", upstream.url());
		first = RedisGatewayTestApplication.start("redis", properties);
		second = RedisGatewayTestApplication.start("redis", properties);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { first, second, upstream, redis, secured, flaky }) {
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

	static WebTestClient client(Gateway gateway) {
		return WebTestClient.bindToServer().baseUrl(gateway.url()).responseTimeout(Duration.ofSeconds(10)).build();
	}

	/** What the echo upstream saw: its request headers, one "name: value" a line. */
	static String upstreamSaw(Gateway gateway, String path, String... headers) {
		return client(gateway).get().uri(path).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	static String header(String seen, String name) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + ": (.*)$").matcher(seen);
		assertThat(matcher.find()).as("header %s in:\n%s", name, seen).isTrue();
		return matcher.group(1);
	}

	/**
	 * The exerciser's redis-call with an inline command; the reply as the plugin read it
	 * (CR/LF removed).
	 */
	static String redisCall(Gateway gateway, String cluster, String command) {
		String seen = upstreamSaw(gateway, "/ex/redis", "x-op", "redis-call", "x-cluster", cluster, "x-value", command);
		assertThat(header(seen, "x-status")).isEqualTo("0");
		assertThat(header(seen, "x-redis-status")).as("status of %s", command).isEqualTo("0");
		return header(seen, "x-redis-reply");
	}

	static String redisInit(Gateway gateway, String cluster, String username, String password) {
		return header(upstreamSaw(gateway, "/ex/init", "x-op", "redis-init", "x-cluster", cluster, "x-username",
				username, "x-password", password), "x-status");
	}

	@Test
	void higressPluginInitializesAtConfigureAndPingsOnEveryRequest() {
		for (Gateway gateway : List.of(first, second)) {
			String seen = upstreamSaw(gateway, "/hp/ping");
			assertThat(header(seen, "x-redis-init-status")).isEqualTo("0");
			assertThat(header(seen, "x-redis-reply")).isEqualTo("+PONG");
			assertThat(header(seen, "x-redis-status")).isEqualTo("0");
		}
	}

	@Test
	void everyReplyTypeReachesThePluginAsRedisSentIt() {
		assertThat(redisInit(first, "redis", "", "")).isEqualTo("0");
		String key = "gw:" + System.nanoTime();
		assertThat(redisCall(first, "redis", "PING")).isEqualTo("+PONG");
		assertThat(redisCall(first, "redis", "SET " + key + " hello")).isEqualTo("+OK");
		assertThat(redisCall(first, "redis", "GET " + key)).isEqualTo("$5hello");
		assertThat(redisCall(first, "redis", "INCR " + key + ":n")).isEqualTo(":1");
		assertThat(redisCall(first, "redis", "GET " + key + ":missing")).isEqualTo("$-1");
		assertThat(redisCall(first, "redis", "RPUSH " + key + ":l a bc")).isEqualTo(":2");
		assertThat(redisCall(first, "redis", "LRANGE " + key + ":l 0 -1")).isEqualTo("*2$1a$2bc");
		assertThat(redisCall(first, "redis", "BLPOP " + key + ":none 0.01")).isEqualTo("*-1");
		assertThat(redisCall(first, "redis", "NOSUCH x")).startsWith("-ERR unknown command");
		assertThat(redisCall(first, "redis",
				"EVAL \"return {1, 'two', {3, false}, redis.status_reply('FINE'), redis.error_reply('BAD thing')}\" 0"))
			.isEqualTo("*5:1$3two*2:3$-1+FINE-BAD thing");
		assertThat(
				redisCall(first, "redis", "EVAL \"return redis.call('INCRBY', KEYS[1], ARGV[1])\" 1 " + key + ":n 41"))
			.isEqualTo(":42");
		// the other gateway instance sees the same Redis
		assertThat(redisInit(second, "redis", "", "")).isEqualTo("0");
		assertThat(redisCall(second, "redis", "GET " + key)).isEqualTo("$5hello");
	}

	@Test
	void unknownClusterIsBadArgument() {
		assertThat(redisInit(first, "nowhere", "", "")).isEqualTo("2");
		assertThat(redisInit(first, "outbound|6379||nowhere.default.svc.cluster.local", "", "")).isEqualTo("2");
		String seen = upstreamSaw(first, "/ex/redis", "x-op", "redis-call", "x-cluster", "nowhere");
		assertThat(header(seen, "x-status")).isEqualTo("2");
	}

	@Test
	void higressNamesMapByTheirHostPart() {
		String name = "outbound|6379||redis.default.svc.cluster.local?db=1";
		assertThat(redisInit(first, name, "", "")).isEqualTo("0");
		assertThat(redisCall(first, name, "CLIENT INFO")).contains(" db=1 ");
	}

	@Test
	void wrongPasswordIsAStatusTheRequestGoesOn() {
		assertThat(redisInit(first, "secured", "", "wrong")).isEqualTo("0");
		String seen = upstreamSaw(first, "/ex/redis", "x-op", "redis-call", "x-cluster", "secured");
		assertThat(header(seen, "x-redis-status"))
			.as("status of a call with a wrong password; the gateway's Redis health: %s",
					first.context().getBean(WasmRedisHealthIndicator.class).health().getDetails())
			.isEqualTo(Integer.toString(RedisFailures.REJECTED));
		assertThat(header(seen, "x-redis-reply")).isEmpty();
		assertThat(redisInit(first, "secured", "", "s3cret")).isEqualTo("0");
		assertThat(redisCall(first, "secured", "PING")).isEqualTo("+PONG");
	}

	@Test
	void redisStoppedMidRunIsAStatusAndCallsRecoverWhenItIsBack() throws Exception {
		assertThat(redisInit(first, "flaky", "", "")).isEqualTo("0");
		assertThat(redisCall(first, "flaky", "PING")).isEqualTo("+PONG");
		flaky.stop();
		try {
			List<String> statuses = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				// answered, not stuck: the plugin got a failure status and let the
				// request
				// go on
				String seen = upstreamSaw(first, "/ex/redis", "x-op", "redis-call", "x-cluster", "flaky");
				statuses.add(header(seen, "x-redis-status"));
			}
			// status 1 at once, never 2 (a call that waited for its timeout)
			assertThat(statuses).containsOnly(Integer.toString(RedisFailures.NETWORK));
		}
		finally {
			flaky.start();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		String status;
		do {
			Thread.sleep(50);
			status = header(upstreamSaw(first, "/ex/redis", "x-op", "redis-call", "x-cluster", "flaky"),
					"x-redis-status");
		}
		while (!status.equals("0") && System.nanoTime() < deadline);
		assertThat(status).isEqualTo("0");
		assertThat(redisCall(first, "flaky", "PING")).isEqualTo("+PONG");
	}

	@Test
	void sharedDataInRedisIsSharedByBothGatewaysWithCompareAndSwap() {
		String key = "shared-" + System.nanoTime();
		String set = upstreamSaw(first, "/ex/shared", "x-op", "shared-set", "x-key", key, "x-value", "one");
		assertThat(header(set, "x-status")).isEqualTo("0");
		String got = upstreamSaw(second, "/ex/shared", "x-op", "shared-get", "x-key", key);
		assertThat(header(got, "x-status")).isEqualTo("0");
		assertThat(header(got, "x-result")).isEqualTo("one");
		String cas = header(got, "x-result-cas");
		assertThat(Integer.parseInt(cas)).isPositive();
		// the second gateway writes with the token it read; the first one's token is then
		// stale
		assertThat(header(
				upstreamSaw(second, "/ex/shared", "x-op", "shared-set", "x-key", key, "x-value", "two", "x-cas", cas),
				"x-status"))
			.isEqualTo("0");
		assertThat(header(
				upstreamSaw(first, "/ex/shared", "x-op", "shared-set", "x-key", key, "x-value", "three", "x-cas", cas),
				"x-status"))
			.isEqualTo("8");
		String now = upstreamSaw(first, "/ex/shared", "x-op", "shared-get", "x-key", key);
		assertThat(header(now, "x-result")).isEqualTo("two");
		assertThat(Integer.parseInt(header(now, "x-result-cas"))).isEqualTo(Integer.parseInt(cas) + 1);
		assertThat(
				header(upstreamSaw(second, "/ex/shared", "x-op", "shared-get", "x-key", key + "-absent"), "x-status"))
			.isEqualTo("1");
		// keys are namespaced per plugin
		assertThat(redis.command("HGET", "wasm-gateway:shared-data:exerciser:" + key, "v")).isEqualTo("$3");
	}

}
