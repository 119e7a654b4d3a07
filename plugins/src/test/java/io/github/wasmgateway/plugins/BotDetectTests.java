package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;
import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bot-detect through the engine in PRECOMPILED mode, with Higress's default crawler list.
 */
class BotDetectTests {

	static final PluginTester plugin = BuiltinPlugins.tester("bot-detect");

	static final TestConfiguration defaults = plugin.configure("{}");

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestResult send(TestConfiguration configuration, String userAgent) {
		return BuiltinPlugins.send(plugin, configuration, TestRequest.get("/", "user-agent", userAgent));
	}

	// expected answers cross-checked with the same patterns in another regex engine
	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)|true",
			"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)|true",
			"Baiduspider-image+(+http://www.baidu.com/search/spider.htm)|true",
			"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)|true",
			"Scrapy/2.11.0 (+https://scrapy.org)|true", "Twitterbot/1.0|true", "boithoXcom-dc/1.0|false",
			"Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)|true",
			"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)|true", "WhatsApp/2.23.20.0|false",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36|false",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1|false",
			"curl/8.4.0|false", "Go-http-client/1.1|false", "python-requests/2.31.0|false",
			"facebookexternalhit/1.1|true", "PostmanRuntime/7.36.0|false", "okhttp/4.12.0|false", "Wget/1.21.4|false" })
	void defaultCrawlerList(String userAgent, boolean blocked) {
		TestResult result = send(defaults, userAgent);
		if (blocked) {
			assertThat(result.status()).isEqualTo(403);
			assertThat(result.body()).isEqualTo("Invalid User-Agent");
		}
		else {
			assertThat(result.passed()).isTrue();
		}
	}

	@Test
	void higressDocumentedExampleConfigurations() {
		// the first two configurations of Higress's README, unchanged, with its requests
		TestConfiguration allow = plugin.configure(PluginTester.yamlToJson("""
				allow:
				- ".*Go-http-client.*"
				"""));
		assertThat(send(allow, "Go-http-client/1.1").passed()).isTrue();
		assertThat(send(allow, "Mozilla/5.0 (compatible; Googlebot/2.1)").status()).isEqualTo(403);
		TestConfiguration deny = plugin.configure(PluginTester.yamlToJson("""
				deny:
				- "spd-tools.*"
				"""));
		assertThat(send(deny, "spd-tools/1.1").status()).isEqualTo(403);
		assertThat(send(deny, "spd-tools").status()).isEqualTo(403);
		assertThat(send(deny, "curl/8.4.0").passed()).isTrue();
		// its third example nests matchRules in matchRules and puts ingress under config,
		// which
		// no Higress plugin reads: it is refused with the reason
		assertThat(plugin.refused(PluginTester.yamlToJson("""
				matchRules:
				- matchRules:
				  - config:
				      configDisable: false
				      ingress:
				        - route-a
				        - route-b
				      allow:
				        - ".*Go-http-client.*"
				      blocked_code: 401
				      blocked_message: deny by bot detect
				"""))).contains("matchRules[0] needs at least one of 'ingress', 'domain' and 'service'");
	}

	@Test
	void emptyOrMissingUserAgentIsBlocked() {
		assertThat(send(defaults, "").status()).isEqualTo(403);
		assertThat(BuiltinPlugins.send(plugin, defaults, TestRequest.get("/")).status()).isEqualTo(403);
	}

	@Test
	void allowOverridesTheDefaultsAndDenyExtendsThem() {
		TestConfiguration configuration = plugin.configure("""
				{"allow": [".*Googlebot.*"], "deny": ["spd-tools.*", "(?i)^evil"],
				 "blocked_code": 401, "blocked_message": "deny by bot detect"}""");
		assertThat(send(configuration, "Mozilla/5.0 (compatible; Googlebot/2.1)").passed()).isTrue();
		TestResult denied = send(configuration, "spd-tools/1.1");
		assertThat(denied.status()).isEqualTo(401);
		assertThat(denied.body()).isEqualTo("deny by bot detect");
		assertThat(send(configuration, "spd-tools").status()).isEqualTo(401);
		assertThat(send(configuration, "EVIL agent").status()).isEqualTo(401);
		assertThat(send(configuration, "not evil").passed()).isTrue();
		assertThat(send(configuration, "bingbot/2.0").status()).isEqualTo(401);
	}

	@Test
	void rulesPerRouteAndDomain() {
		TestConfiguration configuration = plugin.configure("""
				{"_rules_": [{"_match_route_": ["public"], "allow": [".*"]},
				             {"_match_domain_": ["api.*"], "deny": ["curl"]}]}""");
		assertThat(BuiltinPlugins
			.send(plugin, configuration, TestRequest.get("/", "user-agent", "Googlebot/2.1").route("public"))
			.passed()).isTrue();
		assertThat(BuiltinPlugins
			.send(plugin, configuration, TestRequest.get("/", "user-agent", "curl/8").authority("api.shop.io"))
			.status()).isEqualTo(403);
		// no global part: other requests pass untouched
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/", "user-agent", "Googlebot/2.1"))
			.passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{\"deny\": [\"(unclosed\"]}"))
			.contains("bot-detect: configuration refused: deny[0] is not a valid regular expression: missing ')'");
		assertThat(plugin.refused("{\"allow\": [\"a**\"]}")).contains("allow[0] is not a valid regular expression");
		assertThat(plugin.refused("{\"allow\": [\"\\\\p{L}\"]}")).contains("invalid escape \\p");
		assertThat(plugin.refused("{\"blocked_code\": 42}")).contains("blocked_code must be an HTTP status");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void manyDifferentUserAgentsKeepMemoryBounded() {
		java.util.Random random = new java.util.Random(42);
		for (int i = 0; i < 3000; i++) {
			StringBuilder userAgent = new StringBuilder();
			for (int j = 0; j < 120; j++) {
				userAgent.append((char) (0x20 + random.nextInt(0x5f)));
			}
			send(defaults, userAgent.toString());
		}
		assertThat(plugin.failures()).isZero();
		assertThat(plugin.plugin().vms()).allSatisfy((vm) -> assertThat(vm.memoryBytes()).isLessThan(48L << 20));
	}

	@Test
	void hostileUserAgentsAreAnsweredQuicklyWithoutATrap() {
		String[] hostile = { "a".repeat(64 * 1024), "bot ".repeat(16 * 1024), "Crawl".repeat(12 * 1024) + "x",
				"/" + "A.".repeat(30_000), "\u00ff\u0001\u007f".repeat(10_000) };
		long started = System.nanoTime();
		for (String userAgent : hostile) {
			send(defaults, userAgent);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
		assertThat(plugin.failures()).isZero();
	}

}
