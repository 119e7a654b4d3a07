package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.gateway.EchoUpstream;
import io.github.wasmgateway.redis.RedisGatewayTestApplication.Gateway;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 6 end to end: the built-in cluster-key-rate-limit plugin on two gateway instances
 * that share one Redis enforces one fixed-window limit per header, query parameter and
 * consumer, with X-RateLimit-* headers and 429 over the limit; with Redis down it lets
 * requests through, and limits apply again when Redis is back.
 */
class ClusterKeyRateLimitTests {

	static RedisServer redis;

	static EchoUpstream upstream;

	static Gateway first;

	static Gateway second;

	@BeforeAll
	static void start() {
		redis = RedisServer.launch();
		upstream = new EchoUpstream();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("test.redis", redis.url());
		properties.put("test.upstream", upstream.url());
		first = RedisGatewayTestApplication.start("ratelimit", properties);
		second = RedisGatewayTestApplication.start("ratelimit", properties);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { first, second, upstream, redis }) {
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

	static EntityExchangeResult<String> get(Gateway gateway, String path, String... headers) {
		return WebTestClient.bindToServer()
			.baseUrl(gateway.url())
			.responseTimeout(Duration.ofSeconds(10))
			.build()
			.get()
			.uri(path)
			.headers((h) -> {
				for (int i = 0; i < headers.length; i += 2) {
					h.add(headers[i], headers[i + 1]);
				}
			})
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	static int status(EntityExchangeResult<String> result) {
		return result.getStatus().value();
	}

	static String limit(EntityExchangeResult<String> result) {
		return result.getResponseHeaders().getFirst("X-RateLimit-Limit");
	}

	static String remaining(EntityExchangeResult<String> result) {
		return result.getResponseHeaders().getFirst("X-RateLimit-Remaining");
	}

	@Test
	void twoGatewaysShareOneLimitPerHeaderValue() {
		List<Gateway> alternate = List.of(first, second);
		for (int i = 0; i < 5; i++) {
			EntityExchangeResult<String> allowed = get(alternate.get(i % 2), "/header/a", "x-api-key", "alice");
			assertThat(status(allowed)).as("request %d", i + 1).isEqualTo(200);
			assertThat(allowed.getResponseBody()).startsWith("GET /header/a");
			assertThat(limit(allowed)).isEqualTo("5");
			assertThat(remaining(allowed)).isEqualTo(Integer.toString(4 - i));
		}
		for (Gateway gateway : alternate) {
			EntityExchangeResult<String> rejected = get(gateway, "/header/a", "x-api-key", "alice");
			assertThat(status(rejected)).isEqualTo(429);
			assertThat(rejected.getResponseBody()).isEqualTo("Too many requests");
			assertThat(limit(rejected)).isEqualTo("5");
			assertThat(remaining(rejected)).isEqualTo("0");
			assertThat(Integer.parseInt(rejected.getResponseHeaders().getFirst("X-RateLimit-Reset"))).isBetween(1, 60);
		}
		// a key without a limit is not counted
		EntityExchangeResult<String> other = get(second, "/header/a", "x-api-key", "bob");
		assertThat(status(other)).isEqualTo(200);
		assertThat(other.getResponseHeaders().containsHeader("X-RateLimit-Limit")).isFalse();
	}

	@Test
	void eachQueryParameterValueHasItsOwnWindowAcrossGateways() {
		assertThat(status(get(first, "/param/a?user=x"))).isEqualTo(200);
		EntityExchangeResult<String> last = get(second, "/param/a?user=x");
		assertThat(status(last)).isEqualTo(200);
		assertThat(remaining(last)).isEqualTo("0");
		assertThat(status(get(first, "/param/a?user=x"))).isEqualTo(429);
		assertThat(status(get(second, "/param/a?user=y"))).isEqualTo(200);
	}

	@Test
	void consumerLimitAnswersWithTheConfiguredRejection() {
		for (int i = 0; i < 3; i++) {
			assertThat(status(get((i % 2 == 0) ? first : second, "/consumer/a", "x-mse-consumer", "team-a")))
				.isEqualTo(200);
		}
		EntityExchangeResult<String> rejected = get(first, "/consumer/a", "x-mse-consumer", "team-a");
		assertThat(status(rejected)).isEqualTo(503);
		assertThat(rejected.getResponseBody()).isEqualTo("slow down");
		// quota headers are off for this rule
		HttpHeaders headers = rejected.getResponseHeaders();
		assertThat(headers.containsHeader("X-RateLimit-Limit")).isFalse();
	}

	@Test
	void withRedisDownRequestsAreLetThroughAndLimitsReturnWithIt() throws Exception {
		redis.stop();
		try {
			for (int i = 0; i < 8; i++) {
				EntityExchangeResult<String> passed = get((i % 2 == 0) ? first : second, "/param/down?user=z");
				assertThat(status(passed)).isEqualTo(200);
				assertThat(passed.getResponseHeaders().containsHeader("X-RateLimit-Limit")).isFalse();
			}
		}
		finally {
			redis.start();
		}
		// once Redis answers again, counting starts over in the restarted (empty) Redis;
		// each gateway reconnects on its own, and a request before that is let through
		// uncounted
		EntityExchangeResult<String> counted = untilCounted(first, "/param/back?user=w");
		assertThat(limit(counted)).isEqualTo("2");
		assertThat(status(untilCounted(second, "/param/back?user=w"))).isEqualTo(200);
		assertThat(status(get(second, "/param/back?user=w"))).isEqualTo(429);
	}

	/** The first answer of {@code gateway} that counted in Redis (within 30 s). */
	private static EntityExchangeResult<String> untilCounted(Gateway gateway, String path) throws Exception {
		return Eventually.poll(() -> get(gateway, path),
				(answer) -> answer.getResponseHeaders().getFirst("X-RateLimit-Limit") != null, Duration.ofSeconds(30),
				Duration.ofMillis(100));
	}

}
