package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.plugins.PluginHarness.Result;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The AssemblyScript SDK (plugins/sdk), through the test plugin sdk-exerciser: parsers,
 * callouts, Redis, properties, shared data, metrics, ticks, bodies, logging and abort.
 */
class SdkTests {

	static final PluginHarness harness = PluginHarness.testPlugin("sdk-exerciser");

	static final PluginConfiguration configuration = harness.configure("");

	@AfterAll
	static void close() {
		harness.close();
	}

	static String op(String op, String input, String... headers) {
		String[] all = new String[headers.length + 4];
		all[0] = "x-op";
		all[1] = op;
		all[2] = "x-input";
		all[3] = input;
		System.arraycopy(headers, 0, all, 4, headers.length);
		return harness.send(configuration, TestExchange.get("/", all)).requestHeader("x-result");
	}

	@Test
	void jsonParserBuildsATypedTreeAndNamesErrors() {
		assertThat(op("json", "{\"a\": [1, -2.5e3, true, null, \"x\\u0041\\n\"], \"b\": {}}"))
			.isEqualTo("{\"a\":[1,-2.5e3,true,null,\"xA\\n\"],\"b\":{}}");
		assertThat(op("json", "{\"a\": 1, \"a\": 2}")).isEqualTo("{\"a\":2}");
		assertThat(op("json", "{\"a\": 01}")).startsWith("error: invalid JSON at line 1, column 8");
		assertThat(op("json", "[1,]"))
			.isEqualTo("error: invalid JSON at line 1, column 4: unexpected character ']'," + " a value was expected");
		assertThat(op("json", "\"unterminated")).contains("unterminated string");
		assertThat(op("json", "{\"a\":1} x")).contains("unexpected characters after the JSON value");
		assertThat(op("json", "[".repeat(100) + "]".repeat(100))).contains("nested deeper than 64 levels");
		assertThat(op("json", "\"\\ud83d\\ude00\"")).isEqualTo("\"\ud83d\ude00\"");
		assertThat(harness.failures()).isZero();
	}

	@Test
	void respDecoderReadsRepliesAndRefusesGarbage() {
		assertThat(op("resp", "+OK\\r\\n")).isEqualTo("+OK");
		assertThat(op("resp", "-ERR wrong\\r\\n")).isEqualTo("-ERR wrong");
		assertThat(op("resp", ":-42\\r\\n")).isEqualTo(":-42");
		assertThat(op("resp", "$5\\r\\nhello\\r\\n")).isEqualTo("\"hello\"");
		assertThat(op("resp", "$-1\\r\\n")).isEqualTo("nil");
		assertThat(op("resp", "*3\\r\\n:1\\r\\n$1\\r\\nx\\r\\n*1\\r\\n+y\\r\\n")).isEqualTo("[:1, \"x\", [+y]]");
		assertThat(op("resp", "$10\\r\\nshort\\r\\n")).isEqualTo("invalid");
		assertThat(op("resp", "*99999999\\r\\n:1\\r\\n")).isEqualTo("invalid");
		assertThat(op("resp", "?what\\r\\n")).isEqualTo("invalid");
		assertThat(op("resp", "*1\\r\\n".repeat(40) + ":1\\r\\n")).isEqualTo("invalid");
		assertThat(harness.failures()).isZero();
	}

	@Test
	void base64IsStrict() {
		assertThat(op("base64-decode", "YWRtaW46MTIzNDU2")).isEqualTo("admin:123456");
		assertThat(op("base64-decode", "YQ==")).isEqualTo("a");
		assertThat(op("base64-decode", "YWI=")).isEqualTo("ab");
		assertThat(op("base64-decode", "")).isEqualTo("");
		for (String bad : new String[] { "YQ", "YQ=", "Y===", "YR==", "YW!=", "YQ==YQ==", "====" }) {
			assertThat(op("base64-decode", bad)).as(bad).isEqualTo("invalid");
		}
		assertThat(op("base64-encode", "hello, world")).isEqualTo("aGVsbG8sIHdvcmxk");
	}

	@Test
	void regexCompileErrorsAndMatches() {
		assertThat(op("regex", "^a[0-9]+$", "x-subject", "a123")).isEqualTo("match");
		assertThat(op("regex", "^a[0-9]+$", "x-subject", "a12b")).isEqualTo("no match");
		assertThat(op("regex", "[z-a]")).startsWith("error: invalid character class range");
		assertThat(op("regex", "a{2,1}")).startsWith("error: invalid repeat count");
		assertThat(op("regex", "a{1001}")).startsWith("error: invalid repeat count");
		assertThat(op("regex", "(a{1000}){1000}")).startsWith("error: pattern too large");
		assertThat(op("regex", "x)")).startsWith("error: unexpected ')'");
		assertThat(op("regex", "(?i)straße", "x-subject", "STRAßE")).isEqualTo("match");
		assertThat(harness.failures()).isZero();
	}

	@Test
	void queryAndIpHelpers() {
		assertThat(harness
			.send(configuration, TestExchange.get("/p?a=1&b=x+y&a=%41%zz&a=3#frag", "x-op", "query", "x-input", "a"))
			.requestHeader("x-result")).isEqualTo("1|3");
		assertThat(harness.send(configuration, TestExchange.get("/p?b=x+y%2Bz", "x-op", "query", "x-input", "b"))
			.requestHeader("x-result")).isEqualTo("x y+z");
		assertThat(op("ip", "192.168.001.010")).isEqualTo("192.168.1.10");
		assertThat(op("ip", "2001:DB8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
		assertThat(op("ip", "::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
		assertThat(op("ip", "::")).isEqualTo("::");
		assertThat(op("ip", "1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
		assertThat(op("ip", "10.1.2.3", "x-range", "10.0.0.0/8")).isEqualTo("in 10.1.2.3");
		assertThat(op("ip", "11.1.2.3", "x-range", "10.0.0.0/8")).isEqualTo("out 11.1.2.3");
		assertThat(op("ip", "2001:db8::5", "x-range", "2001:db8::/126")).isEqualTo("out 2001:db8::5");
		for (String bad : new String[] { "1.2.3", "1.2.3.256", "1::2::3", "12345::", "::g", "" }) {
			assertThat(op("ip", bad)).as(bad).isEqualTo("invalid");
		}
	}

	@Test
	void randomBytesComeFromTheHost() {
		byte[] first = Base64.getDecoder().decode(op("random", "16"));
		byte[] second = Base64.getDecoder().decode(op("random", "16"));
		assertThat(first).hasSize(16);
		assertThat(second).hasSize(16).isNotEqualTo(first);
		assertThat(Base64.getDecoder().decode(op("random", "1000"))).hasSize(1000);
		assertThat(op("random", "0")).isEmpty();
		assertThat(harness.failures()).isZero();
	}

	@Test
	void propertiesRoundTripAndComeFromTheExchange() {
		assertThat(harness.send(configuration, TestExchange.get("/", "x-op", "property", "x-input", "v1").route("r7"))
			.requestHeader("x-result")).isEqualTo("v1|r7");
	}

	@Test
	void sharedDataCountsAcrossRequests() {
		assertThat(op("shared", "k")).isEqualTo("1");
		assertThat(op("shared", "k")).isEqualTo("2");
		assertThat(op("shared", "other")).isEqualTo("1");
	}

	@Test
	void calloutReplyResumesTheRequest() {
		Result result = harness.send(configuration,
				TestExchange.get("/", "x-op", "callout", "x-input", "hi", "x-cluster", "upstream"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-callout-status")).isEqualTo("200");
		assertThat(result.requestHeader("x-callout-body")).isEqualTo("pong:ping");
		assertThat(result.requestHeader("x-callout-echo")).isEqualTo("hi");
		assertThat(harness.callouts.requests).last().satisfies((request) -> {
			assertThat(request.headers().get(":method")).isEqualTo("POST");
			assertThat(request.timeout().toMillis()).isEqualTo(1000);
		});
		Result failed = harness.send(configuration,
				TestExchange.get("/", "x-op", "callout", "x-input", "hi", "x-cluster", "broken"));
		assertThat(failed.status()).isEqualTo(502);
		assertThat(harness
			.send(configuration, TestExchange.get("/", "x-op", "callout", "x-input", "hi", "x-cluster", "nowhere"))
			.requestHeader("x-result")).isEqualTo("callout refused 2");
	}

	@Test
	void redisCommandsGoThroughTheHost() {
		assertThat(harness.send(configuration, TestExchange.get("/", "x-op", "redis", "x-input", "outbound|6379||r"))
			.requestHeader("x-redis")).isEqualTo("+PONG");
		assertThat(
				harness
					.send(configuration,
							TestExchange.get("/", "x-op", "redis", "x-input", "outbound|6379||r", "x-args",
									"INCR sdk-counter"))
					.requestHeader("x-redis"))
			.isEqualTo(":1");
		assertThat(harness.redis.commands).last().isEqualTo(java.util.List.of("INCR", "sdk-counter"));
	}

	@Test
	void metricsAndTicks() {
		PluginConfiguration ticking = harness.configure("tick");
		harness.send(ticking, TestExchange.get("/twelve-chars"));
		assertThat(harness.metrics.value("sdk-exerciser", "exerciser_last_path_length")).isEqualTo(13L);
		long before = harness.metrics.value("sdk-exerciser", "exerciser_requests");
		harness.send(configuration, TestExchange.get("/"));
		assertThat(harness.metrics.value("sdk-exerciser", "exerciser_requests")).isEqualTo(before + 1);
		assertThat(harness.ticks.scheduled()).isPositive();
		harness.ticks.fire();
		harness.ticks.fire();
		assertThat(harness.metrics.value("sdk-exerciser", "exerciser_ticks")).isGreaterThanOrEqualTo(2L);
	}

	@Test
	void bodiesAreBufferedAndReplaced() {
		TestExchange exchange = TestExchange.request("POST", "/", "x-op", "upper-body");
		HttpStream stream = harness.plugin.openStream(configuration, exchange);
		try {
			assertThat(stream.onRequestHeaders(false)).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(stream.onRequestBody(ByteArrayBody.of("hello "), false))
				.isEqualTo(Decision.Flow.STOP_AND_BUFFER);
			ByteArrayBody all = ByteArrayBody.of("hello world");
			assertThat(stream.onRequestBody(all, true)).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(new String(all.bytes(), StandardCharsets.UTF_8)).isEqualTo("HELLO WORLD!");
		}
		finally {
			stream.finish();
		}
	}

	@Test
	void localResponsesCarryStatusHeadersAndDetails() {
		Result result = harness.send(configuration, TestExchange.get("/", "x-op", "deny", "x-input", "because"));
		assertThat(result.status()).isEqualTo(418);
		assertThat(result.body()).isEqualTo("teapot");
		assertThat(result.responseHeader("x-why")).isEqualTo("because");
		assertThat(result.response().details()).isEqualTo("exerciser.deny");
	}

	@Test
	void logLinesReachTheHost() {
		op("log", "hello");
		assertThat(harness.logger.contains("INFO exerciser says hello")).isTrue();
	}

	@Test
	void refusedConfigurationFailsAtConfigure() {
		harness.refused("refuse");
	}

	@Test
	void abortIsLoggedThenTraps() {
		try (PluginHarness own = PluginHarness.testPlugin("sdk-exerciser")) {
			PluginConfiguration config = own.configure("");
			assertThatThrownBy(() -> own.send(config, TestExchange.get("/", "x-op", "abort")))
				.isInstanceOfSatisfying(PluginCallException.class, (ex) -> {
					assertThat(ex.kind()).isEqualTo(PluginFailure.Kind.TRAP);
					assertThat(ex.failure().wasmStack()).anyMatch((frame) -> frame.startsWith("sdk/runtime/sdkAbort"));
				});
			assertThat(own.logger.contains("CRITICAL plugin aborted: Index out of range (~lib/array.ts:")).isTrue();
			// the next request gets a fresh VM
			assertThat(own.send(config, TestExchange.get("/")).passed()).isTrue();
		}
	}

}
