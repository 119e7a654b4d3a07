package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.test.Decision;
import io.github.wasmgateway.test.HttpReply;
import io.github.wasmgateway.test.Phase;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AssemblyScript SDK (plugins/sdk), through the test plugin sdk-exerciser: parsers,
 * callouts, Redis, properties, shared data, metrics, ticks, bodies, logging and abort.
 */
class SdkTests {

	static final PluginTester plugin = BuiltinPlugins.testPlugin("sdk-exerciser");

	static final TestConfiguration configuration = plugin.configure("");

	/**
	 * Cluster "upstream" answers 200 with body "pong:<request body>" and echoes header
	 * x-echo; cluster "broken" fails (as a refused connection); other clusters are
	 * unknown.
	 */
	@BeforeAll
	static void scriptCallouts() {
		plugin.httpCalls()
			.answer("upstream",
					(call) -> HttpReply.of(200, "pong:" + call.bodyText(), "x-echo",
							(call.header("x-echo") != null) ? call.header("x-echo") : ""))
			.reply("broken", HttpReply.failed("connection refused"));
	}

	@AfterAll
	static void close() {
		plugin.close();
	}

	static String op(String op, String input, String... headers) {
		String[] all = new String[headers.length + 4];
		all[0] = "x-op";
		all[1] = op;
		all[2] = "x-input";
		all[3] = input;
		System.arraycopy(headers, 0, all, 4, headers.length);
		return BuiltinPlugins.send(plugin, configuration, TestRequest.get("/", all)).requestHeader("x-result");
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
		assertThat(plugin.failures()).isZero();
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
		assertThat(plugin.failures()).isZero();
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
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void queryAndIpHelpers() {
		assertThat(BuiltinPlugins
			.send(plugin, configuration,
					TestRequest.get("/p?a=1&b=x+y&a=%41%zz&a=3#frag", "x-op", "query", "x-input", "a"))
			.requestHeader("x-result")).isEqualTo("1|3");
		assertThat(BuiltinPlugins
			.send(plugin, configuration, TestRequest.get("/p?b=x+y%2Bz", "x-op", "query", "x-input", "b"))
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
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void propertiesRoundTripAndComeFromTheExchange() {
		assertThat(BuiltinPlugins
			.send(plugin, configuration, TestRequest.get("/", "x-op", "property", "x-input", "v1").route("r7"))
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
		TestResult result = BuiltinPlugins.send(plugin, configuration,
				TestRequest.get("/", "x-op", "callout", "x-input", "hi", "x-cluster", "upstream"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-callout-status")).isEqualTo("200");
		assertThat(result.requestHeader("x-callout-body")).isEqualTo("pong:ping");
		assertThat(result.requestHeader("x-callout-echo")).isEqualTo("hi");
		assertThat(plugin.httpCalls().calls()).last().satisfies((request) -> {
			assertThat(request.header(":method")).isEqualTo("POST");
			assertThat(request.timeout().toMillis()).isEqualTo(1000);
		});
		TestResult failed = BuiltinPlugins.send(plugin, configuration,
				TestRequest.get("/", "x-op", "callout", "x-input", "hi", "x-cluster", "broken"));
		assertThat(failed.status()).isEqualTo(502);
		assertThat(BuiltinPlugins
			.send(plugin, configuration,
					TestRequest.get("/", "x-op", "callout", "x-input", "hi", "x-cluster", "nowhere"))
			.requestHeader("x-result")).isEqualTo("callout refused 2");
	}

	@Test
	void redisCommandsGoThroughTheHost() {
		assertThat(BuiltinPlugins
			.send(plugin, configuration, TestRequest.get("/", "x-op", "redis", "x-input", "outbound|6379||r"))
			.requestHeader("x-redis")).isEqualTo("+PONG");
		assertThat(
				BuiltinPlugins
					.send(plugin, configuration,
							TestRequest.get("/", "x-op", "redis", "x-input", "outbound|6379||r", "x-args",
									"INCR sdk-counter"))
					.requestHeader("x-redis"))
			.isEqualTo(":1");
		assertThat(plugin.redis().commands()).last().isEqualTo(java.util.List.of("INCR", "sdk-counter"));
	}

	@Test
	void metricsAndTicks() {
		TestConfiguration ticking = plugin.configure("tick");
		BuiltinPlugins.send(plugin, ticking, TestRequest.get("/twelve-chars"));
		assertThat(plugin.metric("exerciser_last_path_length")).isEqualTo(13L);
		long before = plugin.metric("exerciser_requests");
		BuiltinPlugins.send(plugin, configuration, TestRequest.get("/"));
		assertThat(plugin.metric("exerciser_requests")).isEqualTo(before + 1);
		assertThat(plugin.scheduledTicks()).isPositive();
		plugin.fireTicks();
		plugin.fireTicks();
		assertThat(plugin.metric("exerciser_ticks")).isGreaterThanOrEqualTo(2L);
	}

	@Test
	void bodiesAreBufferedAndReplaced() {
		TestResult result = BuiltinPlugins.send(plugin, configuration,
				TestRequest.request("POST", "/", "x-op", "upper-body").body("hello ", "world"));
		assertThat(result.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.CONTINUE);
		assertThat(result.decisions(Phase.REQUEST_BODY)).containsExactly(Decision.BUFFER, Decision.CONTINUE);
		assertThat(result.requestBodyText()).isEqualTo("HELLO WORLD!");
	}

	@Test
	void localResponsesCarryStatusHeadersAndDetails() {
		TestResult result = BuiltinPlugins.send(plugin, configuration,
				TestRequest.get("/", "x-op", "deny", "x-input", "because"));
		assertThat(result.status()).isEqualTo(418);
		assertThat(result.body()).isEqualTo("teapot");
		assertThat(result.responseHeader("x-why")).isEqualTo("because");
		assertThat(result.reply().details()).isEqualTo("exerciser.deny");
	}

	@Test
	void logLinesReachTheHost() {
		op("log", "hello");
		assertThat(plugin.logs().toString()).contains("INFO exerciser says hello");
	}

	@Test
	void refusedConfigurationFailsAtConfigure() {
		plugin.refused("refuse");
	}

	@Test
	void abortIsLoggedThenTraps() {
		try (PluginTester own = BuiltinPlugins.testPlugin("sdk-exerciser")) {
			TestConfiguration config = own.configure("");
			TestResult aborted = own.send(config, TestRequest.get("/", "x-op", "abort"));
			assertThat(aborted.failed()).isTrue();
			assertThat(own.plugin().recentFailures()).first().satisfies((failure) -> {
				assertThat(failure.kind()).isEqualTo(PluginFailure.Kind.TRAP);
				assertThat(failure.wasmStack()).anyMatch((frame) -> frame.startsWith("sdk/runtime/sdkAbort"));
			});
			assertThat(own.logs().toString()).contains("CRITICAL plugin aborted: Index out of range (~lib/array.ts:");
			// the next request gets a fresh VM
			assertThat(own.send(config, TestRequest.get("/")).passed()).isTrue();
		}
	}

}
