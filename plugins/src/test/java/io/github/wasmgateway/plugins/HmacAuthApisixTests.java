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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * hmac-auth-apisix through the engine in PRECOMPILED mode: Higress's (wasm-go)
 * configuration and answers; signatures made with the JDK's javax.crypto.
 */
class HmacAuthApisixTests {

	static final PluginTester plugin = BuiltinPlugins.tester("hmac-auth-apisix");

	static final String CONSUMERS = """
			"consumers": [
			  {"name": "consumer1", "access_key": "ak1", "secret_key": "sk1"},
			  {"access_key": "ak2", "secret_key": "sk2"}
			]""";

	static final String RULES = """
			"_rules_": [
			  {"_match_route_": ["route-a"], "allow": ["consumer1"]},
			  {"_match_route_": ["route-b"], "clock_skew": 0, "allowed_algorithms": ["hmac-sha512"]}
			]""";

	static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	@AfterAll
	static void close() {
		plugin.close();
	}

	static TestConfiguration configure(String... parts) {
		return plugin.configure("{" + String.join(",", parts) + "}");
	}

	static String date(long offsetSeconds) {
		return GMT.format(Instant.ofEpochSecond(plugin.clock().epochSeconds() + offsetSeconds));
	}

	static String sign(String algorithm, String secret, String signingString) {
		String name = switch (algorithm) {
			case "hmac-sha1" -> "HmacSHA1";
			case "hmac-sha256" -> "HmacSHA256";
			case "hmac-sha512" -> "HmacSHA512";
			default -> throw new IllegalArgumentException(algorithm);
		};
		try {
			Mac mac = Mac.getInstance(name);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), name));
			return Base64.getEncoder().encodeToString(mac.doFinal(signingString.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A request signed as a client would: keyId, then "@request-target" and the listed
	 * headers, one line each.
	 */
	static TestRequest signed(String method, String path, String keyId, String secret, String algorithm,
			String signedHeaders, String... headers) {
		List<String> lines = new ArrayList<>();
		lines.add(keyId);
		for (String name : signedHeaders.split(" ")) {
			if (name.equals("@request-target")) {
				lines.add(method + " " + path);
				continue;
			}
			for (int i = 0; i < headers.length; i += 2) {
				if (headers[i].equalsIgnoreCase(name)) {
					lines.add(name + ": " + headers[i + 1]);
				}
			}
		}
		String signature = sign(algorithm, secret, String.join("\n", lines) + "\n");
		String authorization = "Signature keyId=\"" + keyId + "\",algorithm=\"" + algorithm + "\",headers=\""
				+ signedHeaders + "\",signature=\"" + signature + "\"";
		String[] all = new String[headers.length + 2];
		System.arraycopy(headers, 0, all, 0, headers.length);
		all[headers.length] = "authorization";
		all[headers.length + 1] = authorization;
		return TestRequest.request(method, path, all);
	}

	static TestRequest signedGet(String path, String keyId, String secret, String algorithm) {
		return signed("GET", path, keyId, secret, algorithm, "@request-target date", "date", date(0));
	}

	static TestResult send(TestConfiguration configuration, TestRequest request) {
		return BuiltinPlugins.send(plugin, configuration, request);
	}

	/**
	 * A 401 with Higress's JSON body (quotes in the reason escaped, so the body is valid
	 * JSON).
	 */
	static void assertDenied(TestResult result, String reason) {
		assertThat(result.status()).isEqualTo(401);
		assertThat(result.body())
			.isEqualTo("{\"message\":\"client request can't be validated: " + reason.replace("\"", "\\\"") + "\"}");
		assertThat(result.requestHeader("x-mse-consumer")).isNull();
	}

	/**
	 * As assertDenied, for the body phase (the headers already named the consumer, as
	 * Higress does).
	 */
	static void assertBodyDenied(TestResult result, String reason) {
		assertThat(result.status()).isEqualTo(401);
		assertThat(result.body()).isEqualTo("{\"message\":\"client request can't be validated: " + reason + "\"}");
	}

	/** Higress's README, example 1, instance-level configuration, unchanged. */
	static final String HIGRESS_EXAMPLE = """
			global_auth: false
			consumers:
			- name: consumer1
			  access_key: consumer1-key
			  secret_key: 2bda943c-ba2b-11ec-ba07-00163e1250b5
			- name: consumer2
			  access_key: consumer2-key
			  secret_key: c8c8e9ca-558e-4a2d-bb62-e700dcc40e35
			""";

	/**
	 * Its route-level (allow: consumer1) and domain-level (allow: consumer2)
	 * configurations, as _rules_.
	 */
	static final String HIGRESS_EXAMPLE_RULES = """
			_rules_:
			- _match_route_: [route-a, route-b]
			  allow:
			  - consumer1  # Only consumer1 is allowed access
			- _match_domain_: ["*.example.com", test.com]
			  allow:
			  - consumer2  # Only consumer2 is allowed access
			""";

	@Test
	void higressDocumentedExamplesWithTheirSignedRequests() {
		TestConfiguration configuration = plugin
			.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE + HIGRESS_EXAMPLE_RULES));
		String date = "Fri, 12 Sep 2025 23:53:18 GMT";
		setClock(1757721198L);
		String authorization = "Signature keyId=\"consumer1-key\",algorithm=\"hmac-sha256\",headers=\"@request-target date\","
				+ "signature=\"746z4VISwZehUwZdzTV486ZMMbBtakmMHKPfs/A4RdU=\"";
		TestRequest passed = TestRequest
			.request("POST", "/foo", "authorization", authorization, "date", date, "content-type", "application/json")
			.route("route-a");
		assertThat(send(configuration, passed).requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		TestRequest put = TestRequest
			.request("PUT", "/foo", "authorization",
					"Signature keyId=\"consumer1-key\",algorithm=\"hmac-sha256\",headers=\"@request-target date\","
							+ "signature=\"746z4VISwZehUwZdzTV486ZMMbBtakmMHKPfs/A4RdU=\"",
					"date", date)
			.route("route-a");
		assertDenied(send(configuration, put), "Invalid signature");
		setClock(1757721541L);
		TestRequest notAllowed = TestRequest
			.request("POST", "/foo", "authorization",
					"Signature keyId=\"consumer2-key\",algorithm=\"hmac-sha256\",headers=\"@request-target date\","
							+ "signature=\"dltotPwd4iWGGz//kuehPJlHXZemR5WKwCPAJD/KPhE=\"",
					"date", "Fri, 12 Sep 2025 23:59:01 GMT")
			.route("route-a");
		assertDenied(send(configuration, notAllowed), "consumer 'consumer2' is not allowed");
		// the first request again, over five minutes later: its date is too old
		TestRequest replayed = TestRequest.request("POST", "/foo", "authorization", authorization, "date", date)
			.route("route-a");
		assertDenied(send(configuration, replayed), "Clock skew exceeded");

		// example 2: signed headers and the body's digest
		TestConfiguration example2 = plugin.configure(PluginTester.yamlToJson(HIGRESS_EXAMPLE + """
				signed_headers:  # Custom request headers to be included in the signature
				- X-Custom-Header-A
				- X-Custom-Header-B
				validate_request_body: true  # Enable request body signature verification
				""" + HIGRESS_EXAMPLE_RULES));
		setClock(1757721874L);
		String[] headers = { "authorization",
				"Signature keyId=\"consumer1-key\",algorithm=\"hmac-sha256\","
						+ "headers=\"@request-target date x-custom-header-a x-custom-header-b\","
						+ "signature=\"KoOlbkDIR/JzlKK47eURewnIpmhpkQU+KIyBUhqVfmo=\"",
				"date", "Sat, 13 Sep 2025 00:04:34 GMT", "digest",
				"SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=", "x-custom-header-a", "test1",
				"x-custom-header-b", "test2", "content-type", "application/json" };
		TestResult ok = BuiltinPlugins.sendBody(plugin, example2,
				TestRequest.request("POST", "/foo", headers).route("route-a"), "{}".getBytes(StandardCharsets.UTF_8));
		assertThat(ok.passed()).isTrue();
		TestResult tampered = BuiltinPlugins.sendBody(plugin, example2,
				TestRequest.request("POST", "/foo", headers).route("route-a"),
				"{\"x\":1}".getBytes(StandardCharsets.UTF_8));
		assertBodyDenied(tampered, "Invalid digest");
		String[] missingA = headers.clone();
		missingA[1] = missingA[1].replace(" x-custom-header-a", "");
		assertDenied(send(example2, TestRequest.request("POST", "/foo", missingA).route("route-a")),
				"expected header \"X-Custom-Header-A\" missing in signing");
	}

	private static void setClock(long epochSeconds) {
		plugin.clock().set(Instant.ofEpochSecond(epochSeconds));
	}

	@Test
	void signedRequestAuthenticatesAndNamesTheConsumer() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestResult result = send(configuration, signedGet("/api/x?a=1", "ak1", "sk1", "hmac-sha256"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer1");
		assertThat(result.requestHeader("authorization")).startsWith("Signature ");
		// a consumer without a name is named by its access key
		assertThat(send(configuration, signedGet("/", "ak2", "sk2", "hmac-sha256")).requestHeader("x-mse-consumer"))
			.isEqualTo("ak2");
	}

	@Test
	void everyAlgorithmVerifies() {
		TestConfiguration configuration = configure(CONSUMERS);
		for (String algorithm : new String[] { "hmac-sha1", "hmac-sha256", "hmac-sha512" }) {
			assertThat(send(configuration, signedGet("/", "ak1", "sk1", algorithm)).passed()).as(algorithm).isTrue();
		}
	}

	@Test
	void signedHeadersAreInTheSigningString() {
		TestConfiguration configuration = configure(CONSUMERS);
		TestRequest exchange = signed("POST", "/orders", "ak1", "sk1", "hmac-sha256", "@request-target date x-custom",
				"date", date(0), "X-Custom", "value 1");
		assertThat(send(configuration, exchange).passed()).isTrue();
		// the same signature with another value of a signed header fails
		TestRequest tampered = signed("POST", "/orders", "ak1", "sk1", "hmac-sha256", "@request-target date x-custom",
				"date", date(0), "X-Custom", "value 1");
		tampered.setHeader("x-custom", "value 2");
		assertDenied(send(configuration, tampered), "Invalid signature");
		// and another path
		TestRequest otherPath = signedGet("/a", "ak1", "sk1", "hmac-sha256");
		otherPath.setHeader(":path", "/b");
		assertDenied(send(configuration, otherPath), "Invalid signature");
	}

	@Test
	void missingOrMalformedAuthorizationIs401() {
		TestConfiguration configuration = configure(CONSUMERS);
		assertDenied(send(configuration, TestRequest.get("/")), "missing Authorization header");
		assertDenied(send(configuration, TestRequest.get("/", "authorization", "Basic abc")),
				"Authorization header does not start with 'Signature '");
		assertDenied(send(configuration, TestRequest.get("/", "authorization", "Signature algorithm=\"hmac-sha256\"")),
				"keyId or signature missing");
		assertDenied(
				send(configuration, TestRequest.get("/", "authorization", "Signature keyId=\"ak1\",signature=\"x\"")),
				"algorithm missing");
		assertDenied(
				send(configuration,
						TestRequest.get("/", "authorization",
								"Signature keyId=\"nobody\",algorithm=\"hmac-sha256\",signature=\"x\"")),
				"Invalid keyId");
	}

	@Test
	void wrongSecretIsInvalidSignature() {
		TestResult result = send(configure(CONSUMERS), signedGet("/", "ak1", "wrong", "hmac-sha256"));
		assertDenied(result, "Invalid signature");
		assertThat(result.responseHeader("content-type")).isEqualTo("application/json");
	}

	@Test
	void clockSkewIsCheckedAgainstTheDateHeader() {
		TestConfiguration configuration = configure(CONSUMERS);
		assertDenied(send(configuration, signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target")),
				"Date header missing. failed to validate clock skew");
		assertDenied(send(configuration,
				signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target", "date", "2023-11-14T22:13:20Z")),
				"Invalid GMT format time");
		assertDenied(
				send(configuration,
						signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target date", "date", date(-301))),
				"Clock skew exceeded");
		assertDenied(
				send(configuration,
						signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target date", "date", date(301))),
				"Clock skew exceeded");
		assertThat(send(configuration,
				signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target date", "date", date(-299)))
			.passed()).isTrue();
		// configured skew; 0 turns the check off
		TestConfiguration tight = configure(CONSUMERS, "\"clock_skew\": 10");
		assertDenied(
				send(tight, signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target date", "date", date(-11))),
				"Clock skew exceeded");
		TestConfiguration off = configure(CONSUMERS, "\"clock_skew\": 0");
		assertThat(send(off, signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target")).passed()).isTrue();
	}

	@Test
	void gmtDatesAreParsedStrictly() {
		TestConfiguration configuration = configure(CONSUMERS);
		String now = date(0);
		String[] bad = { now.replace("GMT", "UTC"), now.substring(5), "Mon, 31 Feb 2024 10:00:00 GMT",
				"Xyz, 14 Nov 2023 22:13:20 GMT", "Tue, 14 Nov 2023 24:00:00 GMT", "Tue, 14 Nov 2023 22:60:00 GMT",
				"Tue, 14 Nov 23 22:13:20 GMT", "", "\u00e9" };
		for (String value : bad) {
			TestResult result = send(configuration,
					signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target date", "date", value));
			assertThat(result.status()).as(value).isEqualTo(401);
		}
	}

	@Test
	void oneDigitDaysAndHoursOfRfc1123AreAccepted() {
		TestConfiguration configuration = configure(CONSUMERS);
		// the first nine days of a month: Java's RFC_1123_DATE_TIME writes "Sun, 3 Dec
		// 2023 ..."
		Instant early = Instant.parse("2023-12-03T05:04:05Z");
		plugin.clock().set(early);
		String javaForm = DateTimeFormatter.RFC_1123_DATE_TIME.format(early.atZone(ZoneOffset.UTC));
		String shortest = DateTimeFormatter.ofPattern("EEE, d MMM yyyy H:mm:ss 'GMT'", Locale.US)
			.withZone(ZoneOffset.UTC)
			.format(early);
		assertThat(javaForm).isEqualTo("Sun, 3 Dec 2023 05:04:05 GMT");
		assertThat(shortest).isEqualTo("Sun, 3 Dec 2023 5:04:05 GMT");
		for (String value : new String[] { javaForm, shortest, date(0) }) {
			TestResult result = send(configuration,
					signed("GET", "/", "ak1", "sk1", "hmac-sha256", "@request-target date", "date", value));
			assertThat(result.passed()).as(value).isTrue();
		}
	}

	@Test
	void allowedAlgorithmsRestrictTheAlgorithm() {
		TestConfiguration configuration = configure(CONSUMERS, "\"allowed_algorithms\": [\"hmac-sha512\"]");
		assertDenied(send(configuration, signedGet("/", "ak1", "sk1", "hmac-sha256")), "Invalid algorithm");
		assertThat(send(configuration, signedGet("/", "ak1", "sk1", "hmac-sha512")).passed()).isTrue();
		assertDenied(
				send(configure(CONSUMERS),
						TestRequest.get("/", "date", date(0), "authorization",
								"Signature keyId=\"ak1\",algorithm=\"hmac-md5\",signature=\"x\"")),
				"Invalid algorithm");
	}

	@Test
	void signedHeadersMustBeSigned() {
		TestConfiguration configuration = configure(CONSUMERS, "\"signed_headers\": [\"date\", \"x-custom\"]");
		assertDenied(send(configuration, signedGet("/", "ak1", "sk1", "hmac-sha256")),
				"expected header \"x-custom\" missing in signing");
		assertDenied(
				send(configuration,
						TestRequest.get("/", "date", date(0), "authorization",
								"Signature keyId=\"ak1\",algorithm=\"hmac-sha256\",signature=\"x\"")),
				"headers missing");
		assertThat(send(configuration,
				signed("GET", "/", "ak1", "sk1", "hmac-sha256", "date x-custom", "date", date(0), "x-custom", "1"))
			.passed()).isTrue();
	}

	static String digest(byte[] body) {
		try {
			return "SHA-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void requestBodyMustMatchTheDigest() {
		TestConfiguration configuration = configure(CONSUMERS, "\"validate_request_body\": true");
		byte[] body = "{\"order\": 1, \"items\": [1, 2, 3]}".repeat(3000).getBytes(StandardCharsets.UTF_8);
		byte[] first = java.util.Arrays.copyOfRange(body, 0, 40000);
		byte[] second = java.util.Arrays.copyOfRange(body, 40000, body.length);
		TestRequest good = signed("POST", "/orders", "ak1", "sk1", "hmac-sha256", "@request-target date digest", "date",
				date(0), "digest", digest(body));
		assertThat(BuiltinPlugins.sendBody(plugin, configuration, good, first, second).passed()).isTrue();
		TestRequest wrong = signed("POST", "/orders", "ak1", "sk1", "hmac-sha256", "@request-target date digest",
				"date", date(0), "digest", digest("other".getBytes(StandardCharsets.UTF_8)));
		assertBodyDenied(BuiltinPlugins.sendBody(plugin, configuration, wrong, first, second), "Invalid digest");
		TestRequest none = signed("POST", "/orders", "ak1", "sk1", "hmac-sha256", "@request-target date", "date",
				date(0));
		assertBodyDenied(BuiltinPlugins.sendBody(plugin, configuration, none, body), "Invalid digest");
		// without validate_request_body the body is not checked
		assertThat(BuiltinPlugins.sendBody(plugin, configure(CONSUMERS), wrong, body).passed()).isTrue();
	}

	@Test
	void hideCredentialsRemovesTheAuthorizationHeader() {
		TestResult result = send(configure(CONSUMERS, "\"hide_credentials\": true"),
				signedGet("/", "ak1", "sk1", "hmac-sha256"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("authorization")).isNull();
	}

	@Test
	void anonymousConsumerWhenNoCredentialsAreGiven() {
		TestConfiguration configuration = configure(CONSUMERS, "\"anonymous_consumer\": \"guest\"");
		TestResult anonymous = send(configuration, TestRequest.get("/"));
		assertThat(anonymous.passed()).isTrue();
		assertThat(anonymous.requestHeader("x-mse-consumer")).isEqualTo("guest");
		// a wrong signature is not anonymous
		assertDenied(send(configuration, signedGet("/", "ak1", "wrong", "hmac-sha256")), "Invalid signature");
	}

	@Test
	void clientCannotSendItsOwnConsumerHeader() {
		TestRequest exchange = signedGet("/", "ak2", "sk2", "hmac-sha256");
		exchange.header("x-mse-consumer", "consumer1");
		TestResult result = send(configure(CONSUMERS), exchange);
		assertThat(result.requestHeaderValues("x-mse-consumer")).containsExactly("ak2");
	}

	@Test
	void rulesAllowConsumersAndOverrideOptions() {
		TestConfiguration configuration = configure(CONSUMERS, RULES);
		assertThat(send(configuration, signedGet("/", "ak1", "sk1", "hmac-sha256").route("route-a")).passed()).isTrue();
		assertDenied(send(configuration, signedGet("/", "ak2", "sk2", "hmac-sha256").route("route-a")),
				"consumer 'ak2' is not allowed");
		// route-b: no clock skew check, only hmac-sha512
		assertThat(
				send(configuration, signed("GET", "/", "ak2", "sk2", "hmac-sha512", "@request-target").route("route-b"))
					.passed())
			.isTrue();
		assertDenied(send(configuration, signedGet("/", "ak2", "sk2", "hmac-sha256").route("route-b")),
				"Invalid algorithm");
		// global_auth unset with rules: other routes are not authenticated
		assertThat(send(configuration, TestRequest.get("/").route("route-z")).passed()).isTrue();
		TestConfiguration global = configure(CONSUMERS, "\"global_auth\": true", RULES);
		assertDenied(send(global, TestRequest.get("/").route("route-z")), "missing Authorization header");
		TestConfiguration off = configure(CONSUMERS, "\"global_auth\": false");
		assertThat(send(off, TestRequest.get("/")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationIsRefusedWithAReason() {
		assertThat(plugin.refused("{}")).contains("hmac-auth-apisix: configuration refused: consumers is required");
		assertThat(plugin.refused("{\"consumers\": []}")).contains("consumers must not be empty");
		assertThat(plugin.refused("{\"consumers\": [{\"secret_key\": \"s\"}]}"))
			.contains("consumers[0].access_key is required");
		assertThat(plugin.refused("{\"consumers\": [{\"access_key\": \"a\"}]}"))
			.contains("consumers[0].secret_key is required");
		assertThat(plugin.refused("{\"consumers\": [{\"access_key\": \"a\", \"secret_key\": \"s\"},"
				+ " {\"access_key\": \"a\", \"secret_key\": \"t\"}]}"))
			.contains("duplicate consumer access_key 'a'");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"allowed_algorithms\": [\"hmac-md5\"]}"))
			.contains("invalid algorithm 'hmac-md5'");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"clock_skew\": -5}")).contains("clock_skew must be between 0");
		assertThat(plugin.refused("{" + CONSUMERS + ", \"validate_request_body\": \"yes\"}"))
			.contains("validate_request_body must be true or false");
		assertThat(plugin.refused("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": [\"a\"]}]}"))
			.contains("needs consumers in the global part");
		assertThat(plugin
			.refused("{" + CONSUMERS + ", \"_rules_\": [{\"_match_route_\": [\"r\"], \"clock_skew\": \"x\"}]}"))
			.contains("_rules_[0].clock_skew must be an integer");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void hostileAuthorizationHeadersAreRejectedWithoutATrap() {
		TestConfiguration configuration = configure(CONSUMERS);
		String[] values = { "Signature ", "Signature keyId=\"ak1", "Signature keyId=\"ak1\",signature=\"",
				"Signature " + "keyId=\"".repeat(20000), "Signature " + "a".repeat(300000) + "=\"x\"",
				"Signature " + "k=\"v\",".repeat(20000),
				"Signature keyId=\"ak1\",algorithm=\"hmac-sha256\",signature=\"\u00e9\u0000\"",
				"Signature keyId=\"ak1\",algorithm=\"hmac-sha256\",headers=\"" + "date ".repeat(5000)
						+ "\",signature=\"x\"" };
		for (String value : values) {
			TestResult result = send(configuration, TestRequest.get("/", "authorization", value, "date", date(0)));
			assertThat(result.status()).isEqualTo(401);
		}
		assertThat(plugin.failures()).isZero();
	}

}
