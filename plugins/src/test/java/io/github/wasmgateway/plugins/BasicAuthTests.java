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

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * basic-auth through the engine in PRECOMPILED mode: Higress's configuration and answers.
 */
class BasicAuthTests {

	static final PluginTester plugin = BuiltinPlugins.tester("basic-auth");

	static final String CONSUMERS = """
			"consumers": [
			  {"name": "consumer1", "credential": "admin:123456"},
			  {"name": "consumer2", "credential": "guest:abc"},
			  {"name": "consumer3", "credential": "colon:pass:word"}
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

	static String basic(String credential) {
		return "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	/**
	 * Higress's README, "Enable Authentication and Authorization for specific routes or
	 * domains", unchanged.
	 */
	static final String HIGRESS_EXAMPLE = """
			# use the _rules_ field for fine-grained rule configuration.
			consumers:
			- credential: 'admin:123456'
			  name: consumer1
			- credential: 'guest:abc'
			  name: consumer2
			_rules_:
			# rule 1: match by the route name.
			  - _match_route_:
			    - route-a
			    - route-b
			    allow:
			    - consumer1
			# rule 2: match by the domain.
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
		TestResult ok = send(configuration,
				TestRequest.get("/test", "authorization", "Basic YWRtaW46MTIzNDU2").route("route-a"));
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		assertThat(send(configuration, TestRequest.get("/test").route("route-a")).status()).isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/test", "authorization", basic("admin:abc")).route("route-a"))
			.status()).isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/test", "authorization", basic("guest:abc")).route("route-a"))
			.status()).isEqualTo(403);
	}

	@Test
	void validCredentialAuthenticatesAndNamesTheConsumer() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestResult result = send(configuration, TestRequest.get("/", "authorization", "Basic YWRtaW46MTIzNDU2"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		// a password may hold colons (RFC 7617 splits at the first one)
		assertThat(send(configuration, TestRequest.get("/", "authorization", basic("colon:pass:word")))
			.requestHeader("x-mse-consumer")).isEqualTo("consumer3");
	}

	@Test
	void missingOrNonBasicAuthorizationIs401() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestResult missing = send(configuration, TestRequest.get("/"));
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.body())
			.isEqualTo("Request denied by Basic Auth check. No Basic Authentication information found.");
		assertThat(missing.responseHeader("www-authenticate")).isEqualTo("Basic realm=MSE Gateway");
		assertThat(send(configuration, TestRequest.get("/", "authorization", "Bearer abc")).status()).isEqualTo(401);
	}

	@Test
	void wrongPasswordOrUnknownUserIs401() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestResult wrong = send(configuration, TestRequest.get("/", "authorization", basic("admin:abc")));
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body()).isEqualTo("Request denied by Basic Auth check. Invalid username and/or password.");
		assertThat(send(configuration, TestRequest.get("/", "authorization", basic("nobody:123456"))).status())
			.isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/", "authorization", basic("admin"))).status()).isEqualTo(401);
	}

	@Test
	void brokenBase64Is401WithoutATrap() {
		TestConfiguration configuration = configure(CONSUMERS);
		for (String broken : new String[] { "Basic !!!!", "Basic YWRtaW46MTIzNDU", "Basic YWRtaW46MTIzNDU2=",
				"Basic ====", "Basic YW=taW46", "Basic \u00e9\u00e9\u00e9\u00e9", "Basic " }) {
			TestResult result = send(configuration, TestRequest.get("/", "authorization", broken));
			assertThat(result.status()).as(broken).isEqualTo(401);
		}
		String huge = "Basic " + "QUFB".repeat(100_000);
		assertThat(send(configuration, TestRequest.get("/", "authorization", huge)).status()).isEqualTo(401);
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void rulesAllowConsumersPerRouteAndDomain() {
		TestConfiguration configuration = configure(CONSUMERS, RULES);
		assertThat(send(configuration, TestRequest.get("/", "authorization", basic("admin:123456")).route("route-a"))
			.passed()).isTrue();
		TestResult forbidden = send(configuration,
				TestRequest.get("/", "authorization", basic("guest:abc")).route("route-a"));
		assertThat(forbidden.status()).isEqualTo(403);
		assertThat(forbidden.body()).isEqualTo("Request denied by Basic Auth check. Unauthorized consumer.");
		assertThat(send(configuration,
				TestRequest.get("/", "authorization", basic("guest:abc")).authority("www.example.com"))
			.passed()).isTrue();
		// no global_auth and rules configured: other routes are open
		assertThat(send(configuration, TestRequest.get("/").route("elsewhere")).passed()).isTrue();
	}

	@Test
	void globalAuthTrueProtectsEveryRoute() {
		TestConfiguration configuration = configure(CONSUMERS, "\"global_auth\": true", RULES);
		assertThat(send(configuration, TestRequest.get("/").route("elsewhere")).status()).isEqualTo(401);
		assertThat(send(configuration, TestRequest.get("/", "authorization", basic("guest:abc")).route("elsewhere"))
			.passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{}")).contains("basic-auth: configuration refused: consumers is required");
		assertThat(plugin.refused("{\"consumers\": []}")).contains("consumers must not be empty");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"a\", \"credential\": \"nocolon\"}]}"))
			.contains("consumers[0].credential must be 'user:password'");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"a\", \"credential\": \"u:p\"},"
				+ " {\"name\": \"b\", \"credential\": \"u:p\"}]}"))
			.contains("duplicates the credential of consumer 'a'");
		assertThat(
				plugin.refused("{" + CONSUMERS + ", \"_rules_\": [{\"_match_domain_\": [\"x.com\"], \"allow\": []}]}"))
			.contains("_rules_[0].allow must not be empty");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"global_auth\": \"maybe\"}"))
			.contains("global_auth must be true or false");
		assertThat(plugin.failures()).isZero();
	}

}
