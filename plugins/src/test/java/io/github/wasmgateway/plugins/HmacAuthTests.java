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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * hmac-auth (Higress's wasm-cpp plugin: X-Ca-* headers, Alibaba Cloud API gateway
 * signatures) through the engine in PRECOMPILED mode. Signatures are the known answers of
 * Higress's own tests or are computed here with the JDK's {@link Mac} from Higress's
 * documented signing rules ({@link #stringToSign}).
 */
class HmacAuthTests {

	static final PluginTester plugin = BuiltinPlugins.tester("hmac-auth");

	/** Higress's README, "Enable at the Gateway Instance Level", unchanged. */
	static final String INSTANCE_EXAMPLE = """
			consumers:\s
			- key: appKey-example-1
			  secret: appSecret-example-1
			  name: consumer-1
			- key: appKey-example-2
			  secret: appSecret-example-2
			  name: consumer-2
			""";

	/** Higress's README, "Enabling for specific routes or domains", unchanged. */
	static final String RULES_EXAMPLE = INSTANCE_EXAMPLE + """
			# Configuring Fine-Grained Rules using _rules_ Field
			_rules_:
			# Rule 1: Matching by route name.
			- _match_route_:
			  - route-a
			  - route-b
			  allow:
			  - consumer-1
			# Rule 2: Applies based on domain name matching.
			- _match_domain_:
			  - "*.example.com"
			  - test.com
			  allow:
			  - consumer-2
			""";

	@AfterAll
	static void close() {
		plugin.close();
	}

	/**
	 * Higress's signing string: method, Accept, Content-MD5, Content-Type and Date lines,
	 * the X-Ca-Signature-Headers headers sorted ("name:value"), then the path with the
	 * sorted query and form parameters.
	 */
	static String stringToSign(String method, String path, Map<String, String> headers, Map<String, String> form) {
		StringBuilder text = new StringBuilder();
		for (String fixed : List.of("accept", "content-md5", "content-type", "date")) {
			if (fixed.equals("accept")) {
				text.append(method).append('\n');
			}
			text.append(headers.getOrDefault(fixed, "")).append('\n');
		}
		String list = headers.get("x-ca-signature-headers");
		if (list != null) {
			TreeMap<String, String> signed = new TreeMap<>();
			for (String name : list.split(",")) {
				signed.put(name, headers.getOrDefault(name, ""));
			}
			signed.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
		}
		TreeMap<String, String> params = new TreeMap<>();
		int question = path.indexOf('?');
		if (question >= 0) {
			for (String pair : path.substring(question + 1).split("&")) {
				String[] nameValue = pair.split("=", 2);
				params.putIfAbsent(nameValue[0], (nameValue.length > 1) ? nameValue[1] : "");
			}
		}
		form.forEach(params::putIfAbsent);
		text.append((question >= 0) ? path.substring(0, question) : path);
		String separator = "?";
		for (Map.Entry<String, String> param : params.entrySet()) {
			text.append(separator).append(param.getKey()).append('=').append(param.getValue());
			separator = "&";
		}
		return text.toString();
	}

	static String hmac(String algorithm, String secret, String text) {
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
			return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String md5(byte[] body) {
		try {
			return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A request signed as Higress's docs say: x-ca-key, x-ca-timestamp and x-ca-nonce in
	 * X-Ca-Signature-Headers, HmacSHA256 unless the headers name another method.
	 */
	static TestRequest signed(String method, String path, String key, String secret, Map<String, String> form,
			String... headers) {
		Map<String, String> all = new TreeMap<>();
		all.put("accept", "application/json");
		all.put("x-ca-key", key);
		all.put("x-ca-timestamp", Long.toString(plugin.clock().epochSeconds() * 1000));
		all.put("x-ca-nonce", "c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44");
		all.put("x-ca-signature-headers", "x-ca-key,x-ca-nonce,x-ca-timestamp");
		for (int i = 0; i < headers.length; i += 2) {
			all.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
		}
		String algorithm = all.getOrDefault("x-ca-signature-method", "HmacSHA256");
		all.put("x-ca-signature", hmac(algorithm, secret, stringToSign(method, path, all, form)));
		return exchange(method, path, all);
	}

	static TestRequest exchange(String method, String path, Map<String, String> headers) {
		List<String> pairs = new ArrayList<>();
		headers.forEach((name, value) -> {
			pairs.add(name);
			pairs.add(value);
		});
		return TestRequest.request(method, path, pairs.toArray(String[]::new));
	}

	static TestConfiguration configure(String json) {
		return plugin.configure(json);
	}

	static void assertDenied(TestResult result, int status, String body) {
		assertThat(result.status()).isEqualTo(status);
		assertThat(result.body()).isEqualTo(body);
		assertThat(result.requestHeader("x-mse-consumer")).isNull();
	}

	@Test
	void higressKnownAnswerForAGetRequestPasses() {
		// Higress's plugin_test.cc, SignWithConsumer: the request and its signature as
		// written there
		TestConfiguration configuration = configure("""
				{"consumers": [{"key": "appKey", "secret": "appSecret", "name": "consumer"}],
				 "_rules_": [{"_match_route_": ["test"], "allow": ["consumer"]}]}""");
		TestRequest request = TestRequest
			.request("GET", "/Third/Tools/checkSign", "accept", "application/json", "content-type", "application/json",
					"x-ca-timestamp", "1646365291734", "x-ca-nonce", "787dd0c2-7bd8-41cd-9c19-62c05ea524a2", "x-ca-key",
					"appKey", "x-ca-signature-headers", "x-ca-key,x-ca-nonce,x-ca-timestamp", "x-ca-signature",
					"EdJSFAMOWyXZOpXhevZnjuS0ZafnwnCqaSk5hz+tXo8=")
			.route("test");
		TestResult result = BuiltinPlugins.send(plugin, configuration, request);
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void higressKnownAnswerForAFormBodySignsItsParameters() {
		// Higress's plugin_test.cc, ParamInBodyWithConsumer: the parameters are in the
		// body only
		TestConfiguration configuration = configure("""
				{"consumers": [{"key": "appKey", "secret": "appSecret", "name": "consumer"}],
				 "_rules_": [{"_match_route_": ["test"], "allow": ["consumer"]}]}""");
		String[] headers = { "accept", "application/json", "content-type", "application/x-www-form-urlencoded",
				"x-ca-timestamp", "1646646682418", "x-ca-nonce", "ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf", "x-ca-key",
				"appKey", "x-ca-signature-headers", "x-ca-key,x-ca-nonce,x-ca-timestamp", "x-ca-signature",
				"gmf9xq0hc95Hmt+7G+OocS009ka3v1v0rvfshKzYc3w=" };
		byte[] body = "nickname=nickname&room_id=6893&uuid=uuid&photo=photo".getBytes(StandardCharsets.UTF_8);
		TestResult ok = BuiltinPlugins.sendBody(plugin, configuration,
				TestRequest.request("POST", "/Third/User/getNyAccessToken", headers).route("test"), body);
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer");

		byte[] changed = "nickname=other&room_id=6893&uuid=uuid&photo=photo".getBytes(StandardCharsets.UTF_8);
		TestResult tampered = BuiltinPlugins.sendBody(plugin, configuration,
				TestRequest.request("POST", "/Third/User/getNyAccessToken", headers).route("test"), changed);
		assertThat(tampered.status()).isEqualTo(400);
		assertThat(tampered.body()).isEqualTo("Invalid Signature");
	}

	@Test
	void higressInstanceExampleConfigurationAuthenticatesEveryRequest() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		TestResult ok = BuiltinPlugins.send(plugin, configuration,
				signed("GET", "/app/v1/config/keys?keys=TEST", "appKey-example-1", "appSecret-example-1", Map.of()));
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer-1");
		assertDenied(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/app")), 401, "Invalid Key");
	}

	@Test
	void higressRulesExampleConfigurationAllowsPerRouteAndDomain() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(RULES_EXAMPLE));
		TestRequest consumer1OnRouteA = signed("GET", "/a", "appKey-example-1", "appSecret-example-1", Map.of())
			.route("route-a");
		assertThat(BuiltinPlugins.send(plugin, configuration, consumer1OnRouteA).requestHeader("x-mse-consumer"))
			.isEqualTo("consumer-1");
		TestRequest consumer2OnRouteB = signed("GET", "/b", "appKey-example-2", "appSecret-example-2", Map.of())
			.route("route-b");
		assertDenied(BuiltinPlugins.send(plugin, configuration, consumer2OnRouteB), 403, "Unauthorized Consumer");
		TestRequest consumer2OnDomain = signed("GET", "/c", "appKey-example-2", "appSecret-example-2", Map.of())
			.route("other")
			.authority("api.example.com");
		assertThat(BuiltinPlugins.send(plugin, configuration, consumer2OnDomain).passed()).isTrue();
		// no rule matches and global_auth is unset: the request is not authenticated
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/open").route("other")).passed())
			.isTrue();
	}

	@Test
	void signatureCoversMethodHeadersPathAndSortedParameters() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		String path = "/orders?b=2&a=1&b=3&empty";
		TestResult ok = BuiltinPlugins.send(plugin, configuration,
				signed("GET", path, "appKey-example-2", "appSecret-example-2", Map.of(), "date", "", "x-custom", "v",
						"x-ca-signature-headers", "x-custom,x-ca-key,x-ca-timestamp"));
		assertThat(ok.passed()).isTrue();

		TestRequest request = signed("GET", path, "appKey-example-2", "appSecret-example-2", Map.of());
		request.setHeader(":method", "DELETE");
		TestResult wrongMethod = BuiltinPlugins.send(plugin, configuration, request);
		assertDenied(wrongMethod, 400, "Invalid Signature");
		// the server's string to sign, newlines as '#', for the client to compare with
		// its own
		assertThat(wrongMethod.responseHeader("x-ca-error-message")).isEqualTo("Server StringToSign:`DELETE#"
				+ "application/json####x-ca-key:appKey-example-2#x-ca-nonce:c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44#"
				+ "x-ca-timestamp:" + (plugin.clock().epochSeconds() * 1000) + "#/orders?a=1&b=2&empty=`");
	}

	@Test
	void percentEncodedParametersAreSignedDecoded() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		TestRequest request = signed("GET", "/q?name=a b&x=/", "appKey-example-1", "appSecret-example-1", Map.of());
		request.setHeader(":path", "/q?name=a%20b&x=%2F");
		assertThat(BuiltinPlugins.send(plugin, configuration, request).passed()).isTrue();
	}

	@Test
	void hmacSha1IsUsedWhenTheClientNamesIt() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		TestResult ok = BuiltinPlugins.send(plugin, configuration, signed("GET", "/x", "appKey-example-1",
				"appSecret-example-1", Map.of(), "x-ca-signature-method", "HmacSHA1"));
		assertThat(ok.passed()).isTrue();
		TestRequest mislabelled = signed("GET", "/x", "appKey-example-1", "appSecret-example-1", Map.of(),
				"x-ca-signature-method", "HmacSHA1");
		mislabelled.setHeader("x-ca-signature-method", "HmacSHA256");
		assertDenied(BuiltinPlugins.send(plugin, configuration, mislabelled), 400, "Invalid Signature");
	}

	@Test
	void contentMd5MustMatchTheBody() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		byte[] body = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);
		TestResult ok = BuiltinPlugins.sendBody(plugin, configuration, signed("POST", "/orders", "appKey-example-1",
				"appSecret-example-1", Map.of(), "content-type", "application/json", "content-md5", md5(body)), body,
				new byte[0]);
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer-1");

		byte[] other = "{\"order\":2}".getBytes(StandardCharsets.UTF_8);
		TestResult tampered = BuiltinPlugins.sendBody(plugin, configuration,
				signed("POST", "/orders", "appKey-example-1", "appSecret-example-1", Map.of(), "content-type",
						"application/json", "content-md5", md5(body)),
				other);
		assertThat(tampered.status()).isEqualTo(400);
		assertThat(tampered.body()).isEqualTo("Invalid Content-MD5");

		TestResult noBody = BuiltinPlugins.send(plugin, configuration, signed("POST", "/orders", "appKey-example-1",
				"appSecret-example-1", Map.of(), "content-type", "application/json", "content-md5", md5(body)));
		assertThat(noBody.status()).isEqualTo(400);
		assertThat(noBody.body()).isEqualTo("Invalid Content-MD5");
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void formParametersInTheBodyAreSignedWithTheQuery() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		byte[] body = "username=xiaoming&password=123456789".getBytes(StandardCharsets.UTF_8);
		Map<String, String> form = Map.of("username", "xiaoming", "password", "123456789");
		TestRequest request = signed("POST", "/http2test/test?param1=test", "appKey-example-1", "appSecret-example-1",
				form, "content-type", "application/x-www-form-urlencoded; charset=utf-8");
		TestResult ok = BuiltinPlugins.sendBody(plugin, configuration, request, body);
		assertThat(ok.passed()).isTrue();

		// a form request without a body is checked too (its signature covers no form
		// parameters)
		TestRequest empty = signed("POST", "/http2test/test?param1=test", "appKey-example-1", "appSecret-example-1",
				Map.of(), "content-type", "application/x-www-form-urlencoded");
		assertThat(BuiltinPlugins.send(plugin, configuration, empty).passed()).isTrue();
		TestRequest unsigned = signed("POST", "/http2test/test?param1=test", "appKey-example-1", "appSecret-example-1",
				form, "content-type", "application/x-www-form-urlencoded");
		assertDenied(BuiltinPlugins.send(plugin, configuration, unsigned), 400, "Invalid Signature");
	}

	@Test
	void dateOffsetRefusesOldAndReplayedRequestsByDate() {
		// Higress's plugin_test.cc, DateCheck: Date 13:30:29 GMT, offset 3600 s
		TestConfiguration configuration = configure("""
				{"credentials": [{"key": "203753385", "secret": "123456"}], "date_offset": 3600}""");
		String date = "Wed, 09 May 2018 13:30:29 GMT+00:00";
		TestRequest[] request = new TestRequest[1];
		Runnable sign = () -> request[0] = signed("POST", "/http2test/test?param1=test", "203753385", "123456",
				Map.of(), "date", date, "x-ca-timestamp", "1525872629832");
		setClock(1525876230L);
		sign.run();
		assertDenied(BuiltinPlugins.send(plugin, configuration, request[0]), 400, "Invalid Date");
		setClock(1525869027L);
		sign.run();
		assertDenied(BuiltinPlugins.send(plugin, configuration, request[0]), 400, "Invalid Date");
		setClock(1525869029L);
		sign.run();
		assertThat(BuiltinPlugins.send(plugin, configuration, request[0]).passed()).isTrue();
		// the same request replayed an hour and two seconds later
		plugin.advance(Duration.ofSeconds(3602 + 3600));
		assertDenied(BuiltinPlugins.send(plugin, configuration, request[0]), 400, "Invalid Date");
	}

	@Test
	void dateOffsetReadsTheTimestampInMillisecondsOrSecondsWithoutADate() {
		TestConfiguration configuration = configure("""
				{"credentials": [{"key": "203753385", "secret": "123456"}], "date_offset": 3600}""");
		for (String timestamp : List.of("1525872629832", "1525872629")) {
			setClock(1525869029L);
			TestRequest request = signed("GET", "/t", "203753385", "123456", Map.of(), "x-ca-timestamp", timestamp);
			assertThat(BuiltinPlugins.send(plugin, configuration, request).passed()).as(timestamp).isTrue();
			setClock(1525876230L);
			assertDenied(BuiltinPlugins.send(plugin, configuration, request), 400, "Invalid Date");
			TestRequest garbage = signed("GET", "/t", "203753385", "123456", Map.of(), "x-ca-timestamp", "soon");
			assertDenied(BuiltinPlugins.send(plugin, configuration, garbage), 400, "Invalid Date");
		}
	}

	@Test
	void httpDatesInEveryFormHigressAccepts() {
		TestConfiguration configuration = configure("""
				{"consumers": [{"key": "k", "secret": "s", "name": "n"}], "date_offset": 60}""");
		setClock(1525872629L); // Wed, 09 May 2018 13:30:29 GMT
		for (String date : List.of("Wed, 09 May 2018 13:30:29 GMT", "Wed, 9 May 2018 13:30:29 GMT",
				"Wed, 09 May 2018 13:30:29 GMT+00:00", "Wednesday, 09-May-18 13:30:29 GMT",
				"Wed May  9 13:30:29 2018")) {
			assertThat(BuiltinPlugins.send(plugin, configuration, signed("GET", "/", "k", "s", Map.of(), "date", date))
				.passed()).as(date).isTrue();
		}
		for (String date : List.of("Wed, 31 Feb 2018 13:30:29 GMT", "2018-05-09T13:30:29Z",
				"Wed, 09 May 2018 13:30:29")) {
			assertDenied(
					BuiltinPlugins.send(plugin, configuration, signed("GET", "/", "k", "s", Map.of(), "date", date)),
					400, "Invalid Date");
		}
	}

	@Test
	void answersOfHigressForMissingOrUnknownCredentials() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		assertDenied(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/x", "x-ca-key", "nobody")), 401,
				"Invalid Key");
		assertDenied(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/x", "x-ca-key", "appKey-example-1")),
				401, "Empty Signature");
		TestResult wrongSecret = BuiltinPlugins.send(plugin, configuration,
				signed("GET", "/x", "appKey-example-1", "appSecret-example-2", Map.of()));
		assertDenied(wrongSecret, 400, "Invalid Signature");
		// a client's own consumer header never reaches the upstream with a valid
		// signature
		TestRequest forged = signed("GET", "/x", "appKey-example-1", "appSecret-example-1", Map.of());
		forged.header("x-mse-consumer", "consumer-2");
		assertThat(BuiltinPlugins.send(plugin, configuration, forged).requestHeader("x-mse-consumer"))
			.isEqualTo("consumer-1");
	}

	@Test
	void globalAuthFalseWithoutRulesStillAuthenticatesAsHigressDoes() {
		TestConfiguration configuration = configure("""
				{"global_auth": false, "consumers": [{"key": "k", "secret": "s", "name": "n"}],
				 "_rules_": [{"_match_route_": ["r"], "allow": []}]}""");
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/x").route("elsewhere")).passed())
			.isTrue();
		assertDenied(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/x").route("r")), 401, "Invalid Key");
		TestConfiguration global = configure("""
				{"global_auth": true, "consumers": [{"key": "k", "secret": "s", "name": "n"}],
				 "_rules_": [{"_match_route_": ["r"], "allow": ["n"]}]}""");
		assertDenied(BuiltinPlugins.send(plugin, global, TestRequest.get("/x").route("elsewhere")), 401, "Invalid Key");
	}

	@Test
	void aRuleWithItsOwnCredentials() {
		TestConfiguration configuration = configure(
				"""
						{"_rules_": [{"_match_route_": ["test"], "credentials": [{"key": "appKey", "secret": "appSecret"}]}]}""");
		TestResult ok = BuiltinPlugins.send(plugin, configuration,
				signed("GET", "/Third/Tools/checkSign", "appKey", "appSecret", Map.of()).route("test"));
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isNull();
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/x").route("other")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationsAreRefusedWithTheReason() {
		assertThat(plugin.refused("{}")).contains("hmac-auth: configuration refused: consumers is required");
		assertThat(plugin.refused("""
				{"consumers": [{"key": "k", "secret": "s", "name": "a"}, {"key": "k", "secret": "t", "name": "b"}]}"""))
			.contains("consumers[1].key: duplicate key 'k'");
		assertThat(plugin.refused("""
				{"consumers": [{"key": "k", "secret": "s"}]}""")).contains("consumers[0].name is required");
		assertThat(plugin.refused(
				"""
						{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "credentials": [{"key": "j", "secret": "t"}]}"""))
			.contains("consumers and credentials cannot both be given");
		assertThat(plugin.refused("""
				{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "date_offset": "soon"}"""))
			.contains("date_offset must be an integer");
		assertThat(plugin.refused("""
				{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "_rules_": [{"_match_route_": ["r"]}]}"""))
			.contains("_rules_[0].allow is required");
	}

	@Test
	void hostileRequestsNeverTrap() {
		TestConfiguration configuration = configure(PluginTester.yamlToJson(INSTANCE_EXAMPLE));
		String big = "x".repeat(30_000);
		BuiltinPlugins.send(plugin, configuration,
				TestRequest.get("/x?" + big + "=%&%%=%zz&&&", "x-ca-key", "appKey-example-1", "x-ca-signature", big,
						"x-ca-signature-headers", ",,," + big + ",x-ca-key,x-ca-key", "date", big));
		BuiltinPlugins.sendBody(plugin, configuration,
				TestRequest.request("POST", "/x", "x-ca-key", "appKey-example-1", "x-ca-signature", "s", "content-type",
						"application/x-www-form-urlencoded", "content-md5", "AAAA"),
				"%%%&&==&%f".getBytes(StandardCharsets.UTF_8));
		TestRequest longQuery = signed("GET", "/x?" + big, "appKey-example-1", "appSecret-example-2", Map.of());
		String shown = BuiltinPlugins.send(plugin, configuration, longQuery).responseHeader("x-ca-error-message");
		assertThat(shown).hasSize("Server StringToSign:`".length() + 4096 + "...`".length()).endsWith("...`");
		assertThat(plugin.failures()).isZero();
	}

	private static void setClock(long epochSeconds) {
		plugin.clock().set(Instant.ofEpochSecond(epochSeconds));
	}

}
