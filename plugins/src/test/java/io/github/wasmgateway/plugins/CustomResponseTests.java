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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * custom-response through the engine in PRECOMPILED mode.
 */
class CustomResponseTests {

	static final PluginTester plugin = BuiltinPlugins.tester("custom-response");

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	@Test
	void higressDocumentedExampleConfigurationsAndResponses() {
		// the three configurations of Higress's README, unchanged, and the answers it
		// shows
		TestConfiguration mock = plugin.configure(PluginTester.yamlToJson("""
				status_code: 200
				headers:
				- Content-Type=application/json
				- Hello=World
				body: "{\\"hello\\":\\"world\\"}"

				"""));
		TestResult mocked = send(mock, TestRequest.get("/"));
		assertThat(mocked.status()).isEqualTo(200);
		assertThat(mocked.responseHeader("content-type")).isEqualTo("application/json");
		assertThat(mocked.responseHeader("hello")).isEqualTo("World");
		assertThat(mocked.body()).isEqualTo("{\"hello\":\"world\"}");
		TestConfiguration limited = plugin.configure(PluginTester.yamlToJson("""
				enable_on_status:\s
				- 429
				status_code: 302
				headers:
				- Location=https://example.com
				"""));
		TestResult redirected = send(limited, TestRequest.get("/").upstream(429));
		assertThat(redirected.status()).isEqualTo(302);
		assertThat(redirected.responseHeader("location")).isEqualTo("https://example.com");
		assertThat(send(limited, TestRequest.get("/").upstream(200)).reply()).isNull();
		// the older rule form matchRules (ingress, domain), as that example writes it
		TestConfiguration rules = plugin.configure(PluginTester.yamlToJson("""
				# Use matchRules field for fine-grained rule configurations\s
				matchRules:
				# Rule 1: Match by Ingress name
				- ingress:
				  - default/foo
				  - default/bar
				  body: "{\\"hello\\":\\"world\\"}"
				# Rule 2: Match by domain
				- domain:
				  - "*.example.com"
				  - test.com
				  enable_on_status:\s
				  - 429
				  status_code: 200
				  headers:
				  - Content-Type=application/json
				  body: "{\\"errmsg\\": \\"rate limited\\"}"
				"""));
		assertThat(send(rules, TestRequest.get("/").route("default/foo")).body()).isEqualTo("{\"hello\":\"world\"}");
		TestResult friendly = send(rules, TestRequest.get("/").authority("api.example.com").upstream(429));
		assertThat(friendly.status()).isEqualTo(200);
		assertThat(friendly.body()).isEqualTo("{\"errmsg\": \"rate limited\"}");
		assertThat(send(rules, TestRequest.get("/").route("other")).reply()).isNull();
	}

	@Test
	void mockResponseForEveryRequest() {
		TestConfiguration configuration = plugin.configure("""
				{"status_code": 200, "headers": ["Content-Type=application/json", "Hello=World", "Content-Length=99"],
				 "body": "{\\"hello\\":\\"world\\"}"}""");
		TestResult result = send(configuration, TestRequest.get("/anything"));
		assertThat(result.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.REPLY);
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.body()).isEqualTo("{\"hello\":\"world\"}");
		assertThat(result.responseHeader("hello")).isEqualTo("World");
		assertThat(result.responseHeader("content-type")).isEqualTo("application/json");
		assertThat(result.responseHeader("content-length")).isNull();
	}

	@Test
	void contentTypeFollowsTheBody() {
		assertThat(send(plugin.configure("{\"body\": \"{\\\"a\\\": 1}\"}"), TestRequest.get("/"))
			.responseHeader("content-type")).isEqualTo("application/json; charset=utf-8");
		assertThat(
				send(plugin.configure("{\"body\": \"plain words\", \"status_code\": \"503\"}"), TestRequest.get("/")))
			.satisfies((result) -> {
				assertThat(result.responseHeader("content-type")).isEqualTo("text/plain; charset=utf-8");
				assertThat(result.status()).isEqualTo(503);
			});
	}

	@Test
	void enableOnStatusReplacesOnlyMatchingUpstreamResponses() {
		TestConfiguration configuration = plugin.configure("""
				{"enable_on_status": [429], "status_code": 302, "headers": ["Location=https://example.com"]}""");
		TestResult limited = send(configuration, TestRequest.get("/").upstream(429));
		assertThat(limited.decision(Phase.REQUEST_HEADERS)).isEqualTo(Decision.CONTINUE);
		assertThat(limited.decision(Phase.RESPONSE_HEADERS)).isEqualTo(Decision.REPLY);
		assertThat(limited.status()).isEqualTo(302);
		assertThat(limited.responseHeader("location")).isEqualTo("https://example.com");
		TestResult fine = send(configuration, TestRequest.get("/").upstream(200));
		assertThat(fine.decision(Phase.RESPONSE_HEADERS)).isEqualTo(Decision.CONTINUE);
		assertThat(fine.reply()).isNull();
	}

	@Test
	void rulesWithStatusPatterns() {
		TestConfiguration configuration = plugin.configure("""
				{"rules": [
				  {"enable_on_status": ["5xx"], "status_code": 503, "body": "down"},
				  {"enable_on_status": ["404", "4X1"], "status_code": 404, "body": "missing"}
				]}""");
		assertThat(send(configuration, TestRequest.get("/").upstream(502)).body()).isEqualTo("down");
		assertThat(send(configuration, TestRequest.get("/").upstream(404)).body()).isEqualTo("missing");
		assertThat(send(configuration, TestRequest.get("/").upstream(401)).body()).isEqualTo("missing");
		assertThat(send(configuration, TestRequest.get("/").upstream(403)).reply()).isNull();
	}

	@Test
	void rulesPerRoute() {
		TestConfiguration configuration = plugin.configure("""
				{"_rules_": [{"_match_route_": ["mock"], "body": "mocked"},
				             {"_match_route_prefix_": ["legacy-"], "status_code": 410, "body": "gone"}]}""");
		assertThat(send(configuration, TestRequest.get("/").route("mock")).body()).isEqualTo("mocked");
		assertThat(send(configuration, TestRequest.get("/").route("legacy-orders")).status()).isEqualTo(410);
		assertThat(send(configuration, TestRequest.get("/").route("real")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{\"headers\": [\"no-equals\"]}"))
			.contains("custom-response: configuration refused: headers[0] must be 'name=value', not 'no-equals'");
		assertThat(plugin.refused("{\"status_code\": \"abc\"}")).contains("status_code must be an integer");
		assertThat(plugin.refused("{\"status_code\": 1000}")).contains("status_code must be between 100 and 599");
		assertThat(plugin.refused("{\"enable_on_status\": [\"4xxx\"]}")).contains("enable_on_status[0] must be");
		assertThat(plugin.refused("{\"rules\": [{\"enable_on_status\": [429]}, {\"enable_on_status\": [429]}]}"))
			.contains("enable_on_status 429 is used by more than one rule");
		assertThat(plugin.failures()).isZero();
	}

}
