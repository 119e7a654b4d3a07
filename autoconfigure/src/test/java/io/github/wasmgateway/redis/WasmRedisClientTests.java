package io.github.wasmgateway.redis;

import static io.github.wasmgateway.redis.RedisTestSupport.await;
import static io.github.wasmgateway.redis.RedisTestSupport.call;
import static io.github.wasmgateway.redis.RedisTestSupport.resp;
import static io.github.wasmgateway.redis.RedisTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.redis.RedisTestSupport.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis host calls against a real redis-server: the raw RESP reply of every type,
 * scripts, cluster names, databases, authentication, timeouts and pipelining.
 */
class WasmRedisClientTests {

	static RedisServer redis;

	static RedisServer secured;

	RedisTestSupport.Client owner;

	WasmRedisClient client;

	String prefix;

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.launch();
		secured = RedisServer.launch("--requirepass", "default-secret", "--user", "alice", "on", ">alice-secret", "~*",
				"&*", "+@all");
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
		secured.close();
	}

	@BeforeEach
	void createClient() {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		properties.getClusters().put("redis", RedisTestSupport.cluster(redis.url()));
		WasmGatewayRedisProperties.Cluster second = RedisTestSupport.cluster(redis.url());
		second.setDatabase(2);
		properties.getClusters().put("redis-db2", second);
		properties.getClusters().put("secured", RedisTestSupport.cluster(secured.url()));
		WasmGatewayRedisProperties.Cluster configuredCredentials = RedisTestSupport.cluster(secured.url());
		configuredCredentials.setUsername("alice");
		configuredCredentials.setPassword("alice-secret");
		properties.getClusters().put("secured-alice", configuredCredentials);
		properties.setReconnectDelay(Duration.ofMillis(100));
		this.owner = RedisTestSupport.client(properties);
		this.client = this.owner.redis();
		// a timeout no busy machine reaches: thousands of pipelined calls must get
		// their replies, not TIMEOUT (the timeout tests init plugins of their own)
		assertThat(this.client.init("p", "redis", "", "", Duration.ofSeconds(60))).isTrue();
		this.prefix = "test:" + UUID.randomUUID() + ":";
	}

	@AfterEach
	void closeClient() {
		this.owner.close();
	}

	Reply redis(String... words) {
		return call(this.client, "p", "redis", words);
	}

	String text(String... words) {
		Reply reply = redis(words);
		assertThat(reply.status()).as("status of %s", List.of(words)).isZero();
		return reply.text();
	}

	@Test
	void everyReplyTypeComesBackAsTheRespBytesRedisSent() {
		String key = this.prefix + "k";
		assertThat(text("PING")).isEqualTo("+PONG\r\n");
		assertThat(text("SET", key, "value")).isEqualTo("+OK\r\n");
		assertThat(text("GET", key)).isEqualTo("$5\r\nvalue\r\n");
		assertThat(text("INCR", this.prefix + "n")).isEqualTo(":1\r\n");
		assertThat(text("INCRBY", this.prefix + "n", "-5")).isEqualTo(":-4\r\n");
		assertThat(text("GET", this.prefix + "missing")).isEqualTo("$-1\r\n");
		assertThat(text("SET", this.prefix + "empty", "")).isEqualTo("+OK\r\n");
		assertThat(text("GET", this.prefix + "empty")).isEqualTo("$0\r\n\r\n");
		assertThat(text("RPUSH", this.prefix + "list", "a", "bc")).isEqualTo(":2\r\n");
		assertThat(text("LRANGE", this.prefix + "list", "0", "-1")).isEqualTo("*2\r\n$1\r\na\r\n$2\r\nbc\r\n");
		assertThat(text("LRANGE", this.prefix + "none", "0", "-1")).isEqualTo("*0\r\n");
		assertThat(text("MGET", key, this.prefix + "missing")).isEqualTo("*2\r\n$5\r\nvalue\r\n$-1\r\n");
		assertThat(text("BLPOP", this.prefix + "none", "0.01")).isEqualTo("*-1\r\n");
		assertThat(text("INCR", this.prefix + "list")).startsWith("-WRONGTYPE ").endsWith("\r\n");
		assertThat(text("NOSUCHCOMMAND", "x")).startsWith("-ERR unknown command").endsWith("\r\n");
	}

	@Test
	void binaryValuesKeepEveryByte() {
		String value = "a\r\nb\u0000\u00ff$-1\r\n";
		assertThat(text("SET", this.prefix + "bin", value)).isEqualTo("+OK\r\n");
		assertThat(redis("GET", this.prefix + "bin").bytes())
			.isEqualTo(("$" + value.length() + "\r\n" + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
	}

	@Test
	void evalRunsScriptsAndNestedRepliesKeepTheirTypes() {
		assertThat(text("EVAL",
				"return {1, 'two', {3, false}, redis.status_reply('FINE'), redis.error_reply('BAD thing'), {}}", "0"))
			.isEqualTo("*6\r\n:1\r\n$3\r\ntwo\r\n*2\r\n:3\r\n$-1\r\n+FINE\r\n-BAD thing\r\n*0\r\n");
		assertThat(text("EVAL", "return redis.call('INCRBY', KEYS[1], ARGV[1])", "1", this.prefix + "n", "5"))
			.isEqualTo(":5\r\n");
		assertThat(text("EVAL", "return redis.error_reply('MY error')", "0")).isEqualTo("-MY error\r\n");
		assertThat(text("EVAL", "return redis.call('nosuch')", "0")).startsWith("-ERR ");
		String load = text("SCRIPT", "LOAD", "return ARGV[1] .. '!'");
		String sha = load.substring(load.indexOf("\r\n") + 2, load.length() - 2);
		assertThat(load).isEqualTo("$40\r\n" + sha + "\r\n");
		assertThat(text("EVALSHA", sha, "0", "hi")).isEqualTo("$3\r\nhi!\r\n");
		assertThat(text("evalsha", "0000000000000000000000000000000000000000", "0")).startsWith("-NOSCRIPT");
	}

	@Test
	void inlineCommandsAreSentAsCommands() {
		Reply reply = await(send(this.client, "p", "redis", "PING\r\n".getBytes(StandardCharsets.US_ASCII)));
		assertThat(reply.text()).isEqualTo("+PONG\r\n");
		reply = await(send(this.client, "p", "redis", "echo hello\r\n".getBytes(StandardCharsets.US_ASCII)));
		assertThat(reply.text()).isEqualTo("$5\r\nhello\r\n");
	}

	@Test
	void bytesThatAreNotOneCommandAreABadArgument() {
		assertThat(this.client.call("p", "redis", "*2\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII),
				(status, reply) -> {
					throw new AssertionError("no completion expected");
				}))
			.isFalse();
		byte[] two = (new String(resp("PING"), StandardCharsets.US_ASCII)
				+ new String(resp("PING"), StandardCharsets.US_ASCII))
			.getBytes(StandardCharsets.US_ASCII);
		assertThat(this.client.call("p", "redis", two, (status, reply) -> {
			throw new AssertionError("no completion expected");
		})).isFalse();
		assertThat(this.client.call("p", "redis", new byte[0], (status, reply) -> {
			throw new AssertionError("no completion expected");
		})).isFalse();
	}

	@Test
	void commandsThatWouldChangeTheSharedConnectionAreAnsweredWithAnError() {
		assertThat(text("MULTI")).startsWith("-ERR wasm-gateway: MULTI changes the state");
		assertThat(text("select", "3")).startsWith("-ERR wasm-gateway: SELECT");
		assertThat(text("SUBSCRIBE", "news")).startsWith("-ERR wasm-gateway: SUBSCRIBE");
		assertThat(text("CLIENT", "REPLY", "OFF")).startsWith("-ERR wasm-gateway: CLIENT REPLY");
		// the connection is untouched: still database 0, replies in order
		assertThat(text("PING")).isEqualTo("+PONG\r\n");
	}

	@Test
	void unknownClusterIsRefusedAtInitAndCallsWithoutInitAreRefused() {
		assertThat(this.client.init("p", "elsewhere", "", "", Duration.ofSeconds(1))).isFalse();
		assertThat(this.client.init("p", "outbound|6379||elsewhere.default.svc.cluster.local", "", "",
				Duration.ofSeconds(1)))
			.isFalse();
		assertThat(this.client.call("p", "elsewhere", resp("PING"), (status, reply) -> {
			throw new AssertionError("no completion expected");
		})).isFalse();
		// init is per plugin: another plugin did not init "redis"
		assertThat(this.client.call("other", "redis", resp("PING"), (status, reply) -> {
			throw new AssertionError("no completion expected");
		})).isFalse();
	}

	@Test
	void higressClusterNamesResolveByHostPartAndSelectTheirDatabase() {
		String full = "outbound|6379||redis.default.svc.cluster.local";
		String db3 = full + "?db=3";
		assertThat(this.client.init("p", full, "", "", Duration.ofSeconds(5))).isTrue();
		assertThat(this.client.init("p", db3, "", "", Duration.ofSeconds(5))).isTrue();
		assertThat(this.client.init("p", "outbound|6379||redis", "", "", Duration.ofSeconds(5))).isTrue();
		String key = this.prefix + "db";
		assertThat(call(this.client, "p", db3, "SET", key, "in-3").text()).isEqualTo("+OK\r\n");
		assertThat(call(this.client, "p", full, "GET", key).text()).isEqualTo("$-1\r\n");
		assertThat(call(this.client, "p", db3, "GET", key).text()).isEqualTo("$4\r\nin-3\r\n");
		assertThat(call(this.client, "p", "outbound|6379||redis", "PING").text()).isEqualTo("+PONG\r\n");
	}

	@Test
	void databaseThatDoesNotExistIsARejectedHandshake() {
		assertThat(this.client.init("p", "redis?db=999", "", "", Duration.ofSeconds(5))).isTrue();
		Reply reply = call(this.client, "p", "redis?db=999", "PING");
		assertThat(reply.status()).isEqualTo(RedisFailures.REJECTED);
		assertThat(reply.bytes()).isEmpty();
	}

	@Test
	void configuredDatabaseIsSelected() {
		assertThat(this.client.init("p", "redis-db2", "", "", Duration.ofSeconds(5))).isTrue();
		String key = this.prefix + "db2";
		assertThat(call(this.client, "p", "redis-db2", "SET", key, "two").text()).isEqualTo("+OK\r\n");
		assertThat(text("GET", key)).isEqualTo("$-1\r\n");
		assertThat(call(this.client, "p", "redis-db2", "CLIENT", "INFO").text()).contains(" db=2 ");
	}

	@Test
	void aclUserFromThePluginOrTheConfigurationAuthenticates() {
		assertThat(this.client.init("p", "secured", "alice", "alice-secret", Duration.ofSeconds(5))).isTrue();
		assertThat(call(this.client, "p", "secured", "ACL", "WHOAMI").text()).isEqualTo("$5\r\nalice\r\n");
		assertThat(this.client.init("q", "secured", "", "default-secret", Duration.ofSeconds(5))).isTrue();
		assertThat(call(this.client, "q", "secured", "ACL", "WHOAMI").text()).isEqualTo("$7\r\ndefault\r\n");
		assertThat(this.client.init("r", "secured-alice", "", "", Duration.ofSeconds(5))).isTrue();
		assertThat(call(this.client, "r", "secured-alice", "ACL", "WHOAMI").text()).isEqualTo("$5\r\nalice\r\n");
	}

	@Test
	void wrongPasswordIsAnAnswerNotACrash() {
		assertThat(this.client.init("p", "secured", "alice", "wrong", Duration.ofSeconds(5))).isTrue();
		Reply reply = call(this.client, "p", "secured", "PING");
		assertThat(reply.status()).isEqualTo(RedisFailures.REJECTED);
		assertThat(reply.bytes()).isEmpty();
		// no password at all: the server answers NOAUTH to the handshake's first command
		assertThat(this.client.init("q", "secured", "", "", Duration.ofSeconds(5))).isTrue();
		assertThat(call(this.client, "q", "secured", "PING").status()).isNotZero();
	}

	@Test
	void timeoutIsAnAnswerAndLaterRepliesStayInOrder() {
		assertThat(this.client.init("slow", "redis", "", "", Duration.ofMillis(100))).isTrue();
		String busy = """
				local t = redis.call('TIME')
				local start = t[1] * 1000000 + t[2]
				while true do
				  local n = redis.call('TIME')
				  if n[1] * 1000000 + n[2] - start > 800000 then break end
				end
				return 'late'
				""";
		CompletableFuture<Reply> late = send(this.client, "slow", "redis", resp("EVAL", busy, "0"));
		CompletableFuture<Reply> next = send(this.client, "p", "redis", resp("ECHO", "mine"));
		// the script's reply comes after 800 ms: the 100 ms timeout answered first
		Reply timedOut = await(late);
		assertThat(timedOut.status()).isEqualTo(RedisFailures.TIMEOUT);
		assertThat(timedOut.bytes()).isEmpty();
		// the script's late reply is read and dropped, never handed to the next call
		assertThat(await(next).text()).isEqualTo("$4\r\nmine\r\n");
		assertThat(text("ECHO", "after")).isEqualTo("$5\r\nafter\r\n");
	}

	@Test
	void pipelinedCallsFromManyThreadsEachGetTheirOwnReply() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<List<String>>> mismatches = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				mismatches.add(threads.submit(() -> {
					List<CompletableFuture<Reply>> replies = new ArrayList<>();
					for (int i = 0; i < 500; i++) {
						replies.add(send(this.client, "p", "redis", resp("ECHO", thread + ":" + i)));
					}
					List<String> wrong = new ArrayList<>();
					for (int i = 0; i < 500; i++) {
						String expected = thread + ":" + i;
						Reply reply = await(replies.get(i));
						if (reply.status() != 0
								|| !reply.text().equals("$" + expected.length() + "\r\n" + expected + "\r\n")) {
							wrong.add(expected + " -> " + reply.status() + " " + reply.text());
						}
					}
					return wrong;
				}));
			}
			for (Future<List<String>> wrong : mismatches) {
				assertThat(wrong.get()).isEmpty();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void redisStoppedMidRunFailsCallsFastAndTheyRecoverWhenItIsBack() throws Exception {
		try (RedisServer restarted = RedisServer.launch()) {
			WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
			properties.getClusters().put("r", RedisTestSupport.cluster(restarted.url()));
			properties.setReconnectDelay(Duration.ofMillis(200));
			try (RedisTestSupport.Client owner = RedisTestSupport.client(properties)) {
				WasmRedisClient client = owner.redis();
				assertThat(client.init("p", "r", "", "", Duration.ofSeconds(5))).isTrue();
				assertThat(call(client, "p", "r", "PING").text()).isEqualTo("+PONG\r\n");
				// calls in flight when the server goes away all complete
				List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					inFlight.add(send(client, "p", "r", resp("ECHO", "x" + i)));
				}
				restarted.stop();
				for (CompletableFuture<Reply> reply : inFlight) {
					Reply done = await(reply);
					assertThat(done.status() == 0 || done.bytes().length == 0).isTrue();
				}
				// while it is down: a network failure, at once (a call that waited for
				// the 5 s timeout would answer TIMEOUT)
				for (int i = 0; i < 5; i++) {
					Reply down = call(client, "p", "r", "PING");
					assertThat(down.status()).isEqualTo(RedisFailures.NETWORK);
					assertThat(down.bytes()).isEmpty();
					Thread.sleep(100);
				}
				restarted.start();
				Reply back = Eventually.poll(() -> call(client, "p", "r", "PING"), (reply) -> reply.status() == 0,
						Duration.ofSeconds(10), Duration.ofMillis(50));
				assertThat(back.text()).isEqualTo("+PONG\r\n");
				assertThat(call(client, "p", "r", "ECHO", "again").text()).isEqualTo("$5\r\nagain\r\n");
			}
		}
	}

	/**
	 * Many calls in flight at once on the shared connection each get their reply; what a
	 * call costs on loopback is printed (benchmarks/redis measures it under load).
	 */
	@Test
	void callsPipelineOnTheSharedConnection() {
		for (int i = 0; i < 2000; i++) {
			redis("PING");
		}
		int sequential = 5000;
		long started = System.nanoTime();
		for (int i = 0; i < sequential; i++) {
			redis("PING");
		}
		double roundTripMicros = (System.nanoTime() - started) / 1000.0 / sequential;
		int pipelined = 20000;
		List<CompletableFuture<Reply>> replies = new ArrayList<>(pipelined);
		started = System.nanoTime();
		for (int i = 0; i < pipelined; i++) {
			replies.add(send(this.client, "p", "redis", resp("PING")));
		}
		replies.forEach((reply) -> assertThat(await(reply).status()).isZero());
		double perSecond = pipelined / ((System.nanoTime() - started) / 1e9);
		System.out.println(String.format(java.util.Locale.ROOT,
				"proxy_redis_call on loopback: %.1f us per call one at a time (mean of %d), %.0f calls/s pipelined"
						+ " from one thread (%d calls)",
				roundTripMicros, sequential, perSecond, pipelined));
	}

}
