package io.github.wasmgateway.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.TestExchange;
import io.github.wasmgateway.plugins.PluginHarness.Result;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
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

	static final PluginHarness harness = new PluginHarness("hmac-auth");

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
		harness.close();
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
	static TestExchange signed(String method, String path, String key, String secret, Map<String, String> form,
			String... headers) {
		Map<String, String> all = new TreeMap<>();
		all.put("accept", "application/json");
		all.put("x-ca-key", key);
		all.put("x-ca-timestamp", Long.toString(harness.clock.epochSeconds() * 1000));
		all.put("x-ca-nonce", "c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44");
		all.put("x-ca-signature-headers", "x-ca-key,x-ca-nonce,x-ca-timestamp");
		for (int i = 0; i < headers.length; i += 2) {
			all.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
		}
		String algorithm = all.getOrDefault("x-ca-signature-method", "HmacSHA256");
		all.put("x-ca-signature", hmac(algorithm, secret, stringToSign(method, path, all, form)));
		return exchange(method, path, all);
	}

	static TestExchange exchange(String method, String path, Map<String, String> headers) {
		List<String> pairs = new ArrayList<>();
		headers.forEach((name, value) -> {
			pairs.add(name);
			pairs.add(value);
		});
		return TestExchange.request(method, path, pairs.toArray(String[]::new));
	}

	static PluginConfiguration configure(String json) {
		return harness.configure(json);
	}

	static void assertDenied(Result result, int status, String body) {
		assertThat(result.status()).isEqualTo(status);
		assertThat(result.body()).isEqualTo(body);
		assertThat(result.exchange().requestHeaders.get("x-mse-consumer")).isNull();
	}

	@Test
	void higressKnownAnswerForAGetRequestPasses() {
		// Higress's plugin_test.cc, SignWithConsumer: the request and its signature as
		// written there
		PluginConfiguration configuration = configure("""
				{"consumers": [{"key": "appKey", "secret": "appSecret", "name": "consumer"}],
				 "_rules_": [{"_match_route_": ["test"], "allow": ["consumer"]}]}""");
		TestExchange request = TestExchange
			.request("GET", "/Third/Tools/checkSign", "accept", "application/json", "content-type", "application/json",
					"x-ca-timestamp", "1646365291734", "x-ca-nonce", "787dd0c2-7bd8-41cd-9c19-62c05ea524a2", "x-ca-key",
					"appKey", "x-ca-signature-headers", "x-ca-key,x-ca-nonce,x-ca-timestamp", "x-ca-signature",
					"EdJSFAMOWyXZOpXhevZnjuS0ZafnwnCqaSk5hz+tXo8=")
			.route("test");
		Result result = harness.send(configuration, request);
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-mse-consumer")).isEqualTo("consumer");
		assertThat(harness.failures()).isZero();
	}

	@Test
	void higressKnownAnswerForAFormBodySignsItsParameters() {
		// Higress's plugin_test.cc, ParamInBodyWithConsumer: the parameters are in the
		// body only
		PluginConfiguration configuration = configure("""
				{"consumers": [{"key": "appKey", "secret": "appSecret", "name": "consumer"}],
				 "_rules_": [{"_match_route_": ["test"], "allow": ["consumer"]}]}""");
		String[] headers = { "accept", "application/json", "content-type", "application/x-www-form-urlencoded",
				"x-ca-timestamp", "1646646682418", "x-ca-nonce", "ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf", "x-ca-key",
				"appKey", "x-ca-signature-headers", "x-ca-key,x-ca-nonce,x-ca-timestamp", "x-ca-signature",
				"gmf9xq0hc95Hmt+7G+OocS009ka3v1v0rvfshKzYc3w=" };
		byte[] body = "nickname=nickname&room_id=6893&uuid=uuid&photo=photo".getBytes(StandardCharsets.UTF_8);
		Result ok = harness.sendBody(configuration,
				TestExchange.request("POST", "/Third/User/getNyAccessToken", headers).route("test"), body);
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer");

		byte[] changed = "nickname=other&room_id=6893&uuid=uuid&photo=photo".getBytes(StandardCharsets.UTF_8);
		Result tampered = harness.sendBody(configuration,
				TestExchange.request("POST", "/Third/User/getNyAccessToken", headers).route("test"), changed);
		assertThat(tampered.status()).isEqualTo(400);
		assertThat(tampered.body()).isEqualTo("Invalid Signature");
	}

	@Test
	void higressInstanceExampleConfigurationAuthenticatesEveryRequest() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		Result ok = harness.send(configuration,
				signed("GET", "/app/v1/config/keys?keys=TEST", "appKey-example-1", "appSecret-example-1", Map.of()));
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer-1");
		assertDenied(harness.send(configuration, TestExchange.get("/app")), 401, "Invalid Key");
	}

	@Test
	void higressRulesExampleConfigurationAllowsPerRouteAndDomain() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(RULES_EXAMPLE));
		TestExchange consumer1OnRouteA = signed("GET", "/a", "appKey-example-1", "appSecret-example-1", Map.of())
			.route("route-a");
		assertThat(harness.send(configuration, consumer1OnRouteA).requestHeader("x-mse-consumer"))
			.isEqualTo("consumer-1");
		TestExchange consumer2OnRouteB = signed("GET", "/b", "appKey-example-2", "appSecret-example-2", Map.of())
			.route("route-b");
		assertDenied(harness.send(configuration, consumer2OnRouteB), 403, "Unauthorized Consumer");
		TestExchange consumer2OnDomain = signed("GET", "/c", "appKey-example-2", "appSecret-example-2", Map.of())
			.route("other")
			.authority("api.example.com");
		assertThat(harness.send(configuration, consumer2OnDomain).passed()).isTrue();
		// no rule matches and global_auth is unset: the request is not authenticated
		assertThat(harness.send(configuration, TestExchange.get("/open").route("other")).passed()).isTrue();
	}

	@Test
	void signatureCoversMethodHeadersPathAndSortedParameters() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		String path = "/orders?b=2&a=1&b=3&empty";
		Result ok = harness.send(configuration, signed("GET", path, "appKey-example-2", "appSecret-example-2", Map.of(),
				"date", "", "x-custom", "v", "x-ca-signature-headers", "x-custom,x-ca-key,x-ca-timestamp"));
		assertThat(ok.passed()).isTrue();

		TestExchange request = signed("GET", path, "appKey-example-2", "appSecret-example-2", Map.of());
		request.requestHeaders.set(":method", "DELETE");
		Result wrongMethod = harness.send(configuration, request);
		assertDenied(wrongMethod, 400, "Invalid Signature");
		// the server's string to sign, newlines as '#', for the client to compare with
		// its own
		assertThat(wrongMethod.responseHeader("x-ca-error-message")).isEqualTo("Server StringToSign:`DELETE#"
				+ "application/json####x-ca-key:appKey-example-2#x-ca-nonce:c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44#"
				+ "x-ca-timestamp:" + (harness.clock.epochSeconds() * 1000) + "#/orders?a=1&b=2&empty=`");
	}

	@Test
	void percentEncodedParametersAreSignedDecoded() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		TestExchange request = signed("GET", "/q?name=a b&x=/", "appKey-example-1", "appSecret-example-1", Map.of());
		request.requestHeaders.set(":path", "/q?name=a%20b&x=%2F");
		assertThat(harness.send(configuration, request).passed()).isTrue();
	}

	@Test
	void hmacSha1IsUsedWhenTheClientNamesIt() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		Result ok = harness.send(configuration, signed("GET", "/x", "appKey-example-1", "appSecret-example-1", Map.of(),
				"x-ca-signature-method", "HmacSHA1"));
		assertThat(ok.passed()).isTrue();
		TestExchange mislabelled = signed("GET", "/x", "appKey-example-1", "appSecret-example-1", Map.of(),
				"x-ca-signature-method", "HmacSHA1");
		mislabelled.requestHeaders.set("x-ca-signature-method", "HmacSHA256");
		assertDenied(harness.send(configuration, mislabelled), 400, "Invalid Signature");
	}

	@Test
	void contentMd5MustMatchTheBody() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		byte[] body = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);
		Result ok = harness.sendBody(configuration, signed("POST", "/orders", "appKey-example-1", "appSecret-example-1",
				Map.of(), "content-type", "application/json", "content-md5", md5(body)), body, new byte[0]);
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isEqualTo("consumer-1");

		byte[] other = "{\"order\":2}".getBytes(StandardCharsets.UTF_8);
		Result tampered = harness.sendBody(configuration, signed("POST", "/orders", "appKey-example-1",
				"appSecret-example-1", Map.of(), "content-type", "application/json", "content-md5", md5(body)), other);
		assertThat(tampered.status()).isEqualTo(400);
		assertThat(tampered.body()).isEqualTo("Invalid Content-MD5");

		Result noBody = harness.send(configuration, signed("POST", "/orders", "appKey-example-1", "appSecret-example-1",
				Map.of(), "content-type", "application/json", "content-md5", md5(body)));
		assertThat(noBody.status()).isEqualTo(400);
		assertThat(noBody.body()).isEqualTo("Invalid Content-MD5");
		assertThat(harness.failures()).isZero();
	}

	@Test
	void formParametersInTheBodyAreSignedWithTheQuery() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		byte[] body = "username=xiaoming&password=123456789".getBytes(StandardCharsets.UTF_8);
		Map<String, String> form = Map.of("username", "xiaoming", "password", "123456789");
		TestExchange request = signed("POST", "/http2test/test?param1=test", "appKey-example-1", "appSecret-example-1",
				form, "content-type", "application/x-www-form-urlencoded; charset=utf-8");
		Result ok = harness.sendBody(configuration, request, body);
		assertThat(ok.passed()).isTrue();

		// a form request without a body is checked too (its signature covers no form
		// parameters)
		TestExchange empty = signed("POST", "/http2test/test?param1=test", "appKey-example-1", "appSecret-example-1",
				Map.of(), "content-type", "application/x-www-form-urlencoded");
		assertThat(harness.send(configuration, empty).passed()).isTrue();
		TestExchange unsigned = signed("POST", "/http2test/test?param1=test", "appKey-example-1", "appSecret-example-1",
				form, "content-type", "application/x-www-form-urlencoded");
		assertDenied(harness.send(configuration, unsigned), 400, "Invalid Signature");
	}

	@Test
	void dateOffsetRefusesOldAndReplayedRequestsByDate() {
		// Higress's plugin_test.cc, DateCheck: Date 13:30:29 GMT, offset 3600 s
		PluginConfiguration configuration = configure("""
				{"credentials": [{"key": "203753385", "secret": "123456"}], "date_offset": 3600}""");
		String date = "Wed, 09 May 2018 13:30:29 GMT+00:00";
		TestExchange[] request = new TestExchange[1];
		Runnable sign = () -> request[0] = signed("POST", "/http2test/test?param1=test", "203753385", "123456",
				Map.of(), "date", date, "x-ca-timestamp", "1525872629832");
		setClock(1525876230L);
		sign.run();
		assertDenied(harness.send(configuration, request[0]), 400, "Invalid Date");
		setClock(1525869027L);
		sign.run();
		assertDenied(harness.send(configuration, request[0]), 400, "Invalid Date");
		setClock(1525869029L);
		sign.run();
		assertThat(harness.send(configuration, request[0]).passed()).isTrue();
		// the same request replayed an hour and two seconds later
		harness.clock.advance(Duration.ofSeconds(3602 + 3600));
		assertDenied(harness.send(configuration, request[0]), 400, "Invalid Date");
	}

	@Test
	void dateOffsetReadsTheTimestampInMillisecondsOrSecondsWithoutADate() {
		PluginConfiguration configuration = configure("""
				{"credentials": [{"key": "203753385", "secret": "123456"}], "date_offset": 3600}""");
		for (String timestamp : List.of("1525872629832", "1525872629")) {
			setClock(1525869029L);
			TestExchange request = signed("GET", "/t", "203753385", "123456", Map.of(), "x-ca-timestamp", timestamp);
			assertThat(harness.send(configuration, request).passed()).as(timestamp).isTrue();
			setClock(1525876230L);
			assertDenied(harness.send(configuration, request), 400, "Invalid Date");
			TestExchange garbage = signed("GET", "/t", "203753385", "123456", Map.of(), "x-ca-timestamp", "soon");
			assertDenied(harness.send(configuration, garbage), 400, "Invalid Date");
		}
	}

	@Test
	void httpDatesInEveryFormHigressAccepts() {
		PluginConfiguration configuration = configure("""
				{"consumers": [{"key": "k", "secret": "s", "name": "n"}], "date_offset": 60}""");
		setClock(1525872629L); // Wed, 09 May 2018 13:30:29 GMT
		for (String date : List.of("Wed, 09 May 2018 13:30:29 GMT", "Wed, 9 May 2018 13:30:29 GMT",
				"Wed, 09 May 2018 13:30:29 GMT+00:00", "Wednesday, 09-May-18 13:30:29 GMT",
				"Wed May  9 13:30:29 2018")) {
			assertThat(harness.send(configuration, signed("GET", "/", "k", "s", Map.of(), "date", date)).passed())
				.as(date)
				.isTrue();
		}
		for (String date : List.of("Wed, 31 Feb 2018 13:30:29 GMT", "2018-05-09T13:30:29Z",
				"Wed, 09 May 2018 13:30:29")) {
			assertDenied(harness.send(configuration, signed("GET", "/", "k", "s", Map.of(), "date", date)), 400,
					"Invalid Date");
		}
	}

	@Test
	void answersOfHigressForMissingOrUnknownCredentials() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		assertDenied(harness.send(configuration, TestExchange.get("/x", "x-ca-key", "nobody")), 401, "Invalid Key");
		assertDenied(harness.send(configuration, TestExchange.get("/x", "x-ca-key", "appKey-example-1")), 401,
				"Empty Signature");
		Result wrongSecret = harness.send(configuration,
				signed("GET", "/x", "appKey-example-1", "appSecret-example-2", Map.of()));
		assertDenied(wrongSecret, 400, "Invalid Signature");
		// a client's own consumer header never reaches the upstream with a valid
		// signature
		TestExchange forged = signed("GET", "/x", "appKey-example-1", "appSecret-example-1", Map.of());
		forged.requestHeaders.add("x-mse-consumer", "consumer-2");
		assertThat(harness.send(configuration, forged).requestHeader("x-mse-consumer")).isEqualTo("consumer-1");
	}

	@Test
	void globalAuthFalseWithoutRulesStillAuthenticatesAsHigressDoes() {
		PluginConfiguration configuration = configure("""
				{"global_auth": false, "consumers": [{"key": "k", "secret": "s", "name": "n"}],
				 "_rules_": [{"_match_route_": ["r"], "allow": []}]}""");
		assertThat(harness.send(configuration, TestExchange.get("/x").route("elsewhere")).passed()).isTrue();
		assertDenied(harness.send(configuration, TestExchange.get("/x").route("r")), 401, "Invalid Key");
		PluginConfiguration global = configure("""
				{"global_auth": true, "consumers": [{"key": "k", "secret": "s", "name": "n"}],
				 "_rules_": [{"_match_route_": ["r"], "allow": ["n"]}]}""");
		assertDenied(harness.send(global, TestExchange.get("/x").route("elsewhere")), 401, "Invalid Key");
	}

	@Test
	void aRuleWithItsOwnCredentials() {
		PluginConfiguration configuration = configure(
				"""
						{"_rules_": [{"_match_route_": ["test"], "credentials": [{"key": "appKey", "secret": "appSecret"}]}]}""");
		Result ok = harness.send(configuration,
				signed("GET", "/Third/Tools/checkSign", "appKey", "appSecret", Map.of()).route("test"));
		assertThat(ok.passed()).isTrue();
		assertThat(ok.requestHeader("x-mse-consumer")).isNull();
		assertThat(harness.send(configuration, TestExchange.get("/x").route("other")).passed()).isTrue();
	}

	@Test
	void malformedConfigurationsAreRefusedWithTheReason() {
		assertThat(harness.refused("{}")).contains("hmac-auth: configuration refused: consumers is required");
		assertThat(harness.refused("""
				{"consumers": [{"key": "k", "secret": "s", "name": "a"}, {"key": "k", "secret": "t", "name": "b"}]}"""))
			.contains("consumers[1].key: duplicate key 'k'");
		assertThat(harness.refused("""
				{"consumers": [{"key": "k", "secret": "s"}]}""")).contains("consumers[0].name is required");
		assertThat(harness.refused(
				"""
						{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "credentials": [{"key": "j", "secret": "t"}]}"""))
			.contains("consumers and credentials cannot both be given");
		assertThat(harness.refused("""
				{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "date_offset": "soon"}"""))
			.contains("date_offset must be an integer");
		assertThat(harness.refused("""
				{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "_rules_": [{"_match_route_": ["r"]}]}"""))
			.contains("_rules_[0].allow is required");
	}

	@Test
	void hostileRequestsNeverTrap() {
		PluginConfiguration configuration = configure(HigressExamples.yamlToJson(INSTANCE_EXAMPLE));
		String big = "x".repeat(30_000);
		harness.send(configuration, TestExchange.get("/x?" + big + "=%&%%=%zz&&&", "x-ca-key", "appKey-example-1",
				"x-ca-signature", big, "x-ca-signature-headers", ",,," + big + ",x-ca-key,x-ca-key", "date", big));
		harness.sendBody(configuration,
				TestExchange.request("POST", "/x", "x-ca-key", "appKey-example-1", "x-ca-signature", "s",
						"content-type", "application/x-www-form-urlencoded", "content-md5", "AAAA"),
				"%%%&&==&%f".getBytes(StandardCharsets.UTF_8));
		TestExchange longQuery = signed("GET", "/x?" + big, "appKey-example-1", "appSecret-example-2", Map.of());
		String shown = harness.send(configuration, longQuery).responseHeader("x-ca-error-message");
		assertThat(shown).hasSize("Server StringToSign:`".length() + 4096 + "...`".length()).endsWith("...`");
		assertThat(harness.failures()).isZero();
	}

	private static void setClock(long epochSeconds) {
		harness.clock.advance(Duration.ofSeconds(epochSeconds - harness.clock.epochSeconds()));
	}

}
