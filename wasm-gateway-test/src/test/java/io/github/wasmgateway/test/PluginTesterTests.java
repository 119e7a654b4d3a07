package io.github.wasmgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.ExecutionMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit against the engine's exerciser fixture (a raw-ABI C plugin that does one host
 * call per request, chosen by the header {@code x-op}; fixtures/README.md).
 */
class PluginTesterTests {

	static final PluginTester plugin = PluginTester.forClasspath("fixtures/exerciser.wasm").build();

	static final TestConfiguration configuration = plugin.configure("demo");

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestResult op(String op, String... headers) {
		return plugin.send(configuration, TestRequest.get("/", "x-op", op).headers(headers));
	}

	@Test
	void loadsFromTheClassPathAndRunsARequest() {
		TestResult result = plugin.send(configuration, TestRequest.get("/hello"));
		assertThat(result.passed()).isTrue();
		assertThat(result.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.CONTINUE);
		assertThat(result.requestHeader("x-exerciser")).isNotNull();
		assertThat(plugin.name()).isEqualTo("exerciser");
	}

	@Test
	void loadsFromAFileInEitherMode(@TempDir Path directory) throws IOException {
		Path wasm = directory.resolve("copy.wasm");
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("fixtures/exerciser.wasm")) {
			Files.copy(in, wasm);
		}
		try (PluginTester interpreted = PluginTester.forFile(wasm).mode(ExecutionMode.INTERPRETER).build()) {
			assertThat(interpreted.name()).isEqualTo("copy");
			TestResult result = interpreted.send(interpreted.configure("{}"), TestRequest.get("/"));
			assertThat(result.requestHeader("x-exerciser")).isNotNull();
		}
	}

	@Test
	void refusedConfigurationsAndTheirLogs() {
		assertThat(plugin.refused("reject")).contains("rejected its configuration");
		assertThatThrownBy(() -> plugin.configure("reject")).isInstanceOf(AssertionError.class)
			.hasMessageContaining("plugin 'exerciser' refused its configuration");
		assertThatThrownBy(() -> plugin.refused("fine")).isInstanceOf(AssertionError.class)
			.hasMessageContaining("accepted fine");
		assertThat(plugin.configure("fine").text()).isEqualTo("fine");
	}

	@Test
	void logsAreRecordedWithTheirLevels() {
		plugin.logs().clear();
		op("log:3", "x-value", "a warning");
		assertThat(plugin.logs().lines()).anySatisfy((line) -> {
			assertThat(line.level().name()).isEqualTo("WARN");
			assertThat(line.message()).isEqualTo("a warning");
		});
		assertThat(plugin.logs().contains("exerciser op=log:3")).isTrue();
	}

	@Test
	void localRepliesWithStatusBodyHeadersAndDetails() {
		TestResult result = op("local-response", "x-response-code", "418", "x-response-body", "short and stout");
		assertThat(result.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.REPLY);
		assertThat(result.passed()).isFalse();
		assertThat(result.status()).isEqualTo(418);
		assertThat(result.body()).isEqualTo("short and stout");
		assertThat(result.responseHeader("x-local")).isEqualTo("1");
		assertThat(result.reply().details()).isEqualTo("exerciser");
	}

	@Test
	void httpCallsGetScriptedReplies() {
		plugin.httpCalls().reply("auth", HttpReply.of(200, "granted", "x-grant", "yes"));
		TestResult result = op("http-call", "x-cluster", "auth", "x-path", "/check", "x-body", "who");
		// the reply came during the call: the engine lets the request go on at once
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-callout-status")).isEqualTo("200");
		assertThat(result.requestHeader("x-callout-body")).isEqualTo("granted");
		HttpCall call = plugin.httpCalls().calls().get(plugin.httpCalls().calls().size() - 1);
		assertThat(call.cluster()).isEqualTo("auth");
		assertThat(call.path()).isEqualTo("/check");
		assertThat(call.header("x-from-exerciser")).isEqualTo("1");
		assertThat(call.bodyText()).isEqualTo("who");
		// a cluster nobody scripted is unknown to the gateway: the call is refused at
		// once
		TestResult unknown = op("http-call", "x-cluster", "nowhere");
		assertThat(unknown.passed()).isTrue();
		assertThat(unknown.requestHeader("x-status")).isEqualTo("2");
		plugin.httpCalls().reply("broken", HttpReply.failed("connection refused"));
		assertThat(op("http-call", "x-cluster", "broken").requestHeader("x-callout-failed")).isEqualTo("1");
	}

	@Test
	void heldRepliesKeepTheRequestPausedUntilReleased() {
		plugin.httpCalls().reply("slow", HttpReply.of(204, "")).hold();
		try {
			TestResult result = op("http-call", "x-cluster", "slow");
			assertThat(result.paused()).isTrue();
			assertThat(result.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.PAUSE);
			assertThat(plugin.httpCalls().held()).isEqualTo(1);
			plugin.release();
			assertThat(result.paused()).isFalse();
			assertThat(result.passed()).isTrue();
			assertThat(result.requestHeader("x-callout-status")).isEqualTo("204");
		}
		finally {
			plugin.httpCalls().immediately();
		}
	}

	@Test
	void redisCommandsRunInMemoryOrAsScripted() {
		assertThat(op("redis-init", "x-cluster", "redis").requestHeader("x-status")).isEqualTo("0");
		assertThat(plugin.redis().initialized()).contains("redis user= password= timeout=1000");
		TestResult ping = op("redis-call", "x-cluster", "redis");
		assertThat(ping.requestHeader("x-redis-reply")).isEqualTo("+PONG");
		assertThat(op("redis-call", "x-cluster", "redis", "x-value", "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")
			.requestHeader("x-redis-reply")).isEqualTo(":1");
		assertThat(plugin.redis().value("n")).isEqualTo("1");
		plugin.redis().answer((command) -> command.get(0).equals("EVAL") ? TestRedis.arrayReply(5, 4) : null);
		assertThat(op("redis-call", "x-cluster", "redis", "x-value", "*2\r\n$4\r\nEVAL\r\n$6\r\nscript\r\n")
			.requestHeader("x-redis-reply")).isEqualTo("*2:5:4");
		assertThat(plugin.redis().commands()).contains(java.util.List.of("EVAL", "script"));
		plugin.redis().down();
		try {
			assertThat(op("redis-call", "x-cluster", "redis").requestHeader("x-redis-status")).isEqualTo("1");
		}
		finally {
			plugin.redis().normal();
		}
	}

	@Test
	void ticksFireWhenTheClockPassesThem() {
		TestResult result = op("pause-until-tick:50");
		assertThat(result.paused()).isTrue();
		plugin.advance(Duration.ofMillis(49));
		assertThat(result.paused()).isTrue();
		plugin.advance(Duration.ofMillis(1));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-resumed-by")).isEqualTo("tick");
	}

	@Test
	void theClockIsTheTests() {
		long before = Long.parseLong(op("current-time").requestHeader("x-result"));
		assertThat(before).isEqualTo(plugin.clock().epochSeconds() * 1_000_000_000L + plugin.clock().now().getNano());
		plugin.advance(Duration.ofSeconds(90));
		assertThat(Long.parseLong(op("current-time").requestHeader("x-result")))
			.isEqualTo(before + Duration.ofSeconds(90).toNanos());
	}

	@Test
	void metricsAndSharedData() {
		op("metrics");
		assertThat(plugin.metric("exerciser_gauge")).isEqualTo(42L);
		assertThat(plugin.metric("exerciser_counter")).isPositive();
		op("shared-set:colour=blue");
		assertThat(plugin.sharedDataText("colour")).isEqualTo("blue");
		plugin.setSharedData("size", "large");
		assertThat(op("shared-get:size").requestHeader("x-result")).isEqualTo("large");
	}

	@Test
	void bodiesAreBufferedEditedAndForwarded() {
		TestResult result = plugin.send(configuration,
				TestRequest.request("POST", "/", "x-op", "body-upper")
					.body("hello ", "world")
					.upstream(200, "content-type", "text/plain"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestBodyText()).isEqualTo("HELLO WORLD");
		assertThat(result.decision(Phase.REQUEST_BODY)).isEqualTo(Decision.CONTINUE);
		assertThat(result.decisions(Phase.REQUEST_BODY)).containsExactly(Decision.BUFFER, Decision.CONTINUE);
		assertThat(result.decisions(Phase.REQUEST_TRAILERS)).isEmpty();
		assertThat(result.upstreamResponseHeader("x-body-set-status")).isEqualTo("0");
		TestResult both = plugin.send(configuration,
				TestRequest.request("POST", "/", "x-op", "body-upper", "x-upper-response-body", "1")
					.body("a")
					.upstream(200)
					.upstreamBody("from ", "upstream"));
		assertThat(both.upstreamResponseBodyText()).isEqualTo("FROM UPSTREAM");
	}

	@Test
	void aTrapFailsOnlyItsRequest() {
		long before = plugin.failures();
		TestResult trapped = op("trap");
		assertThat(trapped.failed()).isTrue();
		assertThat(trapped.failure()).contains("trap");
		assertThat(plugin.failures()).isEqualTo(before + 1);
		assertThat(plugin.recentFailures()).isNotEmpty();
		assertThat(plugin.send(configuration, TestRequest.get("/")).passed()).isTrue();
	}

	@Test
	void yamlConfigurationsAreReadAsJson() {
		assertThat(PluginTester.yamlToJson("""
				consumers:
				- name: a
				  keys: [ x, 1 ]
				""")).isEqualTo("{\"consumers\":[{\"name\":\"a\",\"keys\":[\"x\",1]}]}");
		assertThat(plugin.configureYaml("a: 1").text()).isEqualTo("{\"a\":1}");
	}

	@Test
	void foreignCallsAreCountedAndHostCryptoCanBeTurnedOff() {
		String digest = "wasmgateway.crypto.digest.v1";
		int before = plugin.foreignCalls(digest);
		// malformed arguments: the host has the function, answers BAD_ARGUMENT, and
		// counts
		assertThat(op("foreign:" + digest, "x-value", "?").requestHeader("x-status")).isEqualTo("2");
		assertThat(plugin.foreignCalls(digest)).isEqualTo(before + 1);
		assertThat(plugin.foreignCalls()).containsEntry(digest, before + 1);
		try (PluginTester withoutCrypto = PluginTester.forClasspath("fixtures/exerciser.wasm")
			.hostCrypto(false)
			.build()) {
			TestResult result = withoutCrypto.send(withoutCrypto.configure("demo"),
					TestRequest.get("/", "x-op", "foreign:" + digest, "x-value", "?"));
			// NOT_FOUND, as on Envoy, where the plugin runs its own crypto
			assertThat(result.requestHeader("x-status")).isEqualTo("1");
			assertThat(withoutCrypto.foreignCalls(digest)).isZero();
			assertThat(withoutCrypto.foreignCalls()).isEmpty();
		}
	}

	@Test
	void everyValueOfARequestHeader() {
		TestResult result = op("add-header:x-twice", "x-twice", "one", "x-value", "two");
		assertThat(result.requestHeaderValues("X-Twice")).containsExactly("one", "two");
		assertThat(result.requestHeader("x-twice")).isEqualTo("one");
		assertThat(result.requestHeaderValues("x-none")).isEmpty();
	}

	@Test
	void aCopiedRequestChangesWithoutTouchingTheOriginal() {
		TestRequest original = TestRequest.get("/", "x-op", "add-header:x-copied", "x-value", "original").body("one");
		TestRequest copy = original.copy().setHeader("x-value", "copy").body("two");
		assertThat(plugin.send(configuration, copy).requestHeader("x-copied")).isEqualTo("copy");
		TestResult result = plugin.send(configuration, original);
		assertThat(result.requestHeader("x-copied")).isEqualTo("original");
		assertThat(result.requestBodyText()).isEqualTo("one");
	}

}
