package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.plugins.PluginHarness.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * custom-response through the engine in PRECOMPILED mode.
 */
class CustomResponseTests {

	static final PluginHarness harness = new PluginHarness("custom-response");

	@AfterAll
	static void close() {
		harness.close();
	}

	static Result send(PluginConfiguration configuration, TestExchange exchange) {
		return harness.send(configuration, exchange);
	}

	@Test
	void higressDocumentedExampleConfigurationsAndResponses() {
		// the three configurations of Higress's README, unchanged, and the answers it
		// shows
		PluginConfiguration mock = harness.configure(HigressExamples.yamlToJson("""
				status_code: 200
				headers:
				- Content-Type=application/json
				- Hello=World
				body: "{\\"hello\\":\\"world\\"}"

				"""));
		Result mocked = send(mock, TestExchange.get("/"));
		assertThat(mocked.status()).isEqualTo(200);
		assertThat(mocked.responseHeader("content-type")).isEqualTo("application/json");
		assertThat(mocked.responseHeader("hello")).isEqualTo("World");
		assertThat(mocked.body()).isEqualTo("{\"hello\":\"world\"}");
		PluginConfiguration limited = harness.configure(HigressExamples.yamlToJson("""
				enable_on_status:\s
				- 429
				status_code: 302
				headers:
				- Location=https://example.com
				"""));
		Result redirected = send(limited, TestExchange.get("/").withResponse(429));
		assertThat(redirected.status()).isEqualTo(302);
		assertThat(redirected.responseHeader("location")).isEqualTo("https://example.com");
		assertThat(send(limited, TestExchange.get("/").withResponse(200)).response()).isNull();
		// the older rule form matchRules (ingress, domain), as that example writes it
		PluginConfiguration rules = harness.configure(HigressExamples.yamlToJson("""
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
		assertThat(send(rules, TestExchange.get("/").route("default/foo")).body()).isEqualTo("{\"hello\":\"world\"}");
		Result friendly = send(rules, TestExchange.get("/").authority("api.example.com").withResponse(429));
		assertThat(friendly.status()).isEqualTo(200);
		assertThat(friendly.body()).isEqualTo("{\"errmsg\": \"rate limited\"}");
		assertThat(send(rules, TestExchange.get("/").route("other")).response()).isNull();
	}

	@Test
	void mockResponseForEveryRequest() {
		PluginConfiguration configuration = harness.configure("""
				{"status_code": 200, "headers": ["Content-Type=application/json", "Hello=World", "Content-Length=99"],
				 "body": "{\\"hello\\":\\"world\\"}"}""");
		Result result = send(configuration, TestExchange.get("/anything"));
		assertThat(result.action()).isInstanceOf(Decision.Reply.class);
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.body()).isEqualTo("{\"hello\":\"world\"}");
		assertThat(result.responseHeader("hello")).isEqualTo("World");
		assertThat(result.responseHeader("content-type")).isEqualTo("application/json");
		assertThat(result.responseHeader("content-length")).isNull();
	}

	@Test
	void contentTypeFollowsTheBody() {
		assertThat(send(harness.configure("{\"body\": \"{\\\"a\\\": 1}\"}"), TestExchange.get("/"))
			.responseHeader("content-type")).isEqualTo("application/json; charset=utf-8");
		assertThat(
				send(harness.configure("{\"body\": \"plain words\", \"status_code\": \"503\"}"), TestExchange.get("/")))
			.satisfies((result) -> {
				assertThat(result.responseHeader("content-type")).isEqualTo("text/plain; charset=utf-8");
				assertThat(result.status()).isEqualTo(503);
			});
	}

	@Test
	void enableOnStatusReplacesOnlyMatchingUpstreamResponses() {
		PluginConfiguration configuration = harness.configure("""
				{"enable_on_status": [429], "status_code": 302, "headers": ["Location=https://example.com"]}""");
		Result limited = send(configuration, TestExchange.get("/").withResponse(429));
		assertThat(limited.action()).isEqualTo(Decision.Flow.CONTINUE);
		assertThat(limited.responseAction()).isInstanceOf(Decision.Reply.class);
		assertThat(limited.status()).isEqualTo(302);
		assertThat(limited.responseHeader("location")).isEqualTo("https://example.com");
		Result fine = send(configuration, TestExchange.get("/").withResponse(200));
		assertThat(fine.responseAction()).isEqualTo(Decision.Flow.CONTINUE);
		assertThat(fine.response()).isNull();
	}

	@Test
	void rulesWithStatusPatterns() {
		PluginConfiguration configuration = harness.configure("""
				{"rules": [
				  {"enable_on_status": ["5xx"], "status_code": 503, "body": "down"},
				  {"enable_on_status": ["404", "4X1"], "status_code": 404, "body": "missing"}
				]}""");
		assertThat(send(configuration, TestExchange.get("/").withResponse(502)).body()).isEqualTo("down");
		assertThat(send(configuration, TestExchange.get("/").withResponse(404)).body()).isEqualTo("missing");
		assertThat(send(configuration, TestExchange.get("/").withResponse(401)).body()).isEqualTo("missing");
		assertThat(send(configuration, TestExchange.get("/").withResponse(403)).response()).isNull();
	}

	@Test
	void rulesPerRoute() {
		PluginConfiguration configuration = harness.configure("""
				{"_rules_": [{"_match_route_": ["mock"], "body": "mocked"},
				             {"_match_route_prefix_": ["legacy-"], "status_code": 410, "body": "gone"}]}""");
		assertThat(send(configuration, TestExchange.get("/").route("mock")).body()).isEqualTo("mocked");
		assertThat(send(configuration, TestExchange.get("/").route("legacy-orders")).status()).isEqualTo(410);
		assertThat(send(configuration, TestExchange.get("/").route("real")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(harness.refused("{\"headers\": [\"no-equals\"]}"))
			.contains("custom-response: configuration refused: headers[0] must be 'name=value', not 'no-equals'");
		assertThat(harness.refused("{\"status_code\": \"abc\"}")).contains("status_code must be an integer");
		assertThat(harness.refused("{\"status_code\": 1000}")).contains("status_code must be between 100 and 599");
		assertThat(harness.refused("{\"enable_on_status\": [\"4xxx\"]}")).contains("enable_on_status[0] must be");
		assertThat(harness.refused("{\"rules\": [{\"enable_on_status\": [429]}, {\"enable_on_status\": [429]}]}"))
			.contains("enable_on_status 429 is used by more than one rule");
		assertThat(harness.failures()).isZero();
	}

}
