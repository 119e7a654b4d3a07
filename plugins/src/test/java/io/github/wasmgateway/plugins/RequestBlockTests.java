package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.plugins.PluginHarness.Result;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * request-block through the engine in PRECOMPILED mode.
 */
class RequestBlockTests {

	static final PluginHarness harness = new PluginHarness("request-block");

	@AfterAll
	static void close() {
		harness.close();
	}

	static Result send(PluginConfiguration configuration, TestExchange exchange) {
		return harness.send(configuration, exchange);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void higressDocumentedExampleConfigurationsAndRequests() {
		// the four configurations of Higress's README, unchanged, with the requests it
		// says are blocked
		PluginConfiguration urls = harness.configure(HigressExamples.yamlToJson("""
				block_urls:
				- swagger.html
				- foo=bar
				case_sensitive: false
				"""));
		assertThat(send(urls, TestExchange.get("/?foo=Bar")).status()).isEqualTo(403);
		assertThat(send(urls, TestExchange.get("/Swagger.html")).status()).isEqualTo(403);
		assertThat(send(urls, TestExchange.get("/index.html")).passed()).isTrue();
		PluginConfiguration headers = harness.configure(HigressExamples.yamlToJson("""
				block_headers:
				- example-key
				- example-value
				"""));
		assertThat(send(headers, TestExchange.get("/", "example-key", "123")).status()).isEqualTo(403);
		assertThat(send(headers, TestExchange.get("/", "my-header", "example-value")).status()).isEqualTo(403);
		PluginConfiguration bodies = harness.configure(HigressExamples.yamlToJson("""
				block_bodies:
				- "hello world"
				case_sensitive: false
				"""));
		assertThat(harness.sendBody(bodies, TestExchange.request("POST", "/"), bytes("Hello World")).status())
			.isEqualTo(403);
		assertThat(harness.sendBody(bodies, TestExchange.request("POST", "/"), bytes("hello world")).status())
			.isEqualTo(403);
		PluginConfiguration rules = harness.configure(HigressExamples.yamlToJson("""
				# 使用 _rules_ 字段进行细粒度规则配置
				_rules_:
				# 规则一：按路由名称匹配生效
				- _match_route_:
				  - route-a
				  - route-b
				  block_bodies:\s
				  - "hello world"
				# 规则二：按域名匹配生效
				- _match_domain_:
				  - "*.example.com"
				  - test.com
				  block_urls:\s
				  - "swagger.html"
				  block_bodies:
				  - "hello world"
				"""));
		assertThat(harness.sendBody(rules, TestExchange.request("POST", "/").route("route-a"), bytes("hello world"))
			.status()).isEqualTo(403);
		assertThat(send(rules, TestExchange.get("/swagger.html").authority("api.example.com")).status()).isEqualTo(403);
		assertThat(send(rules, TestExchange.get("/swagger.html").route("other")).passed()).isTrue();
	}

	@Test
	void blocksUrlsByKeywordExactAndRegexp() {
		PluginConfiguration configuration = harness.configure("""
				{"block_urls": ["swagger.html", "foo=bar"], "block_exact_urls": ["/admin"],
				 "block_regexp_urls": ["^/api/v[0-9]+/internal"], "blocked_code": 404, "blocked_message": "nope"}""");
		Result keyword = send(configuration, TestExchange.get("/docs/swagger.html"));
		assertThat(keyword.status()).isEqualTo(404);
		assertThat(keyword.body()).isEqualTo("nope");
		assertThat(keyword.response().details()).isEqualTo("request-block.url_blocked.keyword");
		assertThat(send(configuration, TestExchange.get("/?foo=bar")).status()).isEqualTo(404);
		assertThat(send(configuration, TestExchange.get("/admin")).response().details())
			.isEqualTo("request-block.url_blocked.exact");
		assertThat(send(configuration, TestExchange.get("/admin/x")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/api/v2/internal/x")).response().details())
			.isEqualTo("request-block.url_blocked.regexp");
		assertThat(send(configuration, TestExchange.get("/api/vX/internal")).passed()).isTrue();
		// case sensitive by default
		assertThat(send(configuration, TestExchange.get("/Swagger.html")).passed()).isTrue();
	}

	@Test
	void caseInsensitiveMatching() {
		PluginConfiguration configuration = harness.configure("""
				{"block_urls": ["swagger.html", "foo=bar"], "block_regexp_urls": ["/SECRET[0-9]"],
				 "case_sensitive": false}""");
		assertThat(send(configuration, TestExchange.get("/Swagger.html")).status()).isEqualTo(403);
		assertThat(send(configuration, TestExchange.get("/?foo=Bar")).status()).isEqualTo(403);
		assertThat(send(configuration, TestExchange.get("/secret7")).status()).isEqualTo(403);
		assertThat(send(configuration, TestExchange.get("/fine")).passed()).isTrue();
	}

	@Test
	void blocksHeadersByNameOrValue() {
		PluginConfiguration configuration = harness
			.configure("{\"block_headers\": [\"example-key\", \"example-value\"]}");
		assertThat(send(configuration, TestExchange.get("/", "example-key", "123")).status()).isEqualTo(403);
		Result byValue = send(configuration, TestExchange.get("/", "my-header", "an example-value here"));
		assertThat(byValue.status()).isEqualTo(403);
		assertThat(byValue.response().details()).isEqualTo("request-block.header_blocked");
		assertThat(send(configuration, TestExchange.get("/", "my-header", "other")).passed()).isTrue();
	}

	@Test
	void blocksBodiesAcrossChunksAndLetsOthersThrough() {
		PluginConfiguration configuration = harness
			.configure("{\"block_bodies\": [\"hello world\"], \"case_sensitive\": false}");
		Result blocked = harness.sendBody(configuration, TestExchange.request("POST", "/"), bytes("say Hello "),
				bytes("World!"));
		assertThat(blocked.action()).isInstanceOf(Decision.Reply.class);
		assertThat(blocked.status()).isEqualTo(403);
		assertThat(blocked.response().details()).isEqualTo("request-block.body_blocked");
		Result passed = harness.sendBody(configuration, TestExchange.request("POST", "/"), bytes("hello"),
				bytes(" there"));
		assertThat(passed.action()).isEqualTo(Decision.Flow.CONTINUE);
		assertThat(passed.response()).isNull();
		// the older name block_bodys is accepted too
		PluginConfiguration legacy = harness.configure("{\"block_bodys\": [\"secret\"]}");
		assertThat(harness.sendBody(legacy, TestExchange.request("POST", "/"), bytes("a secret")).status())
			.isEqualTo(403);
	}

	@Test
	void hugeBodyIsScannedInChunksWithoutATrap() {
		PluginConfiguration configuration = harness.configure("{\"block_bodies\": [\"needle-in-the-haystack\"]}");
		byte[] big = new byte[24 * 1024 * 1024];
		Arrays.fill(big, (byte) 'a');
		byte[] needle = bytes("needle-in-the-haystack");
		// across a 64 KiB chunk boundary, near the end
		System.arraycopy(needle, 0, big, big.length - 65536 * 3 - 5, needle.length);
		Result blocked = harness.sendBody(configuration, TestExchange.request("POST", "/"), big);
		assertThat(blocked.status()).isEqualTo(403);
		Arrays.fill(big, (byte) 'b');
		Result passed = harness.sendBody(configuration, TestExchange.request("POST", "/"), big);
		assertThat(passed.action()).isEqualTo(Decision.Flow.CONTINUE);
		assertThat(harness.failures()).isZero();
		assertThat(harness.plugin.vms()).allSatisfy((vm) -> assertThat(vm.memoryBytes()).isLessThan(8L << 20));
	}

	@Test
	void rulesApplyPerRouteAndDomain() {
		PluginConfiguration configuration = harness.configure("""
				{"_rules_": [
				  {"_match_route_": ["route-a"], "block_urls": ["/a-only"]},
				  {"_match_domain_": ["*.example.com"], "block_urls": ["swagger.html"], "blocked_code": 410}
				]}""");
		assertThat(send(configuration, TestExchange.get("/a-only").route("route-a")).status()).isEqualTo(403);
		assertThat(send(configuration, TestExchange.get("/a-only").route("route-b")).passed()).isTrue();
		assertThat(send(configuration, TestExchange.get("/swagger.html").authority("api.example.com")).status())
			.isEqualTo(410);
		// no global part: requests no rule matches pass
		assertThat(send(configuration, TestExchange.get("/swagger.html")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(harness.refused("{\"blocked_code\": 403}"))
			.contains("request-block: configuration refused: there is no block rule");
		assertThat(harness.refused("{\"block_urls\": [\"x\"], \"blocked_code\": 700}"))
			.contains("blocked_code must be between 100 and 599, not 700");
		assertThat(harness.refused("{\"block_regexp_urls\": [\"([a-z\"]}"))
			.contains("block_regexp_urls[0] is not a valid regular expression");
		assertThat(harness.refused("{\"block_urls\": \"x\"}")).contains("block_urls must be an array of strings");
		assertThat(harness.failures()).isZero();
	}

}
