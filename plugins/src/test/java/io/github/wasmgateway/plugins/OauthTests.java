package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static io.github.wasmgateway.plugins.JoseTestSupport.b64u;
import static io.github.wasmgateway.plugins.JoseTestSupport.fromB64u;
import static io.github.wasmgateway.plugins.JoseTestSupport.hmac;
import static io.github.wasmgateway.plugins.JoseTestSupport.hmacJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.part;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaPrivateJwk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * oauth through the engine in PRECOMPILED mode: Higress's token endpoint and token
 * checks, tokens checked with the JDK's crypto.
 */
class OauthTests {

	static final PluginTester plugin = BuiltinPlugins.tester("oauth");

	static final KeyPair RSA = JoseTestSupport.rsaKeyPair(2048);

	static final String CONSUMERS = """
			"consumers": [
			  {"name": "consumer1", "client_id": "id-1", "client_secret": "secret-1"},
			  {"name": "consumer2", "client_id": "id-2", "client_secret": "secret-2"}
			]""";

	static final String RULES = """
			"_rules_": [
			  {"_match_route_": ["route-a"], "allow": ["consumer1"]},
			  {"_match_domain_": ["*.example.com"], "allow": ["consumer2"]}
			]""";

	static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

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

	static String token(TestResult result) {
		assertThat(result.status()).as(result.body()).isEqualTo(200);
		Matcher matcher = ACCESS_TOKEN.matcher(result.body());
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	static String issue(TestConfiguration configuration, String clientId, String secret) {
		return issue(plugin, configuration, clientId, secret);
	}

	static String issue(PluginTester on, TestConfiguration configuration, String clientId, String secret) {
		return token(on.send(configuration, TestRequest
			.get("/oauth2/token?grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret)));
	}

	/** The token's jti, which must be a well-formed version 4 (random) UUID. */
	static UUID jti(String token) {
		String jti = part(token, 1).replaceAll(".*\"jti\":\"([^\"]+)\".*", "$1");
		assertThat(jti).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
		UUID uuid = UUID.fromString(jti);
		assertThat(uuid.version()).isEqualTo(4);
		assertThat(uuid.variant()).isEqualTo(2);
		return uuid;
	}

	static TestRequest bearer(String token) {
		return TestRequest.get("/api", "authorization", "Bearer " + token);
	}

	/** Higress's README, its configuration example, unchanged. */
	static final String HIGRESS_EXAMPLE = """
			consumers:
			  - name: consumer1
			    client_id: 9515b564-0b1d-11ee-9c4c-00163e1250b5
			    client_secret: 9e55de56-0b1d-11ee-b8ec-00163e1250b5
			  - name: consumer2
			    client_id: 8521b564-0b1d-11ee-9c4c-00163e1250b5
			    client_secret: 8520b564-0b1d-11ee-9c4c-00163e1250b5
			issuer: Higress-Gateway
			auth_path: /oauth2/token
			global_credentials: true
			auth_header_name: Authorization
			token_ttl: 7200
			clock_skew_seconds: 3153600000
			keep_token: true
			""";

	@Test
	void higressDocumentedExampleConfigurationIssuesAndChecksTokens() {
		TestConfiguration configuration = plugin.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE));
		String token = issue(configuration, "9515b564-0b1d-11ee-9c4c-00163e1250b5",
				"9e55de56-0b1d-11ee-b8ec-00163e1250b5");
		assertThat(part(token, 0)).contains("\"alg\":\"HS256\"");
		assertThat(part(token, 1)).contains("\"iss\":\"Higress-Gateway\"", "\"sub\":\"consumer1\"");
		TestResult result = send(configuration, bearer(token));
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		assertThat(result.requestHeader("authorization")).isEqualTo("Bearer " + token);
		// the README's point: a route that allows consumer2 only refuses consumer1's
		// token
		TestConfiguration consumer2Only = plugin.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE + """
				_rules_:
				- _match_domain_: [test.com]
				  allow: [consumer2]
				"""));
		assertThat(send(consumer2Only, bearer(token).authority("test.com")).status()).isEqualTo(403);
	}

	@Test
	void getIssuesAnRfc9068AccessToken() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestResult result = send(configuration,
				TestRequest.get("/oauth2/token?grant_type=client_credentials&client_id=id-1&client_secret=secret-1"));
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.responseHeader("content-type")).isEqualTo("application/json");
		assertThat(result.body()).startsWith("{\"token_type\":\"bearer\",\"access_token\":\"")
			.endsWith("\",\"expires_in\":7200}");
		String token = token(result);
		assertThat(part(token, 0)).contains("\"alg\":\"HS256\"");
		long now = plugin.clock().epochSeconds();
		assertThat(part(token, 1)).matches("\\{\"aud\":\"default\",\"client_id\":\"id-1\",\"exp\":" + (now + 7200)
				+ ",\"iat\":" + now + ",\"iss\":\"Higress-Gateway\",\"jti\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
				+ "[89ab][0-9a-f]{3}-[0-9a-f]{12}\",\"sub\":\"consumer1\"\\}");
		// HS256 under the client secret, checked with javax.crypto
		String[] parts = token.split("\\.");
		assertThat(fromB64u(parts[2]))
			.isEqualTo(hmac("HS256", "secret-1".getBytes(StandardCharsets.UTF_8), parts[0] + "." + parts[1]));
		// the token opens other routes
		TestResult used = send(configuration, bearer(token));
		assertThat(used.passed()).isTrue();
		assertThat(used.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
	}

	@Test
	void everyTokenHasItsOwnRandomJti() {
		TestConfiguration configuration = configure(CONSUMERS);
		Set<UUID> ids = new HashSet<>();
		long mostOnes = 0;
		long mostZeros = 0;
		long leastOnes = 0;
		long leastZeros = 0;
		for (int i = 0; i < 200; i++) {
			UUID id = jti(issue(configuration, "id-2", "secret-2"));
			ids.add(id);
			mostOnes |= id.getMostSignificantBits();
			mostZeros |= ~id.getMostSignificantBits();
			leastOnes |= id.getLeastSignificantBits();
			leastZeros |= ~id.getLeastSignificantBits();
		}
		assertThat(ids).hasSize(200);
		// each of the 122 random bits (all but version and variant) was seen both ways:
		// for random bits, a bit stuck in 200 tokens has a chance of 2^-199
		assertThat(mostOnes & mostZeros).isEqualTo(~0xf000L);
		assertThat(leastOnes & leastZeros).isEqualTo(0x3fff_ffff_ffff_ffffL);
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void twoGatewaysIssuingAtTheSameInstantGiveDifferentJti() {
		// the same clock reading, VM, stream id and client in both: nothing but
		// randomness tells their first tokens apart
		try (PluginTester one = BuiltinPlugins.tester("oauth"); PluginTester two = BuiltinPlugins.tester("oauth")) {
			String config = "{" + CONSUMERS + "}";
			String first = issue(one, one.configure(config), "id-1", "secret-1");
			String second = issue(two, two.configure(config), "id-1", "secret-1");
			assertThat(one.clock().epochNanos()).isEqualTo(two.clock().epochNanos());
			assertThat(jti(first)).isNotEqualTo(jti(second));
		}
	}

	@Test
	void postWithAFormIssuesAToken() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestRequest exchange = TestRequest.request("POST", "/oauth2/token", "content-type",
				"application/x-www-form-urlencoded; charset=UTF-8");
		TestResult result = BuiltinPlugins.sendBody(plugin, configuration, exchange,
				"grant_type=client_credentials&client_id=id-2".getBytes(StandardCharsets.UTF_8),
				"&client_secret=secret-2".getBytes(StandardCharsets.UTF_8));
		assertThat(part(token(result), 1)).contains("\"sub\":\"consumer2\"");
		TestResult json = send(configuration,
				TestRequest.request("POST", "/oauth2/token", "content-type", "application/json"));
		assertThat(json.status()).isEqualTo(400);
		assertThat(json.body()).isEqualTo("{\"code\":400,\"msg\":\"Invalid or unsupported content-type\"}");
		TestResult empty = send(configuration,
				TestRequest.request("POST", "/oauth2/token", "content-type", "application/x-www-form-urlencoded"));
		assertThat(empty.body()).isEqualTo("{\"code\":400,\"msg\":\"Authorize parameters are missing\"}");
	}

	@Test
	void badTokenRequestsAre400() {
		TestConfiguration configuration = configure(CONSUMERS);
		String[][] cases = { { "", "grant_type is missing" },
				{ "grant_type=password&client_id=id-1&client_secret=secret-1",
						"grant type password is not supported." },
				{ "grant_type=client_credentials&client_secret=secret-1", "client_id is missing" },
				{ "grant_type=client_credentials&client_id=nobody&client_secret=x",
						"invalid client_id or client_secret" },
				{ "grant_type=client_credentials&client_id=id-1&client_secret=secret-2",
						"invalid client_id or client_secret" },
				{ "grant_type=client_credentials&client_id=id-1", "invalid client_id or client_secret" } };
		for (String[] c : cases) {
			TestResult result = send(configuration, TestRequest.get("/oauth2/token?" + c[0]));
			assertThat(result.status()).as(c[0]).isEqualTo(400);
			assertThat(result.body()).isEqualTo("{\"code\":400,\"msg\":\"" + c[1] + "\"}");
		}
		// the endpoint is any path ending in auth_path
		assertThat(send(configuration,
				TestRequest
					.get("/prefix/oauth2/token?grant_type=client_credentials&client_id=id-1&client_secret=secret-1"))
			.status()).isEqualTo(200);
	}

	@Test
	void missingOrBrokenTokensAre401() {
		TestConfiguration configuration = configure(CONSUMERS);
		String good = issue(configuration, "id-1", "secret-1");
		String[] parts = good.split("\\.");
		String[][] cases = { { null, "missing authorization header" }, { "Basic abc", "not a bearer token" },
				{ "Bearer abc", "malformed token" },
				{ "Bearer " + parts[0] + "." + b64u(part(good, 1).replace("consumer1", "consumer2")) + "." + parts[2],
						"signature does not verify" },
				{ "Bearer " + hmacJwt("HS256", "secret-1".getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS256\"}",
						"{\"client_id\":\"id-1\",\"iss\":\"Higress-Gateway\",\"exp\":9999999999}"),
						"typ is not at+jwt" },
				{ "Bearer " + hmacJwt("HS256", "secret-1".getBytes(StandardCharsets.UTF_8),
						"{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
						"{\"client_id\":\"id-1\",\"iss\":\"other\",\"exp\":9999999999}"), "wrong issuer" },
				{ "Bearer " + hmacJwt("HS256", "secret-1".getBytes(StandardCharsets.UTF_8),
						"{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
						"{\"client_id\":\"id-1\",\"iss\":\"Higress-Gateway\"}"), "exp is missing" },
				{ "Bearer " + hmacJwt("HS512", "secret-1".getBytes(StandardCharsets.UTF_8),
						"{\"alg\":\"HS512\",\"typ\":\"at+jwt\"}", "{\"client_id\":\"id-1\"}"),
						"unexpected signing algorithm HS512" },
				{ "Bearer " + b64u("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".",
						"unexpected signing algorithm none" },
				{ "Bearer " + hmacJwt("HS256", "x".getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS256\"}",
						"{\"client_id\":\"nobody\"}"), "unknown client_id" } };
		for (String[] c : cases) {
			TestRequest exchange = (c[0] == null) ? TestRequest.get("/api")
					: TestRequest.get("/api", "authorization", c[0]);
			TestResult result = send(configuration, exchange);
			assertThat(result.status()).as(c[1]).isEqualTo(401);
			assertThat(result.body()).startsWith("{\"code\":401,\"msg\":\"Invalid Jwt token: " + c[1]);
			assertThat(result.requestHeader("x-mse-consumer")).isNull();
		}
	}

	@Test
	void tokensExpireAfterTheirTtlPlusClockSkew() {
		TestConfiguration configuration = configure(CONSUMERS, "\"token_ttl\": 100", "\"clock_skew_seconds\": 10");
		String token = issue(configuration, "id-1", "secret-1");
		assertThat(part(token, 1)).contains("\"exp\":" + (plugin.clock().epochSeconds() + 100));
		plugin.advance(Duration.ofSeconds(109));
		assertThat(send(configuration, bearer(token)).passed()).isTrue();
		plugin.advance(Duration.ofSeconds(2));
		TestResult expired = send(configuration, bearer(token));
		assertThat(expired.status()).isEqualTo(401);
		assertThat(expired.body()).contains("token is expired");
	}

	@Test
	void optionsChangeTheEndpointTheHeaderAndTheIssuer() {
		TestConfiguration configuration = configure(CONSUMERS, "\"auth_path\": \"/token\"", "\"issuer\": \"my-gw\"",
				"\"auth_header_name\": \"X-Auth\"", "\"keep_token\": false");
		String token = token(send(configuration,
				TestRequest.get("/token?grant_type=client_credentials&client_id=id-1&client_secret=secret-1")));
		assertThat(part(token, 1)).contains("\"iss\":\"my-gw\"");
		assertThat(send(configuration, bearer(token)).status()).isEqualTo(401);
		TestResult result = send(configuration, TestRequest.get("/api", "x-auth", "Bearer " + token));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-auth")).isNull();
		// the endpoint is matched on the path without its query: /token?x is, /token/x is
		// not
		assertThat(send(configuration, TestRequest.get("/token/x?grant_type=client_credentials")).status())
			.isEqualTo(401);
	}

	@Test
	void withoutGlobalCredentialsATokenOpensOnlyItsRoute() {
		TestConfiguration configuration = configure(CONSUMERS, "\"global_credentials\": false");
		String token = token(send(configuration,
				TestRequest.get("/oauth2/token?grant_type=client_credentials&client_id=id-1&client_secret=secret-1")
					.route("route-a")));
		assertThat(part(token, 1)).contains("\"aud\":\"route-a\"");
		assertThat(send(configuration, bearer(token).route("route-a")).passed()).isTrue();
		TestResult other = send(configuration, bearer(token).route("route-b"));
		assertThat(other.status()).isEqualTo(403);
		assertThat(other.body()).startsWith("{\"code\":403,\"msg\":\"Access Denied: ");
	}

	@Test
	void rulesAllowConsumers() {
		TestConfiguration configuration = configure(CONSUMERS, RULES);
		String token1 = issue(configuration, "id-1", "secret-1");
		String token2 = issue(configuration, "id-2", "secret-2");
		assertThat(send(configuration, bearer(token1).route("route-a")).passed()).isTrue();
		TestResult forbidden = send(configuration, bearer(token2).route("route-a"));
		assertThat(forbidden.status()).isEqualTo(403);
		assertThat(forbidden.body())
			.isEqualTo("{\"code\":403,\"msg\":\"Access Denied: consumer 'consumer2' is not allowed\"}");
		assertThat(send(configuration, bearer(token2).authority("api.example.com")).passed()).isTrue();
		assertThat(send(configuration, TestRequest.get("/api").route("route-a")).status()).isEqualTo(401);
		// global_auth unset with rules: other routes are open
		assertThat(send(configuration, TestRequest.get("/api").route("route-z")).passed()).isTrue();
		TestConfiguration global = configure(CONSUMERS, "\"global_auth\": true", RULES);
		assertThat(send(global, TestRequest.get("/api").route("route-z")).status()).isEqualTo(401);
		assertThat(send(global, bearer(token2).route("route-z")).passed()).isTrue();
	}

	@Test
	void rs256TokensAreSignedWithTheGatewayKey() {
		String signing = "\"signing_algorithm\": \"RS256\", \"signing_key\": " + rsaPrivateJwk(RSA, "\"kid\":\"gw-1\"");
		TestConfiguration configuration = configure(CONSUMERS, signing);
		long start = System.nanoTime();
		String token = issue(configuration, "id-1", "secret-1");
		System.out.printf("oauth PRECOMPILED: first RS256 token issued in %.1f ms%n",
				(System.nanoTime() - start) / 1e6);
		assertThat(part(token, 0)).isEqualTo("{\"alg\":\"RS256\",\"kid\":\"gw-1\",\"typ\":\"application/at+jwt\"}");
		String[] parts = token.split("\\.");
		assertThat(JoseTestSupport.rsaVerify("RS256", RSA.getPublic(), parts[0] + "." + parts[1], fromB64u(parts[2])))
			.isTrue();
		assertThat(send(configuration, bearer(token)).requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		// an HS256 token under the client secret is not accepted in RS256 mode
		String hs = hmacJwt("HS256", "secret-1".getBytes(StandardCharsets.UTF_8),
				"{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", part(token, 1));
		assertThat(send(configuration, bearer(hs)).status()).isEqualTo(401);
		// a token signed by another RSA key is refused
		String forged = rsaJwt("RS256", JoseTestSupport.rsaKeyPair(2048),
				"{\"alg\":\"RS256\",\"typ\":\"application/at+jwt\"}", part(token, 1));
		assertThat(send(configuration, bearer(forged)).status()).isEqualTo(401);
		for (int i = 0; i < 5; i++) {
			issue(configuration, "id-2", "secret-2");
		}
		start = System.nanoTime();
		int rounds = 10;
		for (int i = 0; i < rounds; i++) {
			issue(configuration, "id-2", "secret-2");
		}
		System.out.printf("oauth PRECOMPILED: RS256 token issued in %.1f ms (warm)%n",
				(System.nanoTime() - start) / 1e6 / rounds);
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{}")).contains("oauth: configuration refused: consumers is required");
		assertThat(plugin.refused("{\"consumers\": []}")).contains("consumers must not be empty");
		assertThat(plugin.refused("{\"consumers\": [{\"client_id\": \"a\", \"client_secret\": \"s\"}]}"))
			.contains("consumers[0].name is required");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"a\", \"client_secret\": \"s\"}]}"))
			.contains("consumers[0].client_id is required");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"a\", \"client_id\": \"x\"}]}"))
			.contains("consumers[0].client_secret is required");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"a\", \"client_id\": \"x\", \"client_secret\": \"s\"},"
				+ " {\"name\": \"a\", \"client_id\": \"y\", \"client_secret\": \"s\"}]}"))
			.contains("duplicate name 'a'");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"a\", \"client_id\": \"x\", \"client_secret\": \"s\"},"
				+ " {\"name\": \"b\", \"client_id\": \"x\", \"client_secret\": \"s\"}]}"))
			.contains("duplicate consumer client_id 'x'");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"token_ttl\": 0}")).contains("token_ttl must be between 1");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"auth_path\": \"\"}")).contains("auth_path must not be empty");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"signing_algorithm\": \"ES256\"}"))
			.contains("signing_algorithm must be one of");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"signing_algorithm\": \"RS256\"}"))
			.contains("signing_key (an RSA private JWK) is required");
		assertThat(plugin
			.refused("{" + CONSUMERS + ", \"signing_algorithm\": \"RS256\", \"signing_key\": {\"kty\": \"RSA\"}}"))
			.contains("signing_key is not a usable RSA private key: \"n\" is required");
		String wrongD = rsaPrivateJwk(RSA, "").replaceAll("\"d\":\"[^\"]+\"",
				"\"d\":\"" + b64u(new byte[] { 1, 2, 3 }) + "\"");
		assertThat(plugin
			.refused("{" + CONSUMERS + ", \"signing_algorithm\": \"RS256\", \"signing_key\": " + wrongD + "}"))
			.contains("signing_key is not a usable RSA private key");
		KeyPair small = JoseTestSupport.rsaKeyPair(1024);
		assertThat(plugin.refused("{" + CONSUMERS + ", \"signing_algorithm\": \"RS256\", \"signing_key\": "
				+ rsaPrivateJwk(small, "") + "}"))
			.contains("signing_key must have at least 2048 bits");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"signing_key\": {}}")).contains("signing_key is only used");
		assertThat(plugin.refused("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": [\"a\"]}]}"))
			.contains("needs consumers in the global part");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void hostileInputIsRejectedWithoutATrap() {
		TestConfiguration configuration = configure(CONSUMERS);
		String[] values = { "Bearer ", "Bearer " + "a".repeat(300000), "Bearer ...", "Bearer a.b.c",
				"Bearer " + b64u("{\"alg\":\"HS256\"}") + "." + b64u("{\"client_id\":" + "[".repeat(3000) + "}") + ".x",
				"Bearer " + b64u("{\"alg\":\"HS256\"}") + "." + b64u("{\"client_id\":\"id-1\",\"exp\":1e999}") + ".x",
				"Bearer \u00e9\u0000.\uffff.x" };
		for (String value : values) {
			assertThat(send(configuration, TestRequest.get("/api", "authorization", value)).status()).isEqualTo(401);
		}
		assertThat(send(configuration, TestRequest.get("/oauth2/token?grant_type=" + "x".repeat(100000))).status())
			.isEqualTo(400);
		assertThat(send(configuration, TestRequest.get("/oauth2/token?%zz=1&grant_type=%")).status()).isEqualTo(400);
		TestRequest post = TestRequest.request("POST", "/oauth2/token", "content-type",
				"application/x-www-form-urlencoded");
		assertThat(BuiltinPlugins.sendBody(plugin, configuration, post, new byte[200000]).status()).isEqualTo(400);
		assertThat(plugin.failures()).isZero();
	}

}
