package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.TestExchange;

import static io.github.wasmgateway.plugins.JoseTestSupport.b64u;
import static io.github.wasmgateway.plugins.JoseTestSupport.hmacJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.octJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.quote;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaPublicJwk;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.plugins.PluginHarness.Result;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * jwt-auth through the engine in PRECOMPILED mode: Higress's configuration and answers,
 * tokens made with the JDK's crypto.
 */
class JwtAuthTests {

	static final PluginHarness harness = new PluginHarness("jwt-auth");

	static final byte[] SECRET = "jwt-auth-test-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8);

	static final KeyPair RSA = JoseTestSupport.rsaKeyPair(2048);

	static final KeyPair OTHER_RSA = JoseTestSupport.rsaKeyPair(2048);

	static final String ISSUER = "https://issuer.example.com";

	/**
	 * consumer1: RSA keys by kid (as a JWKS string, as Higress documents); consumer2: an
	 * HMAC secret.
	 */
	static final String CONSUMERS = "\"consumers\": [" //
			+ "{\"name\": \"consumer1\", \"issuer\": \"" + ISSUER + "\", \"jwks\": "
			+ quote("{\"keys\": [" + rsaPublicJwk(OTHER_RSA, "\"kid\":\"other\"") + ","
					+ rsaPublicJwk(RSA, "\"kid\":\"rsa-1\",\"use\":\"sig\"") + "]}")
			+ "}," //
			+ "{\"name\": \"consumer2\", \"issuer\": \"hmac-issuer\", \"jwks\": "
			+ quote("{\"keys\": [" + octJwk(SECRET, "\"kid\":\"hs\"") + "]}") + "}]";

	static final String RULES = """
			"_rules_": [
			  {"_match_route_": ["route-a"], "allow": ["consumer1"]},
			  {"_match_domain_": ["*.example.com"], "allow": ["consumer2"]}
			]""";

	@AfterAll
	static void close() {
		harness.close();
	}

	static PluginConfiguration configure(String... parts) {
		return harness.configure("{" + String.join(",", parts) + "}");
	}

	static Result send(PluginConfiguration configuration, TestExchange exchange) {
		return harness.send(configuration, exchange);
	}

	static long now() {
		return harness.clock.epochSeconds();
	}

	static String claims(String issuer, long exp, String extra) {
		return "{\"iss\":\"" + issuer + "\",\"sub\":\"alice\",\"exp\":" + exp + (extra.isEmpty() ? "" : "," + extra)
				+ "}";
	}

	static String rs256(String claims) {
		return rsaJwt("RS256", RSA, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}", claims);
	}

	static String hs256(String claims) {
		return hmacJwt("HS256", SECRET, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims);
	}

	static TestExchange bearer(String token) {
		return TestExchange.get("/", "authorization", "Bearer " + token);
	}

	static void assertDenied(Result result, int status, String body, String details) {
		assertThat(result.status()).isEqualTo(status);
		assertThat(result.body()).isEqualTo(body);
		assertThat(result.responseHeader("www-authenticate")).isEqualTo("JWT realm=MSE Gateway");
		assertThat(result.response().details()).isEqualTo(details);
		assertThat(result.requestHeader("x-mse-consumer")).isNull();
	}

	static final String MISSING = "Request denied by JWT Auth check. JWT is missing.";

	static final String FAILS = "Request denied by JWT Auth check. JWT verification fails";

	static final String EXPIRED = "Request denied by JWT Auth check. JWT is expired.";

	@Test
	void rs256TokenAuthenticatesAndNamesTheConsumer() {
		PluginConfiguration configuration = configure(CONSUMERS);
		Result result = send(configuration, bearer(rs256(claims(ISSUER, now() + 600, ""))));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		// the token stays (keep_token defaults to true)
		assertThat(result.requestHeader("authorization")).startsWith("Bearer ey");
	}

	@Test
	void everyHmacAndRsaAlgorithmVerifies() {
		for (String alg : new String[] { "HS256", "HS384", "HS512" }) {
			String token = hmacJwt(alg, SECRET, "{\"alg\":\"" + alg + "\"}", claims("hmac-issuer", now() + 60, ""));
			assertThat(send(configure(CONSUMERS), bearer(token)).requestHeader("x-mse-consumer")).as(alg)
				.isEqualTo("consumer2");
		}
		for (String alg : new String[] { "RS256", "RS384", "RS512" }) {
			String token = rsaJwt(alg, RSA, "{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}",
					claims(ISSUER, now() + 60, ""));
			assertThat(send(configure(CONSUMERS), bearer(token)).requestHeader("x-mse-consumer")).as(alg)
				.isEqualTo("consumer1");
		}
	}

	@Test
	void keyIsChosenByKidElseTheFirstKey() {
		PluginConfiguration configuration = configure(CONSUMERS);
		// no kid: the first key of the set (OTHER_RSA) is used
		String noKid = rsaJwt("RS256", OTHER_RSA, "{\"alg\":\"RS256\"}", claims(ISSUER, now() + 60, ""));
		assertThat(send(configuration, bearer(noKid)).passed()).isTrue();
		// an unknown kid falls back to the first key too
		String unknownKid = rsaJwt("RS256", OTHER_RSA, "{\"alg\":\"RS256\",\"kid\":\"nope\"}",
				claims(ISSUER, now() + 60, ""));
		assertThat(send(configuration, bearer(unknownKid)).passed()).isTrue();
		// RSA's token without kid is checked with the first key: fails
		String rsaNoKid = rsaJwt("RS256", RSA, "{\"alg\":\"RS256\"}", claims(ISSUER, now() + 60, ""));
		assertDenied(send(configuration, bearer(rsaNoKid)), 401, FAILS, "jwt-auth.verification_failed");
	}

	@Test
	void missingTokenIs401WithRealm() {
		assertDenied(send(configure(CONSUMERS), TestExchange.get("/")), 401, MISSING, "jwt-auth.token_missing");
		// a header without the Bearer prefix is no token
		assertDenied(send(configure(CONSUMERS), TestExchange.get("/", "authorization", "Basic abc")), 401, MISSING,
				"jwt-auth.token_missing");
	}

	@Test
	void badSignatureWrongIssuerAndAlgorithmTricksAre401() {
		PluginConfiguration configuration = configure(CONSUMERS);
		String good = rs256(claims(ISSUER, now() + 60, ""));
		String[] parts = good.split("\\.");
		String forged = parts[0] + "." + b64u(claims(ISSUER, now() + 60, "\"admin\":true")) + "." + parts[2];
		assertDenied(send(configuration, bearer(forged)), 401, FAILS, "jwt-auth.verification_failed");
		String flipped = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A")
				+ parts[2].substring(1);
		assertDenied(send(configuration, bearer(flipped)), 401, FAILS, "jwt-auth.verification_failed");
		// signed by the right key for another issuer
		assertDenied(send(configuration, bearer(rs256(claims("https://evil.example.com", now() + 60, "")))), 401, FAILS,
				"jwt-auth.verification_failed");
		// alg none, and HS256 keyed with the RSA public key (algorithm confusion)
		String none = b64u("{\"alg\":\"none\"}") + "." + b64u(claims(ISSUER, now() + 60, "")) + ".";
		assertDenied(send(configuration, bearer(none)), 401, FAILS, "jwt-auth.verification_failed");
		byte[] publicKeyBytes = rsaPublicJwk(RSA, "").getBytes(StandardCharsets.UTF_8);
		String confused = hmacJwt("HS256", publicKeyBytes, "{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}",
				claims(ISSUER, now() + 60, ""));
		assertDenied(send(configuration, bearer(confused)), 401, FAILS, "jwt-auth.verification_failed");
		// an HMAC token with the wrong secret
		String wrongSecret = hmacJwt("HS256", "another-secret".getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS256\"}",
				claims("hmac-issuer", now() + 60, ""));
		assertDenied(send(configuration, bearer(wrongSecret)), 401, FAILS, "jwt-auth.verification_failed");
	}

	@Test
	void expiryAndNotBeforeHonourTheClockSkew() {
		PluginConfiguration configuration = configure(CONSUMERS);
		// default skew 60 s
		assertThat(send(configuration, bearer(rs256(claims(ISSUER, now() - 59, "")))).passed()).isTrue();
		assertDenied(send(configuration, bearer(rs256(claims(ISSUER, now() - 61, "")))), 401, EXPIRED,
				"jwt-auth.token_expired");
		assertThat(send(configuration, bearer(rs256(claims(ISSUER, now() + 60, "\"nbf\":" + (now() + 50))))).passed())
			.isTrue();
		assertDenied(send(configuration, bearer(rs256(claims(ISSUER, now() + 600, "\"nbf\":" + (now() + 100))))), 401,
				EXPIRED, "jwt-auth.token_expired");
		assertDenied(send(configuration, bearer(rs256(claims(ISSUER, now() + 600, "\"iat\":" + (now() + 100))))), 401,
				EXPIRED, "jwt-auth.token_expired");
		// no exp: accepted, as Higress (go-jose does not require it)
		assertThat(send(configuration, bearer(rs256("{\"iss\":\"" + ISSUER + "\"}"))).passed()).isTrue();
		// a date that is not a number fails verification
		assertDenied(send(configuration, bearer(rs256("{\"iss\":\"" + ISSUER + "\",\"exp\":\"soon\"}"))), 401, FAILS,
				"jwt-auth.verification_failed");
		// the clock moves: a token valid now expires later
		String token = rs256(claims(ISSUER, now() + 30, ""));
		assertThat(send(configuration, bearer(token)).passed()).isTrue();
		harness.clock.advance(java.time.Duration.ofSeconds(91));
		assertDenied(send(configuration, bearer(token)), 401, EXPIRED, "jwt-auth.token_expired");
	}

	@Test
	void clockSkewSecondsIsConfigurable() {
		String strict = "\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", \"clock_skew_seconds\": 0, "
				+ "\"jwks\": " + quote("{\"keys\": [" + octJwk(SECRET, "") + "]}") + "}]";
		PluginConfiguration configuration = configure(strict);
		assertThat(send(configuration, bearer(hs256(claims("hmac-issuer", now(), ""))))).extracting(Result::passed)
			.isEqualTo(true);
		assertThat(send(configuration, bearer(hs256(claims("hmac-issuer", now() - 1, "")))).status()).isEqualTo(401);
	}

	@Test
	void tokenFromDefaultQueryParameter() {
		String token = hs256(claims("hmac-issuer", now() + 60, ""));
		Result result = send(configure(CONSUMERS), TestExchange.get("/x?a=1&access_token=" + token));
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer2");
	}

	@Test
	void tokenFromConfiguredHeaderParameterOrCookie() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		String token = hs256(claims("hmac-issuer", now() + 60, ""));
		PluginConfiguration headers = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"from_headers\": [{\"name\": \"X-Token\", \"value_prefix\": \"JWT \"}]}]");
		assertThat(send(headers, TestExchange.get("/", "x-token", "JWT " + token)).passed()).isTrue();
		assertThat(send(headers, TestExchange.get("/", "x-token", token)).status()).isEqualTo(401);
		// only the configured sources count: the default Authorization and access_token
		// are off
		assertThat(send(headers, bearer(token)).status()).isEqualTo(401);
		assertThat(send(headers, TestExchange.get("/?access_token=" + token)).status()).isEqualTo(401);
		PluginConfiguration params = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"from_params\": [\"jwt\", \"token\"]}]");
		assertThat(send(params, TestExchange.get("/?token=" + token)).passed()).isTrue();
		PluginConfiguration cookies = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"from_cookies\": [\"session\"]}]");
		assertThat(send(cookies, TestExchange.get("/", "cookie", "a=b; session=" + token + "; c=d")).passed()).isTrue();
		assertThat(send(cookies, TestExchange.get("/", "cookie", "sessionx=" + token)).status()).isEqualTo(401);
	}

	@Test
	void keepTokenFalseRemovesTheToken() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		String token = hs256(claims("hmac-issuer", now() + 60, ""));
		String consumer = "\"name\": \"c\", \"issuer\": \"hmac-issuer\", \"keep_token\": false, \"jwks\": " + jwks;
		Result header = send(configure("\"consumers\": [{" + consumer + "}]"), bearer(token));
		assertThat(header.passed()).isTrue();
		assertThat(header.requestHeader("authorization")).isNull();
		Result param = send(configure("\"consumers\": [{" + consumer + "}]"),
				TestExchange.get("/p?a=1&access_token=" + token + "&b=2"));
		assertThat(param.requestHeader(":path")).isEqualTo("/p?a=1&b=2");
		Result cookie = send(configure("\"consumers\": [{" + consumer + ", \"from_cookies\": [\"jwt\"]}]"),
				TestExchange.get("/", "cookie", "a=1; jwt=" + token + "; b=2"));
		assertThat(cookie.requestHeader("cookie")).isEqualTo("a=1; b=2");
	}

	@Test
	void claimsAreCopiedToHeaders() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		PluginConfiguration configuration = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"claims_to_headers\": [" + "{\"claim\": \"sub\", \"header\": \"X-User\"},"
				+ "{\"claim\": \"uid\", \"header\": \"x-uid\"},"
				+ "{\"claim\": \"role\", \"header\": \"x-role\", \"override\": false},"
				+ "{\"claim\": \"absent\", \"header\": \"x-absent\"}]}]");
		String token = hs256(claims("hmac-issuer", now() + 60, "\"uid\":1234567890123,\"role\":\"admin\""));
		Result result = send(configuration,
				TestExchange.get("/", "authorization", "Bearer " + token, "x-user", "spoofed", "x-role", "guest"));
		assertThat(result.passed()).isTrue();
		assertThat(result.exchange().requestHeaders.getAll("x-user")).containsExactly("alice");
		assertThat(result.requestHeader("x-uid")).isEqualTo("1234567890123");
		assertThat(result.exchange().requestHeaders.getAll("x-role")).containsExactly("guest", "admin");
		assertThat(result.requestHeader("x-absent")).isNull();
	}

	@Test
	void clientCannotSendItsOwnConsumerHeader() {
		Result result = send(configure(CONSUMERS), TestExchange.get("/", "authorization",
				"Bearer " + hs256(claims("hmac-issuer", now() + 60, "")), "x-mse-consumer", "consumer1"));
		assertThat(result.exchange().requestHeaders.getAll("x-mse-consumer")).containsExactly("consumer2");
	}

	@Test
	void rulesAllowConsumersPerRouteAndDomain() {
		PluginConfiguration configuration = configure(CONSUMERS, RULES);
		String rsaToken = rs256(claims(ISSUER, now() + 60, ""));
		String hmacToken = hs256(claims("hmac-issuer", now() + 60, ""));
		assertThat(send(configuration, bearer(rsaToken).route("route-a")).passed()).isTrue();
		Result forbidden = send(configuration, bearer(hmacToken).route("route-a"));
		assertDenied(forbidden, 403, "Request denied by JWT Auth check. Unauthorized consumer.",
				"jwt-auth.unauthorized_customer");
		assertThat(send(configuration, bearer(hmacToken).authority("api.example.com")).passed()).isTrue();
		assertThat(send(configuration, bearer(rsaToken).authority("api.example.com")).status()).isEqualTo(403);
		assertThat(send(configuration, TestExchange.get("/").route("route-a")).status()).isEqualTo(401);
		// global_auth unset with rules: other routes are not authenticated
		assertThat(send(configuration, TestExchange.get("/").route("route-z")).passed()).isTrue();
	}

	@Test
	void globalAuthTrueAndFalse() {
		PluginConfiguration on = configure(CONSUMERS, "\"global_auth\": true", RULES);
		assertThat(send(on, TestExchange.get("/").route("route-z")).status()).isEqualTo(401);
		assertThat(send(on, bearer(hs256(claims("hmac-issuer", now() + 60, ""))).route("route-z")).passed()).isTrue();
		PluginConfiguration off = configure(CONSUMERS, "\"global_auth\": false");
		assertThat(send(off, TestExchange.get("/")).passed()).isTrue();
	}

	@Test
	void jwksMayBeAnObjectAndUnsupportedKeysAreSkipped() {
		String consumers = "\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", \"jwks\": {\"keys\": ["
				+ "{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"AA\", \"y\": \"AA\", \"kid\": \"ec\"},"
				+ octJwk(SECRET, "\"kid\":\"hs\"") + "]}}]";
		harness.logger.lines.clear();
		PluginConfiguration configuration = configure(consumers);
		assertThat(harness.logger.contains("key type \"EC\" is not supported")).isTrue();
		assertThat(send(configuration, bearer(
				hmacJwt("HS256", SECRET, "{\"alg\":\"HS256\",\"kid\":\"hs\"}", claims("hmac-issuer", now() + 60, ""))))
			.passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		assertThat(harness.refused("{}")).contains("jwt-auth: configuration refused: consumers is required");
		assertThat(harness.refused("{\"consumers\": []}")).contains("consumers must not be empty");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"jwks\": " + jwks + "}]}"))
			.contains("consumers[0].issuer is required");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\"}]}"))
			.contains("consumers[0].jwks is required");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": \"{nope\"}]}"))
			.contains("consumers[0].jwks is invalid: not JSON");
		assertThat(harness
			.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": \"{\\\"keys\\\": []}\"}]}"))
			.contains("consumers[0].jwks is invalid: \"keys\" is empty");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": "
				+ quote("{\"keys\": [{\"kty\": \"RSA\", \"n\": \"AQAB\", \"e\": \"AQAB\"}]}") + "}]}"))
			.contains("RSA modulus shorter than 512 bits");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": "
				+ quote("{\"keys\": [{\"kty\": \"oct\", \"k\": \"*\"}]}") + "}]}"))
			.contains("\"k\" is not base64url");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"remote_jwks\": "
				+ "{\"service_name\": \"s\", \"path\": \"/jwks\"}}]}"))
			.contains("consumers[0].remote_jwks is not supported");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": " + jwks + "},"
				+ "{\"name\": \"c\", \"issuer\": \"j\", \"jwks\": " + jwks + "}]}"))
			.contains("consumer 'c' is configured twice");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": " + jwks
				+ ", \"claims_to_headers\": [{\"claim\": \"a\", \"header\": \"x-a\"}, {\"claim\": \"b\", \"header\": \"X-A\"}]}]}"))
			.contains("header 'X-A' is already set by another claim");
		assertThat(harness.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": " + jwks
				+ ", \"clock_skew_seconds\": -1}]}"))
			.contains("consumers[0].clock_skew_seconds must be between 0 and");
		assertThat(harness.refused("{" + CONSUMERS + ", \"_rules_\": [{\"_match_route_\": [\"r\"]}]}"))
			.contains("_rules_[0].allow is required");
		assertThat(harness.refused("{" + CONSUMERS + ", \"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": []}]}"))
			.contains("_rules_[0].allow must not be empty");
		assertThat(harness.refused("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": [\"c\"]}]}"))
			.contains("_rules_[0] needs consumers in the global part");
		assertThat(harness.failures()).isZero();
	}

	@Test
	void hostileTokensAreRejectedWithoutATrap() {
		PluginConfiguration configuration = configure(CONSUMERS);
		String[] tokens = { "x", "a.b", "a.b.c.d", "....", "eyJ.eyJ.", "%%%.%%%.%%%",
				b64u("{\"alg\":\"RS256\"}") + "..", b64u("[".repeat(10000)) + "." + b64u("{}") + ".x",
				b64u("{\"alg\":\"RS256\"}") + "." + b64u("{\"iss\":" + "1".repeat(5000) + "}") + ".AAAA",
				b64u("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}") + "." + b64u("{}") + "." + b64u(new byte[100000]),
				"\u00e9\u0000.\uffff.x", "e".repeat(200 * 1024) };
		for (String token : tokens) {
			Result result = send(configuration, bearer(token));
			assertThat(result.status()).as(token.length() > 60 ? token.substring(0, 60) : token).isEqualTo(401);
		}
		// many cookies and parameters
		StringBuilder path = new StringBuilder("/?");
		for (int i = 0; i < 5000; i++) {
			path.append("p").append(i).append("=v&");
		}
		assertThat(send(configuration, TestExchange.get(path.toString(), "cookie", "a=b;".repeat(5000))).status())
			.isEqualTo(401);
		assertThat(harness.failures()).isZero();
	}

	@Test
	void rs256VerificationTimeInPrecompiledMode() {
		PluginConfiguration configuration = configure(CONSUMERS);
		String token = rs256(claims(ISSUER, now() + 3600, ""));
		for (int i = 0; i < 200; i++) {
			assertThat(send(configuration, bearer(token)).passed()).isTrue();
		}
		int rounds = 200;
		long start = System.nanoTime();
		for (int i = 0; i < rounds; i++) {
			send(configuration, bearer(token));
		}
		double rsaMillis = (System.nanoTime() - start) / 1e6 / rounds;
		String hmacToken = hs256(claims("hmac-issuer", now() + 3600, ""));
		for (int i = 0; i < 200; i++) {
			send(configuration, bearer(hmacToken));
		}
		start = System.nanoTime();
		for (int i = 0; i < rounds; i++) {
			send(configuration, bearer(hmacToken));
		}
		double hmacMillis = (System.nanoTime() - start) / 1e6 / rounds;
		System.out.printf(
				"jwt-auth PRECOMPILED: one request with an RS256 (2048-bit) token %.3f ms, with HS256 %.3f ms%n",
				rsaMillis, hmacMillis);
		assertThat(rsaMillis).isLessThan(50.0);
	}

}
