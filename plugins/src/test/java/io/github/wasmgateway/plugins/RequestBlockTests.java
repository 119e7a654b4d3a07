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

import io.github.wasmgateway.test.Decision;
import io.github.wasmgateway.test.Phase;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * request-block through the engine in PRECOMPILED mode.
 */
class RequestBlockTests {

	static final PluginTester plugin = BuiltinPlugins.tester("request-block");

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void higressDocumentedExampleConfigurationsAndRequests() {
		// the four configurations of Higress's README, unchanged, with the requests it
		// says are blocked
		TestConfiguration urls = plugin.configure(PluginTester.yamlToJson("""
				block_urls:
				- swagger.html
				- foo=bar
				case_sensitive: false
				"""));
		assertThat(send(urls, TestRequest.get("/?foo=Bar")).status()).isEqualTo(403);
		assertThat(send(urls, TestRequest.get("/Swagger.html")).status()).isEqualTo(403);
		assertThat(send(urls, TestRequest.get("/index.html")).passed()).isTrue();
		TestConfiguration headers = plugin.configure(PluginTester.yamlToJson("""
				block_headers:
				- example-key
				- example-value
				"""));
		assertThat(send(headers, TestRequest.get("/", "example-key", "123")).status()).isEqualTo(403);
		assertThat(send(headers, TestRequest.get("/", "my-header", "example-value")).status()).isEqualTo(403);
		TestConfiguration bodies = plugin.configure(PluginTester.yamlToJson("""
				block_bodies:
				- "hello world"
				case_sensitive: false
				"""));
		assertThat(BuiltinPlugins.sendBody(plugin, bodies, TestRequest.request("POST", "/"), bytes("Hello World"))
			.status()).isEqualTo(403);
		assertThat(BuiltinPlugins.sendBody(plugin, bodies, TestRequest.request("POST", "/"), bytes("hello world"))
			.status()).isEqualTo(403);
		TestConfiguration rules = plugin.configure(PluginTester.yamlToJson("""
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
		assertThat(BuiltinPlugins
			.sendBody(plugin, rules, TestRequest.request("POST", "/").route("route-a"), bytes("hello world"))
			.status()).isEqualTo(403);
		assertThat(send(rules, TestRequest.get("/swagger.html").authority("api.example.com")).status()).isEqualTo(403);
		assertThat(send(rules, TestRequest.get("/swagger.html").route("other")).passed()).isTrue();
	}

	@Test
	void blocksUrlsByKeywordExactAndRegexp() {
		TestConfiguration configuration = plugin.configure("""
				{"block_urls": ["swagger.html", "foo=bar"], "block_exact_urls": ["/admin"],
				 "block_regexp_urls": ["^/api/v[0-9]+/internal"], "blocked_code": 404, "blocked_message": "nope"}""");
		TestResult keyword = send(configuration, TestRequest.get("/docs/swagger.html"));
		assertThat(keyword.status()).isEqualTo(404);
		assertThat(keyword.body()).isEqualTo("nope");
		assertThat(keyword.reply().details()).isEqualTo("request-block.url_blocked.keyword");
		assertThat(send(configuration, TestRequest.get("/?foo=bar")).status()).isEqualTo(404);
		assertThat(send(configuration, TestRequest.get("/admin")).reply().details())
			.isEqualTo("request-block.url_blocked.exact");
		assertThat(send(configuration, TestRequest.get("/admin/x")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/api/v2/internal/x")).reply().details())
			.isEqualTo("request-block.url_blocked.regexp");
		assertThat(send(configuration, TestRequest.get("/api/vX/internal")).passed()).isTrue();
		// case sensitive by default
		assertThat(send(configuration, TestRequest.get("/Swagger.html")).passed()).isTrue();
	}

	@Test
	void caseInsensitiveMatching() {
		TestConfiguration configuration = plugin.configure("""
				{"block_urls": ["swagger.html", "foo=bar"], "block_regexp_urls": ["/SECRET[0-9]"],
				 "case_sensitive": false}""");
		assertThat(send(configuration, TestRequest.get("/Swagger.html")).status()).isEqualTo(403);
		assertThat(send(configuration, TestRequest.get("/?foo=Bar")).status()).isEqualTo(403);
		assertThat(send(configuration, TestRequest.get("/secret7")).status()).isEqualTo(403);
		assertThat(send(configuration, TestRequest.get("/fine")).passed()).isTrue();
	}

	@Test
	void blocksHeadersByNameOrValue() {
		TestConfiguration configuration = plugin.configure("{\"block_headers\": [\"example-key\", \"example-value\"]}");
		assertThat(send(configuration, TestRequest.get("/", "example-key", "123")).status()).isEqualTo(403);
		TestResult byValue = send(configuration, TestRequest.get("/", "my-header", "an example-value here"));
		assertThat(byValue.status()).isEqualTo(403);
		assertThat(byValue.reply().details()).isEqualTo("request-block.header_blocked");
		assertThat(send(configuration, TestRequest.get("/", "my-header", "other")).passed()).isTrue();
	}

	@Test
	void blocksBodiesAcrossChunksAndLetsOthersThrough() {
		TestConfiguration configuration = plugin
			.configure("{\"block_bodies\": [\"hello world\"], \"case_sensitive\": false}");
		TestResult blocked = BuiltinPlugins.sendBody(plugin, configuration, TestRequest.request("POST", "/"),
				bytes("say Hello "), bytes("World!"));
		assertThat(blocked.decision(Phase.REQUEST_BODY)).isEqualTo(Decision.REPLY);
		assertThat(blocked.status()).isEqualTo(403);
		assertThat(blocked.reply().details()).isEqualTo("request-block.body_blocked");
		TestResult passed = BuiltinPlugins.sendBody(plugin, configuration, TestRequest.request("POST", "/"),
				bytes("hello"), bytes(" there"));
		assertThat(passed.decision(Phase.REQUEST_BODY)).isEqualTo(Decision.CONTINUE);
		assertThat(passed.reply()).isNull();
		// the older name block_bodys is accepted too
		TestConfiguration legacy = plugin.configure("{\"block_bodys\": [\"secret\"]}");
		assertThat(
				BuiltinPlugins.sendBody(plugin, legacy, TestRequest.request("POST", "/"), bytes("a secret")).status())
			.isEqualTo(403);
	}

	@Test
	void hugeBodyIsScannedInChunksWithoutATrap() {
		TestConfiguration configuration = plugin.configure("{\"block_bodies\": [\"needle-in-the-haystack\"]}");
		byte[] big = new byte[24 * 1024 * 1024];
		Arrays.fill(big, (byte) 'a');
		byte[] needle = bytes("needle-in-the-haystack");
		// across a 64 KiB chunk boundary, near the end
		System.arraycopy(needle, 0, big, big.length - 65536 * 3 - 5, needle.length);
		TestResult blocked = BuiltinPlugins.sendBody(plugin, configuration, TestRequest.request("POST", "/"), big);
		assertThat(blocked.status()).isEqualTo(403);
		Arrays.fill(big, (byte) 'b');
		TestResult passed = BuiltinPlugins.sendBody(plugin, configuration, TestRequest.request("POST", "/"), big);
		assertThat(passed.decision(Phase.REQUEST_BODY)).isEqualTo(Decision.CONTINUE);
		assertThat(plugin.failures()).isZero();
		assertThat(plugin.plugin().vms()).allSatisfy((vm) -> assertThat(vm.memoryBytes()).isLessThan(8L << 20));
	}

	@Test
	void rulesApplyPerRouteAndDomain() {
		TestConfiguration configuration = plugin.configure("""
				{"_rules_": [
				  {"_match_route_": ["route-a"], "block_urls": ["/a-only"]},
				  {"_match_domain_": ["*.example.com"], "block_urls": ["swagger.html"], "blocked_code": 410}
				]}""");
		assertThat(send(configuration, TestRequest.get("/a-only").route("route-a")).status()).isEqualTo(403);
		assertThat(send(configuration, TestRequest.get("/a-only").route("route-b")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/swagger.html").authority("api.example.com")).status())
			.isEqualTo(410);
		// no global part: requests no rule matches pass
		assertThat(send(configuration, TestRequest.get("/swagger.html")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{\"blocked_code\": 403}"))
			.contains("request-block: configuration refused: there is no block rule");
		assertThat(plugin.refused("{\"block_urls\": [\"x\"], \"blocked_code\": 700}"))
			.contains("blocked_code must be between 100 and 599, not 700");
		assertThat(plugin.refused("{\"block_regexp_urls\": [\"([a-z\"]}"))
			.contains("block_regexp_urls[0] is not a valid regular expression");
		assertThat(plugin.refused("{\"block_urls\": \"x\"}")).contains("block_urls must be an array of strings");
		assertThat(plugin.failures()).isZero();
	}

}
