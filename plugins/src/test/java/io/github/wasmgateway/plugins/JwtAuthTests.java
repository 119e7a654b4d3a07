package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;
import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static io.github.wasmgateway.plugins.JoseTestSupport.b64u;
import static io.github.wasmgateway.plugins.JoseTestSupport.ecJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.ecPublicJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.ed25519Jwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.ed25519PublicJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.fromB64u;
import static io.github.wasmgateway.plugins.JoseTestSupport.hmacJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.octJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.quote;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaPublicJwk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * jwt-auth through the engine in PRECOMPILED mode: Higress's configuration and answers,
 * tokens made with the JDK's crypto.
 */
class JwtAuthTests {

	static final PluginTester plugin = BuiltinPlugins.tester("jwt-auth");

	static final byte[] SECRET = "jwt-auth-test-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8);

	static final KeyPair RSA = JoseTestSupport.rsaKeyPair(2048);

	static final KeyPair OTHER_RSA = JoseTestSupport.rsaKeyPair(2048);

	static final String ISSUER = "https://issuer.example.com";

	static final KeyPair EC256 = JoseTestSupport.ecKeyPair("P-256");

	static final KeyPair OTHER_EC256 = JoseTestSupport.ecKeyPair("P-256");

	static final KeyPair EC384 = JoseTestSupport.ecKeyPair("P-384");

	static final String EC_ISSUER = "ec-issuer";

	/** consumer "ec": a P-256 key, a P-384 key and an RSA key, by kid. */
	static final String EC_CONSUMERS = "\"consumers\": [{\"name\": \"ec\", \"issuer\": \"" + EC_ISSUER
			+ "\", \"jwks\": "
			+ quote("{\"keys\": [" + ecPublicJwk(EC256, "\"kid\":\"ec-256\",\"use\":\"sig\"") + ","
					+ ecPublicJwk(EC384, "\"kid\":\"ec-384\",\"alg\":\"ES384\"") + ","
					+ rsaPublicJwk(RSA, "\"kid\":\"rsa\"") + "]}")
			+ "}]";

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
		plugin.close();
	}

	static TestConfiguration configure(String... parts) {
		return plugin.configure("{" + String.join(",", parts) + "}");
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	static long now() {
		return plugin.clock().epochSeconds();
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

	static String es256(KeyPair pair, String kid, String claims) {
		return ecJwt("ES256", pair, "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", claims, false);
	}

	static TestRequest bearer(String token) {
		return TestRequest.get("/", "authorization", "Bearer " + token);
	}

	static void assertDenied(TestResult result, int status, String body, String details) {
		assertThat(result.status()).isEqualTo(status);
		assertThat(result.body()).isEqualTo(body);
		assertThat(result.responseHeader("www-authenticate")).isEqualTo("JWT realm=MSE Gateway");
		assertThat(result.reply().details()).isEqualTo(details);
		assertThat(result.requestHeader("x-mse-consumer")).isNull();
	}

	static final String MISSING = "Request denied by JWT Auth check. JWT is missing.";

	static final String FAILS = "Request denied by JWT Auth check. JWT verification fails";

	static final String EXPIRED = "Request denied by JWT Auth check. JWT is expired.";

	@Test
	void rs256TokenAuthenticatesAndNamesTheConsumer() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestResult result = send(configuration, bearer(rs256(claims(ISSUER, now() + 600, ""))));
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
	void es256AndEs384TokensAuthenticate() {
		TestConfiguration configuration = configure(EC_CONSUMERS);
		TestResult result = send(configuration, bearer(es256(EC256, "ec-256", claims(EC_ISSUER, now() + 600, ""))));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("ec");
		String es384 = ecJwt("ES384", EC384, "{\"alg\":\"ES384\",\"kid\":\"ec-384\"}",
				claims(EC_ISSUER, now() + 600, ""), false);
		assertThat(send(configuration, bearer(es384)).requestHeader("x-mse-consumer")).isEqualTo("ec");
		// without a kid the first key of the set (the P-256 one) is used
		String noKid = ecJwt("ES256", EC256, "{\"alg\":\"ES256\"}", claims(EC_ISSUER, now() + 600, ""), false);
		assertThat(send(configuration, bearer(noKid)).passed()).isTrue();
		// the RSA key of the same set still verifies RS256
		String rs = rsaJwt("RS256", RSA, "{\"alg\":\"RS256\",\"kid\":\"rsa\"}", claims(EC_ISSUER, now() + 600, ""));
		assertThat(send(configuration, bearer(rs)).passed()).isTrue();
	}

	static final KeyPair EC521 = JoseTestSupport.ecKeyPair("P-521");

	static final KeyPair ED25519 = JoseTestSupport.ed25519KeyPair();

	/**
	 * consumer "modern": an RSA key for PS*, a P-521 key for ES512 and an Ed25519 key, by
	 * kid.
	 */
	static final String MODERN_CONSUMERS = "\"consumers\": [{\"name\": \"modern\", \"issuer\": \"" + EC_ISSUER
			+ "\", \"jwks\": "
			+ quote("{\"keys\": [" + rsaPublicJwk(RSA, "\"kid\":\"ps\"") + ","
					+ ecPublicJwk(EC521, "\"kid\":\"ec-521\",\"alg\":\"ES512\"") + ","
					+ ed25519PublicJwk(ED25519, "\"kid\":\"ed\",\"use\":\"sig\"") + "]}")
			+ "}]";

	@Test
	void ps256Ps384AndPs512TokensSignedByTheJdkAuthenticate() {
		TestConfiguration configuration = configure(MODERN_CONSUMERS);
		for (String alg : new String[] { "PS256", "PS384", "PS512" }) {
			String token = rsaJwt(alg, RSA, "{\"alg\":\"" + alg + "\",\"kid\":\"ps\"}",
					claims(EC_ISSUER, now() + 60, ""));
			assertThat(send(configuration, bearer(token)).requestHeader("x-mse-consumer")).as(alg).isEqualTo("modern");
			// the PKCS #1 v1.5 signature of the same input under the PS header: refused
			String[] parts = token.split("\\.");
			String v15 = b64u(JoseTestSupport.rsaSign("RS" + alg.substring(2), RSA, parts[0] + "." + parts[1]));
			assertDenied(send(configuration, bearer(parts[0] + "." + parts[1] + "." + v15)), 401, FAILS,
					"jwt-auth.verification_failed");
			// and the PSS signature under the RS header
			String rsHeader = b64u("{\"alg\":\"RS" + alg.substring(2) + "\",\"kid\":\"ps\"}");
			String pss = b64u(JoseTestSupport.rsaSign(alg, RSA, rsHeader + "." + parts[1]));
			assertDenied(send(configuration, bearer(rsHeader + "." + parts[1] + "." + pss)), 401, FAILS,
					"jwt-auth.verification_failed");
		}
	}

	@Test
	void es512TokenOnP521SignedByTheJdkAuthenticates() {
		TestConfiguration configuration = configure(MODERN_CONSUMERS);
		String token = ecJwt("ES512", EC521, "{\"alg\":\"ES512\",\"kid\":\"ec-521\"}",
				claims(EC_ISSUER, now() + 60, ""), false);
		assertThat(fromB64u(token.split("\\.")[2])).hasSize(132);
		assertThat(send(configuration, bearer(token)).requestHeader("x-mse-consumer")).isEqualTo("modern");
		String der = ecJwt("ES512", EC521, "{\"alg\":\"ES512\",\"kid\":\"ec-521\"}", claims(EC_ISSUER, now() + 60, ""),
				true);
		assertDenied(send(configuration, bearer(der)), 401, FAILS, "jwt-auth.verification_failed");
		String other = ecJwt("ES512", JoseTestSupport.ecKeyPair("P-521"), "{\"alg\":\"ES512\",\"kid\":\"ec-521\"}",
				claims(EC_ISSUER, now() + 60, ""), false);
		assertDenied(send(configuration, bearer(other)), 401, FAILS, "jwt-auth.verification_failed");
	}

	@Test
	void eddsaTokenSignedByTheJdkAuthenticates() {
		TestConfiguration configuration = configure(MODERN_CONSUMERS);
		String token = ed25519Jwt(ED25519.getPrivate(), "{\"alg\":\"EdDSA\",\"kid\":\"ed\"}",
				claims(EC_ISSUER, now() + 60, ""));
		assertThat(send(configuration, bearer(token)).requestHeader("x-mse-consumer")).isEqualTo("modern");
		String[] parts = token.split("\\.");
		byte[] signature = fromB64u(parts[2]);
		signature[40] ^= 1;
		assertDenied(send(configuration, bearer(parts[0] + "." + parts[1] + "." + b64u(signature))), 401, FAILS,
				"jwt-auth.verification_failed");
		// an EdDSA token that names the P-521 key, and an ES512 token that names the
		// Ed25519 key
		String onEc = ed25519Jwt(ED25519.getPrivate(), "{\"alg\":\"EdDSA\",\"kid\":\"ec-521\"}",
				claims(EC_ISSUER, now() + 60, ""));
		assertDenied(send(configuration, bearer(onEc)), 401, FAILS, "jwt-auth.verification_failed");
		String onEd = ecJwt("ES512", EC521, "{\"alg\":\"ES512\",\"kid\":\"ed\"}", claims(EC_ISSUER, now() + 60, ""),
				false);
		assertDenied(send(configuration, bearer(onEd)), 401, FAILS, "jwt-auth.verification_failed");
	}

	@Test
	void eddsaWithTheKeyOfRfc8037() {
		// RFC 8037 A.1's key: the JDK signs A.4's input to A.4's signature, then a JWT
		// the plugin checks
		byte[] seed = fromB64u("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
		java.security.PrivateKey key = JoseTestSupport.ed25519PrivateKey(seed);
		assertThat(b64u(JoseTestSupport.ed25519Sign(key, "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc")))
			.isEqualTo("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
		TestConfiguration configuration = configure("\"consumers\": [{\"name\": \"rfc\", \"issuer\": \"joe\", "
				+ "\"jwks\": {\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", "
				+ "\"x\": \"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}}]");
		String token = ed25519Jwt(key, "{\"alg\":\"EdDSA\"}", "{\"iss\":\"joe\",\"exp\":" + (now() + 60) + "}");
		assertThat(send(configuration, bearer(token)).requestHeader("x-mse-consumer")).isEqualTo("rfc");
	}

	/** Higress's documented configuration (its jwt-auth docs), unchanged. */
	static final String HIGRESS_EXAMPLE = """
			global_auth: false
			consumers:
			- name: consumer1
			  issuer: abcd
			  jwks: |
			    {
			      "keys": [
			        {
			          "kty": "oct",
			          "kid": "123",
			          "k": "hM0k3AbXBPpKOGg__Ql2Obcq7s60myWDpbHXzgKUQdYo7YCRp0gUqkCnbGSvZ2rGEl4YFkKqIqW7mTHdj-bcqXpNr-NOznEyMpVPOIlqG_NWVC3dydBgcsIZIdD-MR2AQceEaxriPA_VmiUCwfwL2Bhs6_i7eolXoY11EapLQtutz0BV6ZxQQ4dYUmct--7PLNb4BWJyQeWu0QfbIthnvhYllyl2dgeLTEJT58wzFz5HeNMNz8ohY5K0XaKAe5cepryqoXLhA-V-O1OjSG8lCNdKS09OY6O0fkyweKEtuDfien5tHHSsHXoAxYEHPFcSRL4bFPLZ0orTt1_4zpyfew",
			          "alg": "HS256"
			        }
			      ]
			    }
			- name: consumer2
			  issuer: abc
			  jwks: |
			    {
			      "keys": [
			        {
			          "kty": "RSA",
			          "e": "AQAB",
			          "use": "sig",
			          "kid": "123",
			          "alg": "RS256",
			          "n": "i0B67f1jggT9QJlZ_8QL9QQ56LfurrqDhpuu8BxtVcfxrYmaXaCtqTn7OfCuca7cGHdrJIjq99rz890NmYFZuvhaZ-LMt2iyiSb9LZJAeJmHf7ecguXS_-4x3hvbsrgUDi9tlg7xxbqGYcrco3anmalAFxsbswtu2PAXLtTnUo6aYwZsWA6ksq4FL3-anPNL5oZUgIp3HGyhhLTLdlQcC83jzxbguOim-0OEz-N4fniTYRivK7MlibHKrJfO3xa_6whBS07HW4Ydc37ZN3Rx9Ov3ZyV0idFblU519nUdqp_inXj1eEpynlxH60Ys_aTU2POGZh_25KXGdF_ZC_MSRw"
			        }
			      ]
			    }
			""";

	/**
	 * Its route-level (route-a, route-b) and domain-level (*.example.com, test.com) allow
	 * lists, as _rules_.
	 */
	static final String HIGRESS_EXAMPLE_RULES = """
			_rules_:
			- _match_route_: [route-a, route-b]
			  allow:
			  - consumer1
			- _match_domain_: ["*.example.com", test.com]
			  allow:
			  - consumer2
			""";

	/** The documented token of consumer1 (HS256, kid 123, iss abcd, exp 2029). */
	static final String HIGRESS_EXAMPLE_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjEyMyJ9"
			+ ".eyJpc3MiOiJhYmNkIiwic3ViIjoidGVzdCIsImlhdCI6MTY2NTY2MDUyNywiZXhwIjoxODY1NjczODE5fQ"
			+ ".-vBSV0bKeDwQcuS6eeSZN9dLTUnSnZVk8eVCXdooCQ4";

	@Test
	void higressDocumentedExampleConfigurationAndRequests() {
		TestConfiguration configuration = plugin
			.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE + HIGRESS_EXAMPLE_RULES));
		TestResult byParameter = send(configuration,
				TestRequest.get("/test?access_token=" + HIGRESS_EXAMPLE_TOKEN).route("route-a"));
		assertThat(byParameter.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		TestResult byHeader = send(configuration, bearer(HIGRESS_EXAMPLE_TOKEN).route("route-a"));
		assertThat(byHeader.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		assertDenied(send(configuration, TestRequest.get("/test").route("route-a")), 401, MISSING,
				"jwt-auth.token_missing");
		assertDenied(send(configuration, bearer(HIGRESS_EXAMPLE_TOKEN).authority("xxx.example.com")), 403,
				"Request denied by JWT Auth check. Unauthorized consumer.", "jwt-auth.unauthorized_customer");
		// global_auth false: a request no rule matches is not authenticated
		assertThat(send(configuration, TestRequest.get("/test").route("other")).passed()).isTrue();

		TestConfiguration instance = plugin
			.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE.replace("global_auth: false", "global_auth: true")));
		assertDenied(send(instance, TestRequest.get("/test").route("other")), 401, MISSING, "jwt-auth.token_missing");
		assertThat(send(instance, bearer(HIGRESS_EXAMPLE_TOKEN)).requestHeader("x-mse-consumer"))
			.isEqualTo("consumer1");
	}

	@Test
	void es256WrongKeyTamperedDerAndMismatchedAlgorithmsAre401() {
		TestConfiguration configuration = configure(EC_CONSUMERS);
		String claims = claims(EC_ISSUER, now() + 600, "");
		// signed by another P-256 key
		assertDenied(send(configuration, bearer(es256(OTHER_EC256, "ec-256", claims))), 401, FAILS,
				"jwt-auth.verification_failed");
		// a flipped bit in r, in s, and a changed payload
		String good = es256(EC256, "ec-256", claims);
		String[] parts = good.split("\\.");
		byte[] signature = fromB64u(parts[2]);
		assertThat(signature).hasSize(64);
		for (int at : new int[] { 0, 31, 32, 63 }) {
			byte[] tampered = signature.clone();
			tampered[at] ^= 0x01;
			assertDenied(send(configuration, bearer(parts[0] + "." + parts[1] + "." + b64u(tampered))), 401, FAILS,
					"jwt-auth.verification_failed");
		}
		String forged = parts[0] + "." + b64u(claims(EC_ISSUER, now() + 600, "\"admin\":true")) + "." + parts[2];
		assertDenied(send(configuration, bearer(forged)), 401, FAILS, "jwt-auth.verification_failed");
		// r = 0 and s = 0, and r = s = n - 1 style garbage of the right length
		assertDenied(send(configuration, bearer(parts[0] + "." + parts[1] + "." + b64u(new byte[64]))), 401, FAILS,
				"jwt-auth.verification_failed");
		byte[] ones = new byte[64];
		java.util.Arrays.fill(ones, (byte) 0xff);
		assertDenied(send(configuration, bearer(parts[0] + "." + parts[1] + "." + b64u(ones))), 401, FAILS,
				"jwt-auth.verification_failed");
		// the DER encoding of a valid signature is not a JWS signature
		String der = ecJwt("ES256", EC256, "{\"alg\":\"ES256\",\"kid\":\"ec-256\"}", claims, true);
		assertThat(fromB64u(der.split("\\.")[2])[0]).isEqualTo((byte) 0x30);
		assertDenied(send(configuration, bearer(der)), 401, FAILS, "jwt-auth.verification_failed");
		// ES384 claimed for the P-256 key, ES256 for the P-384 key (whose alg is ES384),
		// ES256 for
		// the RSA key, RS256 for the EC key, HS256 keyed with the EC key's JWK
		String es384OnP256 = ecJwt("ES384", EC384, "{\"alg\":\"ES384\",\"kid\":\"ec-256\"}", claims, false);
		assertDenied(send(configuration, bearer(es384OnP256)), 401, FAILS, "jwt-auth.verification_failed");
		String es256OnP384 = ecJwt("ES256", EC256, "{\"alg\":\"ES256\",\"kid\":\"ec-384\"}", claims, false);
		assertDenied(send(configuration, bearer(es256OnP384)), 401, FAILS, "jwt-auth.verification_failed");
		assertDenied(send(configuration, bearer(es256(EC256, "rsa", claims))), 401, FAILS,
				"jwt-auth.verification_failed");
		String rsOnEc = rsaJwt("RS256", RSA, "{\"alg\":\"RS256\",\"kid\":\"ec-256\"}", claims);
		assertDenied(send(configuration, bearer(rsOnEc)), 401, FAILS, "jwt-auth.verification_failed");
		byte[] jwkBytes = ecPublicJwk(EC256, "").getBytes(StandardCharsets.UTF_8);
		String confused = hmacJwt("HS256", jwkBytes, "{\"alg\":\"HS256\",\"kid\":\"ec-256\"}", claims);
		assertDenied(send(configuration, bearer(confused)), 401, FAILS, "jwt-auth.verification_failed");
		// ES512 is not supported
		String es512 = b64u("{\"alg\":\"ES512\",\"kid\":\"ec-256\"}") + "." + b64u(claims) + "." + b64u(new byte[132]);
		assertDenied(send(configuration, bearer(es512)), 401, FAILS, "jwt-auth.verification_failed");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void malformedEcKeysAreRefusedWithTheConsumerAndTheReason() {
		String jwk = ecPublicJwk(EC256, "");
		String good = jwk.substring(jwk.indexOf("\"x\""), jwk.length() - 1);
		byte[] y = fromB64u(good.replaceAll(".*\"y\":\"([^\"]+)\".*", "$1"));
		y[31] ^= 1;
		String offCurve = good.replaceAll("\"y\":\"[^\"]+\"", "\"y\":\"" + b64u(y) + "\"");
		String[][] cases = { //
				{ "{\"kty\":\"EC\",\"crv\":\"P-256\"," + offCurve + "}", "EC point is not on the curve P-256" },
				{ "{\"kty\":\"EC\",\"crv\":\"P-384\"," + good + "}",
						"JWK member x must be 48 bytes for P-384, not 32" },
				{ "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}",
						"JWK member x must be 32 bytes for P-256, not 1" },
				{ "{\"kty\":\"EC\"," + good + "}", "\"crv\", \"x\" and \"y\" are required for an EC key" },
				{ "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"*\",\"y\":\"AA\"}",
						"JWK member x is not base64url of 32 bytes" },
				{ "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES384\"," + good + "}",
						"algorithm ES384 does not fit a P-256 key" },
				{ "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"RS256\"," + good + "}",
						"algorithm RS256 does not fit a P-256 key" } };
		for (String[] c : cases) {
			String configuration = "{\"consumers\": [{\"name\": \"ok\", \"issuer\": \"i\", \"jwks\": "
					+ quote("{\"keys\": [" + octJwk(SECRET, "") + "]}") + "}, {\"name\": \"ec\", \"issuer\": \"i\", "
					+ "\"jwks\": " + quote("{\"keys\": [" + c[0] + "]}") + "}]}";
			assertThat(plugin.refused(configuration)).as(c[1])
				.contains("jwt-auth: configuration refused: consumers[1].jwks is invalid: keys[0]: " + c[1]);
		}
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void keyIsChosenByKidElseTheFirstKey() {
		TestConfiguration configuration = configure(CONSUMERS);
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
		assertDenied(send(configure(CONSUMERS), TestRequest.get("/")), 401, MISSING, "jwt-auth.token_missing");
		// a header without the Bearer prefix is no token
		assertDenied(send(configure(CONSUMERS), TestRequest.get("/", "authorization", "Basic abc")), 401, MISSING,
				"jwt-auth.token_missing");
	}

	@Test
	void badSignatureWrongIssuerAndAlgorithmTricksAre401() {
		TestConfiguration configuration = configure(CONSUMERS);
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
		TestConfiguration configuration = configure(CONSUMERS);
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
		plugin.advance(java.time.Duration.ofSeconds(91));
		assertDenied(send(configuration, bearer(token)), 401, EXPIRED, "jwt-auth.token_expired");
	}

	@Test
	void clockSkewSecondsIsConfigurable() {
		String strict = "\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", \"clock_skew_seconds\": 0, "
				+ "\"jwks\": " + quote("{\"keys\": [" + octJwk(SECRET, "") + "]}") + "}]";
		TestConfiguration configuration = configure(strict);
		assertThat(send(configuration, bearer(hs256(claims("hmac-issuer", now(), ""))))).extracting(TestResult::passed)
			.isEqualTo(true);
		assertThat(send(configuration, bearer(hs256(claims("hmac-issuer", now() - 1, "")))).status()).isEqualTo(401);
	}

	@Test
	void tokenFromDefaultQueryParameter() {
		String token = hs256(claims("hmac-issuer", now() + 60, ""));
		TestResult result = send(configure(CONSUMERS), TestRequest.get("/x?a=1&access_token=" + token));
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer2");
	}

	@Test
	void tokenFromConfiguredHeaderParameterOrCookie() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		String token = hs256(claims("hmac-issuer", now() + 60, ""));
		TestConfiguration headers = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"from_headers\": [{\"name\": \"X-Token\", \"value_prefix\": \"JWT \"}]}]");
		assertThat(send(headers, TestRequest.get("/", "x-token", "JWT " + token)).passed()).isTrue();
		assertThat(send(headers, TestRequest.get("/", "x-token", token)).status()).isEqualTo(401);
		// only the configured sources count: the default Authorization and access_token
		// are off
		assertThat(send(headers, bearer(token)).status()).isEqualTo(401);
		assertThat(send(headers, TestRequest.get("/?access_token=" + token)).status()).isEqualTo(401);
		TestConfiguration params = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"from_params\": [\"jwt\", \"token\"]}]");
		assertThat(send(params, TestRequest.get("/?token=" + token)).passed()).isTrue();
		TestConfiguration cookies = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"from_cookies\": [\"session\"]}]");
		assertThat(send(cookies, TestRequest.get("/", "cookie", "a=b; session=" + token + "; c=d")).passed()).isTrue();
		assertThat(send(cookies, TestRequest.get("/", "cookie", "sessionx=" + token)).status()).isEqualTo(401);
	}

	@Test
	void keepTokenFalseRemovesTheToken() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		String token = hs256(claims("hmac-issuer", now() + 60, ""));
		String consumer = "\"name\": \"c\", \"issuer\": \"hmac-issuer\", \"keep_token\": false, \"jwks\": " + jwks;
		TestResult header = send(configure("\"consumers\": [{" + consumer + "}]"), bearer(token));
		assertThat(header.passed()).isTrue();
		assertThat(header.requestHeader("authorization")).isNull();
		TestResult param = send(configure("\"consumers\": [{" + consumer + "}]"),
				TestRequest.get("/p?a=1&access_token=" + token + "&b=2"));
		assertThat(param.requestHeader(":path")).isEqualTo("/p?a=1&b=2");
		TestResult cookie = send(configure("\"consumers\": [{" + consumer + ", \"from_cookies\": [\"jwt\"]}]"),
				TestRequest.get("/", "cookie", "a=1; jwt=" + token + "; b=2"));
		assertThat(cookie.requestHeader("cookie")).isEqualTo("a=1; b=2");
	}

	@Test
	void claimsAreCopiedToHeaders() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		TestConfiguration configuration = configure("\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", "
				+ "\"jwks\": " + jwks + ", \"claims_to_headers\": [" + "{\"claim\": \"sub\", \"header\": \"X-User\"},"
				+ "{\"claim\": \"uid\", \"header\": \"x-uid\"},"
				+ "{\"claim\": \"role\", \"header\": \"x-role\", \"override\": false},"
				+ "{\"claim\": \"absent\", \"header\": \"x-absent\"}]}]");
		String token = hs256(claims("hmac-issuer", now() + 60, "\"uid\":1234567890123,\"role\":\"admin\""));
		TestResult result = send(configuration,
				TestRequest.get("/", "authorization", "Bearer " + token, "x-user", "spoofed", "x-role", "guest"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeaderValues("x-user")).containsExactly("alice");
		assertThat(result.requestHeader("x-uid")).isEqualTo("1234567890123");
		assertThat(result.requestHeaderValues("x-role")).containsExactly("guest", "admin");
		assertThat(result.requestHeader("x-absent")).isNull();
	}

	@Test
	void clientCannotSendItsOwnConsumerHeader() {
		TestResult result = send(configure(CONSUMERS), TestRequest.get("/", "authorization",
				"Bearer " + hs256(claims("hmac-issuer", now() + 60, "")), "x-mse-consumer", "consumer1"));
		assertThat(result.requestHeaderValues("x-mse-consumer")).containsExactly("consumer2");
	}

	@Test
	void rulesAllowConsumersPerRouteAndDomain() {
		TestConfiguration configuration = configure(CONSUMERS, RULES);
		String rsaToken = rs256(claims(ISSUER, now() + 60, ""));
		String hmacToken = hs256(claims("hmac-issuer", now() + 60, ""));
		assertThat(send(configuration, bearer(rsaToken).route("route-a")).passed()).isTrue();
		TestResult forbidden = send(configuration, bearer(hmacToken).route("route-a"));
		assertDenied(forbidden, 403, "Request denied by JWT Auth check. Unauthorized consumer.",
				"jwt-auth.unauthorized_customer");
		assertThat(send(configuration, bearer(hmacToken).authority("api.example.com")).passed()).isTrue();
		assertThat(send(configuration, bearer(rsaToken).authority("api.example.com")).status()).isEqualTo(403);
		assertThat(send(configuration, TestRequest.get("/").route("route-a")).status()).isEqualTo(401);
		// global_auth unset with rules: other routes are not authenticated
		assertThat(send(configuration, TestRequest.get("/").route("route-z")).passed()).isTrue();
	}

	@Test
	void globalAuthTrueAndFalse() {
		TestConfiguration on = configure(CONSUMERS, "\"global_auth\": true", RULES);
		assertThat(send(on, TestRequest.get("/").route("route-z")).status()).isEqualTo(401);
		assertThat(send(on, bearer(hs256(claims("hmac-issuer", now() + 60, ""))).route("route-z")).passed()).isTrue();
		TestConfiguration off = configure(CONSUMERS, "\"global_auth\": false");
		assertThat(send(off, TestRequest.get("/")).passed()).isTrue();
	}

	@Test
	void jwksMayBeAnObjectAndUnsupportedKeysAreSkipped() {
		String consumers = "\"consumers\": [{\"name\": \"c\", \"issuer\": \"hmac-issuer\", \"jwks\": {\"keys\": ["
				+ "{\"kty\": \"EC\", \"crv\": \"secp256k1\", \"x\": \"AA\", \"y\": \"AA\", \"kid\": \"ec\"},"
				+ "{\"kty\": \"OKP\", \"crv\": \"Ed448\", \"x\": \"AA\", \"kid\": \"ed\"},"
				+ "{\"kty\": \"RSA\", \"n\": \"AQAB\", \"e\": \"AQAB\", \"use\": \"enc\", \"kid\": \"r\"},"
				+ octJwk(SECRET, "\"kid\":\"hs\"") + "]}}]";
		plugin.logs().clear();
		TestConfiguration configuration = configure(consumers);
		assertThat(plugin.logs().contains("consumers[0].jwks: keys[0] (kid ec): curve \"secp256k1\" is not supported"))
			.isTrue();
		assertThat(plugin.logs().contains("keys[1] (kid ed): curve \"Ed448\" is not supported")).isTrue();
		assertThat(plugin.logs().contains("keys[2] (kid r): use \"enc\" is not \"sig\"")).isTrue();
		assertThat(send(configuration, bearer(
				hmacJwt("HS256", SECRET, "{\"alg\":\"HS256\",\"kid\":\"hs\"}", claims("hmac-issuer", now() + 60, ""))))
			.passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		String jwks = quote("{\"keys\": [" + octJwk(SECRET, "") + "]}");
		assertThat(plugin.refused("{}")).contains("jwt-auth: configuration refused: consumers is required");
		assertThat(plugin.refused("{\"consumers\": []}")).contains("consumers must not be empty");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"jwks\": " + jwks + "}]}"))
			.contains("consumers[0].issuer is required");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\"}]}"))
			.contains("consumers[0].jwks is required");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": \"{nope\"}]}"))
			.contains("consumers[0].jwks is invalid: not JSON");
		assertThat(plugin
			.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": \"{\\\"keys\\\": []}\"}]}"))
			.contains("consumers[0].jwks is invalid: \"keys\" is empty");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": "
				+ quote("{\"keys\": [{\"kty\": \"RSA\", \"n\": \"AQAB\", \"e\": \"AQAB\"}]}") + "}]}"))
			.contains("RSA modulus shorter than 512 bits");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": "
				+ quote("{\"keys\": [{\"kty\": \"oct\", \"k\": \"*\"}]}") + "}]}"))
			.contains("\"k\" is not base64url");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"remote_jwks\": "
				+ "{\"service_name\": \"s\", \"path\": \"/jwks\"}}]}"))
			.contains("consumers[0].remote_jwks is not supported");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": " + jwks + "},"
				+ "{\"name\": \"c\", \"issuer\": \"j\", \"jwks\": " + jwks + "}]}"))
			.contains("consumer 'c' is configured twice");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": " + jwks
				+ ", \"claims_to_headers\": [{\"claim\": \"a\", \"header\": \"x-a\"}, {\"claim\": \"b\", \"header\": \"X-A\"}]}]}"))
			.contains("header 'X-A' is already set by another claim");
		assertThat(plugin.refused("{\"consumers\": [{\"name\": \"c\", \"issuer\": \"i\", \"jwks\": " + jwks
				+ ", \"clock_skew_seconds\": -1}]}"))
			.contains("consumers[0].clock_skew_seconds must be between 0 and");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"_rules_\": [{\"_match_route_\": [\"r\"]}]}"))
			.contains("_rules_[0].allow is required");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": []}]}"))
			.contains("_rules_[0].allow must not be empty");
		assertThat(plugin.refused("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": [\"c\"]}]}"))
			.contains("_rules_[0] needs consumers in the global part");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void hostileTokensAreRejectedWithoutATrap() {
		TestConfiguration configuration = configure(CONSUMERS);
		String[] tokens = { "x", "a.b", "a.b.c.d", "....", "eyJ.eyJ.", "%%%.%%%.%%%",
				b64u("{\"alg\":\"RS256\"}") + "..", b64u("[".repeat(10000)) + "." + b64u("{}") + ".x",
				b64u("{\"alg\":\"RS256\"}") + "." + b64u("{\"iss\":" + "1".repeat(5000) + "}") + ".AAAA",
				b64u("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}") + "." + b64u("{}") + "." + b64u(new byte[100000]),
				"\u00e9\u0000.\uffff.x", "e".repeat(200 * 1024) };
		for (String token : tokens) {
			TestResult result = send(configuration, bearer(token));
			assertThat(result.status()).as(token.length() > 60 ? token.substring(0, 60) : token).isEqualTo(401);
		}
		// many cookies and parameters
		StringBuilder path = new StringBuilder("/?");
		for (int i = 0; i < 5000; i++) {
			path.append("p").append(i).append("=v&");
		}
		assertThat(send(configuration, TestRequest.get(path.toString(), "cookie", "a=b;".repeat(5000))).status())
			.isEqualTo(401);
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void rs256VerificationTimeInPrecompiledMode() {
		TestConfiguration configuration = configure(CONSUMERS);
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
	}

	@Test
	void es256VerificationTimeInPrecompiledMode() {
		TestConfiguration configuration = configure(EC_CONSUMERS);
		String es256 = es256(EC256, "ec-256", claims(EC_ISSUER, now() + 3600, ""));
		String es384 = ecJwt("ES384", EC384, "{\"alg\":\"ES384\",\"kid\":\"ec-384\"}",
				claims(EC_ISSUER, now() + 3600, ""), false);
		long start = System.nanoTime();
		assertThat(send(configuration, bearer(es256)).passed()).isTrue();
		double firstMillis = (System.nanoTime() - start) / 1e6;
		double es256Millis = requestMillis(configuration, es256);
		double es384Millis = requestMillis(configuration, es384);
		// a token that fails on its issuer after the signature verified costs the same;
		// one
		// refused by length (a DER signature) costs no ECDSA: the difference is the
		// verification
		String der = ecJwt("ES256", EC256, "{\"alg\":\"ES256\",\"kid\":\"ec-256\"}",
				claims(EC_ISSUER, now() + 3600, ""), true);
		double refusedMillis = requestMillis(configuration, der);
		System.out.printf("jwt-auth PRECOMPILED: one request with an ES256 token %.3f ms (the first %.1f ms), "
				+ "ES384 %.3f ms; a request refused before ECDSA %.3f ms, so one ES256 verification is about %.3f ms%n",
				es256Millis, firstMillis, es384Millis, refusedMillis, es256Millis - refusedMillis);
	}

	@Test
	void es512EddsaAndPs256VerificationTimeInPrecompiledMode() {
		TestConfiguration configuration = configure(MODERN_CONSUMERS);
		String es512 = ecJwt("ES512", EC521, "{\"alg\":\"ES512\",\"kid\":\"ec-521\"}",
				claims(EC_ISSUER, now() + 3600, ""), false);
		String eddsa = ed25519Jwt(ED25519.getPrivate(), "{\"alg\":\"EdDSA\",\"kid\":\"ed\"}",
				claims(EC_ISSUER, now() + 3600, ""));
		String ps256 = rsaJwt("PS256", RSA, "{\"alg\":\"PS256\",\"kid\":\"ps\"}", claims(EC_ISSUER, now() + 3600, ""));
		for (String token : new String[] { es512, eddsa, ps256 }) {
			assertThat(send(configuration, bearer(token)).passed()).isTrue();
		}
		// a token refused before any signature arithmetic (a DER ES512 signature, refused
		// by its length)
		String der = ecJwt("ES512", EC521, "{\"alg\":\"ES512\",\"kid\":\"ec-521\"}",
				claims(EC_ISSUER, now() + 3600, ""), true);
		double refusedMillis = requestMillis(configuration, der);
		double es512Millis = requestMillis(configuration, es512);
		double eddsaMillis = requestMillis(configuration, eddsa);
		double ps256Millis = requestMillis(configuration, ps256);
		System.out.printf(
				"jwt-auth PRECOMPILED: one request with an ES512 (P-521) token %.3f ms, EdDSA (Ed25519) "
						+ "%.3f ms, PS256 (2048-bit) %.3f ms; a request refused before any verification %.3f ms%n",
				es512Millis, eddsaMillis, ps256Millis, refusedMillis);
	}

	static double requestMillis(TestConfiguration configuration, String token) {
		for (int i = 0; i < 100; i++) {
			send(configuration, bearer(token));
		}
		int rounds = 100;
		long start = System.nanoTime();
		for (int i = 0; i < rounds; i++) {
			send(configuration, bearer(token));
		}
		return (System.nanoTime() - start) / 1e6 / rounds;
	}

}
