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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * key-auth through the engine in PRECOMPILED mode: Higress's configuration and answers.
 */
class KeyAuthTests {

	static final PluginTester plugin = BuiltinPlugins.tester("key-auth");

	static final String CONSUMERS = """
			"consumers": [
			  {"name": "consumer1", "credential": "token1"},
			  {"name": "consumer2", "credential": "token2"}
			]""";

	static final String RULES = """
			"_rules_": [
			  {"_match_route_": ["route-a", "route-b"], "allow": ["consumer1"]},
			  {"_match_domain_": ["*.example.com", "test.com"], "allow": ["consumer2"]}
			]""";

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestConfiguration configure(String... parts) {
		return plugin.configure("{" + String.join(",", parts) + "}");
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	/** Higress's README, "Enabled for specific routes or domains", unchanged. */
	static final String HIGRESS_EXAMPLE = """
			consumers:
			- credential: 2bda943c-ba2b-11ec-ba07-00163e1250b5
			  name: consumer1
			- credential: c8c8e9ca-558e-4a2d-bb62-e700dcc40e35
			  name: consumer2
			keys:
			- apikey
			in_query: true
			# Use the _rules_ field for fine-grained rule configuration
			_rules_:
			# Rule 1: Match by route name to take effect
			- _match_route_:
			  - route-a
			  - route-b
			  allow:
			  - consumer1
			# Rule 2: Take effect by domain name matching
			- _match_domain_:
			  - "*.example.com"
			  - test.com
			  allow:
			  - consumer2
			""";

	@Test
	void higressDocumentedExampleConfigurationAndRequests() {
		TestConfiguration configuration = plugin.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE));
		// the requests of Higress's README, on route-a
		TestResult byQuery = send(configuration,
				TestRequest.get("/test?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5").route("route-a"));
		assertThat(byQuery.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		TestResult byHeader = send(configuration,
				TestRequest.get("/test", "apikey", "2bda943c-ba2b-11ec-ba07-00163e1250b5").route("route-a"));
		assertThat(byHeader.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		assertThat(send(configuration, TestRequest.get("/test").route("route-a")).status()).isEqualTo(401);
		assertThat(send(configuration,
				TestRequest.get("/test?apikey=926d90ac-ba2e-11ec-ab68-00163e1250b5").route("route-a"))
			.status()).isEqualTo(401);
		assertThat(send(configuration,
				TestRequest.get("/test?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35").route("route-a"))
			.status()).isEqualTo(403);
		assertThat(send(configuration,
				TestRequest.get("/test?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35").authority("api.example.com"))
			.requestHeader("x-mse-consumer")).isEqualTo("consumer2");
	}

	@Test
	void keyInHeaderAuthenticatesAndNamesTheConsumer() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]");
		TestResult result = send(configuration, TestRequest.get("/", "x-api-key", "token1"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
	}

	@Test
	void keyInQueryAuthenticates() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"apikey\"]");
		TestResult result = send(configuration, TestRequest.get("/test?a=1&apikey=token2"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer2");
		// percent-encoded keys are decoded as Go's net/url does
		assertThat(send(configuration, TestRequest.get("/?apikey=tok%65n1")).requestHeader("x-mse-consumer"))
			.isEqualTo("consumer1");
	}

	@Test
	void inQueryAndInHeaderChooseTheSources() {
		TestConfiguration headerOnly = configure(CONSUMERS, "\"keys\": [\"apikey\"]", "\"in_query\": false");
		assertThat(send(headerOnly, TestRequest.get("/?apikey=token1")).status()).isEqualTo(401);
		assertThat(send(headerOnly, TestRequest.get("/", "apikey", "token1")).passed()).isTrue();
		TestConfiguration queryOnly = configure(CONSUMERS, "\"keys\": [\"apikey\"]", "\"in_header\": false");
		assertThat(send(queryOnly, TestRequest.get("/", "apikey", "token1")).status()).isEqualTo(401);
		assertThat(send(queryOnly, TestRequest.get("/?apikey=token1")).passed()).isTrue();
	}

	@Test
	void missingKeyIs401WithRealm() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]");
		TestResult result = send(configuration, TestRequest.get("/"));
		assertThat(result.status()).isEqualTo(401);
		assertThat(result.body())
			.isEqualTo("Request denied by Key Auth check. No Key Authentication information found.");
		assertThat(result.responseHeader("www-authenticate")).isEqualTo("Key realm=MSE Gateway");
		assertThat(result.reply().details()).isEqualTo("key-auth.no_key");
		assertThat(result.requestHeader("x-mse-consumer")).isNull();
	}

	@Test
	void unknownKeyIs401() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]");
		TestResult result = send(configuration, TestRequest.get("/", "x-api-key", "nope"));
		assertThat(result.status()).isEqualTo(401);
		assertThat(result.body()).isEqualTo("Request denied by Key Auth check. Invalid API key.");
	}

	@Test
	void twoDifferentKeysAre401() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\", \"apikey\"]");
		TestResult result = send(configuration, TestRequest.get("/?apikey=token2", "x-api-key", "token1"));
		assertThat(result.status()).isEqualTo(401);
		assertThat(result.body()).contains("Multi Key Authentication information found");
		// the same key twice is one key
		assertThat(send(configuration, TestRequest.get("/?apikey=token1", "x-api-key", "token1")).passed()).isTrue();
	}

	@Test
	void clientCannotSendItsOwnConsumerHeader() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]");
		TestResult result = send(configuration,
				TestRequest.get("/", "x-api-key", "token2", "x-mse-consumer", "consumer1"));
		assertThat(result.requestHeaderValues("x-mse-consumer")).containsExactly("consumer2");
	}

	@Test
	void rulesAllowConsumersPerRoute() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]", RULES);
		TestResult allowed = send(configuration, TestRequest.get("/", "x-api-key", "token1").route("route-a"));
		assertThat(allowed.passed()).isTrue();
		assertThat(allowed.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		TestResult forbidden = send(configuration, TestRequest.get("/", "x-api-key", "token2").route("route-b"));
		assertThat(forbidden.status()).isEqualTo(403);
		assertThat(forbidden.body()).isEqualTo("Request denied by Key Auth check. Unauthorized consumer.");
		assertThat(send(configuration, TestRequest.get("/").route("route-a")).status()).isEqualTo(401);
	}

	@Test
	void rulesAllowConsumersPerDomain() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]", RULES);
		assertThat(send(configuration, TestRequest.get("/", "x-api-key", "token2").authority("api.example.com:8443"))
			.passed()).isTrue();
		assertThat(
				send(configuration, TestRequest.get("/", "x-api-key", "token1").authority("api.example.com")).status())
			.isEqualTo(403);
		assertThat(send(configuration, TestRequest.get("/", "x-api-key", "token2").authority("TEST.com")).passed())
			.isTrue();
	}

	@Test
	void withRulesAndNoGlobalAuthOtherRoutesAreNotAuthenticated() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]", RULES);
		assertThat(send(configuration, TestRequest.get("/").route("route-z")).passed()).isTrue();
	}

	@Test
	void globalAuthTrueAuthenticatesEveryRoute() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]", "\"global_auth\": true",
				RULES);
		assertThat(send(configuration, TestRequest.get("/").route("route-z")).status()).isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/", "x-api-key", "token2").route("route-z")).passed()).isTrue();
		// a rule still restricts its routes
		assertThat(send(configuration, TestRequest.get("/", "x-api-key", "token2").route("route-a")).status())
			.isEqualTo(403);
	}

	@Test
	void globalAuthFalseAuthenticatesOnlyRuleRoutes() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]", "\"global_auth\": false");
		assertThat(send(configuration, TestRequest.get("/")).passed()).isTrue();
		TestConfiguration withRules = configure(CONSUMERS, "\"keys\": [\"x-api-key\"]", "\"global_auth\": false",
				RULES);
		assertThat(send(withRules, TestRequest.get("/").route("route-a")).status()).isEqualTo(401);
		assertThat(send(withRules, TestRequest.get("/").route("other")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{" + CONSUMERS + "}")).contains("key-auth: configuration refused: keys is required");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"keys\": []}")).contains("keys must not be empty");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"keys\": \"x-api-key\"}"))
			.contains("keys must be an array of strings, not string");
		assertThat(plugin.refused("{\"keys\": [\"k\"]}")).contains("consumers is required");
		assertThat(plugin.refused("{\"keys\": [\"k\"], \"consumers\": [{\"name\": \"a\"}]}"))
			.contains("consumers[0].credential is required");
		assertThat(plugin.refused("{\"keys\": [\"k\"], \"consumers\": [{\"name\": \"a\", \"credential\": \"t\"},"
				+ " {\"name\": \"b\", \"credential\": \"t\"}]}"))
			.contains("consumers[1].credential duplicates the credential of consumer 'a'");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"keys\": [\"k\"], \"in_query\": false, \"in_header\": false}"))
			.contains("at least one of in_query and in_header must be true");
		assertThat(
				plugin.refused("{" + CONSUMERS + ", \"keys\": [\"k\"], \"_rules_\": [{\"_match_route_\": [\"r\"]}]}"))
			.contains("_rules_[0].allow is required");
		assertThat(
				plugin.refused("{" + CONSUMERS + ", \"keys\": [\"k\"], \"_rules_\": [{\"allow\": [\"consumer1\"]}]}"))
			.contains("_rules_[0] needs at least one of '_match_route_'");
		assertThat(plugin.refused("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": [\"consumer1\"]}]}"))
			.contains("_rules_[0] needs keys and consumers in the global part");
		assertThat(plugin.refused("{\"keys\": [\"k\"],"))
			.contains("invalid JSON at line 1, column 16: expected a member name in double quotes");
		assertThat(plugin.refused("[1, 2]")).contains("the configuration must be a JSON object, not array");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void hostileInputIsRejectedWithoutATrap() {
		TestConfiguration configuration = configure(CONSUMERS, "\"keys\": [\"x-api-key\", \"apikey\"]");
		String huge = "k".repeat(256 * 1024);
		assertThat(send(configuration, TestRequest.get("/", "x-api-key", huge)).status()).isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/?apikey=%zz&apikey=%", "x-api-key", "token1")).passed())
			.isTrue();
		StringBuilder manyParameters = new StringBuilder("/?");
		for (int i = 0; i < 5000; i++) {
			manyParameters.append("apikey").append(i).append("=v&");
		}
		assertThat(send(configuration, TestRequest.get(manyParameters.toString())).status()).isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/", "x-api-key", "t\u00e9\u0000\u00ffken")).status())
			.isEqualTo(401);
		assertThat(plugin.failures()).isZero();
	}

}
