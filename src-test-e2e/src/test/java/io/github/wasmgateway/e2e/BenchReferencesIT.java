package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's profile "bench" (benchmarks/load/run.sh): each Java reference answers what
 * its plugin answers. The same requests, signed well and badly, go to the built-in
 * hmac-auth plugin's route and to its Java reference's (JavaHmacAuthFilter); statuses,
 * bodies (the echo's, or the denial's) and the headers a client reads must be the same,
 * the route's own path aside.
 */
class BenchReferencesIT {

	static final String KEY = "bench-key";

	static final String SECRET = "bench-secret";

	static DemoGateway gateway;

	@BeforeAll
	static void start() throws Exception {
		gateway = DemoGateway.start("--spring.profiles.active=bench");
	}

	@AfterAll
	static void stop() throws Exception {
		gateway.close();
	}

	@Test
	void signedRequestPassesBothWithTheConsumerNamed() throws Exception {
		long now = System.currentTimeMillis();
		Map<String, HttpResponse<String>> answers = bothHmacRoutes((path) -> signed("GET", path, now, List.of()));
		assertThat(answers.get("wasm").statusCode()).isEqualTo(200);
		assertThat(answers.get("wasm").body()).contains("x-mse-consumer: bench");
	}

	@Test
	void signedQueryParametersAreSortedAndDecodedByBoth() throws Exception {
		long now = System.currentTimeMillis();
		Map<String, HttpResponse<String>> answers = bothHmacRoutes(
				(path) -> signed("GET", path + "?b=2&a=%31&c&a=9", path + "?a=1&b=2&c=", now, List.of()));
		assertThat(answers.get("wasm").statusCode()).isEqualTo(200);
	}

	@Test
	void signedExtraHeadersAndHmacSha1PassBoth() throws Exception {
		long now = System.currentTimeMillis();
		Map<String, HttpResponse<String>> answers = bothHmacRoutes(
				(path) -> signed("HmacSHA1", path, now, List.of("x-a", "x-missing")).with("x-a", "hello",
						"X-Ca-Signature-Method", "HmacSHA1"));
		assertThat(answers.get("wasm").statusCode()).isEqualTo(200);
	}

	@Test
	void dateHeaderWithinTheOffsetPassesBoth() throws Exception {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
		Map<String, HttpResponse<String>> answers = bothHmacRoutes((path) -> {
			String toSign = "GET\napplication/json\n\n\n" + date + "\nx-ca-key:" + KEY + "\n" + path;
			return new Sent(path, "Accept", "application/json", "Date", date, "X-Ca-Key", KEY, "X-Ca-Signature-Headers",
					"x-ca-key", "X-Ca-Signature", sign("HmacSHA256", toSign));
		});
		assertThat(answers.get("wasm").statusCode()).isEqualTo(200);
	}

	@Test
	void missingOrUnknownKeyIsDeniedAlike() throws Exception {
		assertThat(bothHmacRoutes((path) -> new Sent(path)).get("wasm").statusCode()).isEqualTo(401);
		HttpResponse<String> unknown = bothHmacRoutes(
				(path) -> new Sent(path, "X-Ca-Key", "someone-else", "X-Ca-Signature", "abc"))
			.get("wasm");
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.body()).isEqualTo("Invalid Key");
	}

	@Test
	void missingSignatureIsDeniedAlike() throws Exception {
		HttpResponse<String> denied = bothHmacRoutes((path) -> new Sent(path, "X-Ca-Key", KEY)).get("wasm");
		assertThat(denied.statusCode()).isEqualTo(401);
		assertThat(denied.body()).isEqualTo("Empty Signature");
	}

	@Test
	void badSignatureIsDeniedAlikeWithTheStringToSign() throws Exception {
		long now = System.currentTimeMillis();
		HttpResponse<String> denied = bothHmacRoutes((path) -> {
			Sent good = signed("GET", path, now, List.of());
			List<String> headers = new ArrayList<>(good.headers());
			headers.set(headers.size() - 1, sign("HmacSHA256", "something else"));
			return new Sent(path, headers);
		}).get("wasm");
		assertThat(denied.statusCode()).isEqualTo(400);
		assertThat(denied.body()).isEqualTo("Invalid Signature");
		assertThat(denied.headers().firstValue("x-ca-error-message")).hasValueSatisfying(
				(message) -> assertThat(message).startsWith("Server StringToSign:`GET#application/json#"));
	}

	@Test
	void timestampOutsideTheOffsetOrUnreadableIsDeniedAlike() throws Exception {
		long stale = System.currentTimeMillis() - 2L * 86400 * 1000;
		HttpResponse<String> old = bothHmacRoutes((path) -> signed("GET", path, stale, List.of())).get("wasm");
		assertThat(old.statusCode()).isEqualTo(400);
		assertThat(old.body()).isEqualTo("Invalid Date");
		HttpResponse<String> unreadable = bothHmacRoutes(
				(path) -> new Sent(path, "X-Ca-Key", KEY, "X-Ca-Timestamp", "soon", "X-Ca-Signature", "abc"))
			.get("wasm");
		assertThat(unreadable.statusCode()).isEqualTo(400);
		assertThat(unreadable.body()).isEqualTo("Invalid Date");
		HttpResponse<String> badDate = bothHmacRoutes(
				(path) -> new Sent(path, "X-Ca-Key", KEY, "Date", "yesterday", "X-Ca-Signature", "abc"))
			.get("wasm");
		assertThat(badDate.body()).isEqualTo("Invalid Date");
	}

	// ---- helpers

	/** The request to send to a route's {@code path}. */
	interface Request {

		Sent to(String path) throws Exception;

	}

	/** A GET of {@code target} with header name/value pairs. */
	record Sent(String target, List<String> headers) {

		Sent(String target, String... headers) {
			this(target, List.of(headers));
		}

		Sent with(String... more) {
			List<String> all = new ArrayList<>(this.headers);
			all.addAll(List.of(more));
			return new Sent(this.target, all);
		}

	}

	/**
	 * Sends the request to /bench/wasm-hmac/x and /bench/java-hmac/x (each signed for its
	 * own path) and asserts the same answers; returns them by route kind.
	 */
	static Map<String, HttpResponse<String>> bothHmacRoutes(Request request) throws Exception {
		Map<String, HttpResponse<String>> answers = new TreeMap<>();
		Map<String, String> bodies = new TreeMap<>();
		for (String kind : List.of("wasm", "java")) {
			String path = "/bench/" + kind + "-hmac/x";
			Sent sent = request.to(path);
			HttpResponse<String> answer = gateway.get(sent.target(), sent.headers().toArray(String[]::new));
			answers.put(kind, answer);
			// each route's request is signed for its own path: the echo shows both
			String body = answer.body().replace(path, "/bench/ROUTE/x");
			int signature = sent.headers().indexOf("X-Ca-Signature");
			bodies.put(kind, (signature >= 0) ? body.replace(sent.headers().get(signature + 1), "SIGNATURE") : body);
		}
		HttpResponse<String> wasm = answers.get("wasm");
		HttpResponse<String> java = answers.get("java");
		assertThat(java.statusCode()).as("status").isEqualTo(wasm.statusCode());
		assertThat(bodies.get("java")).as("body").isEqualTo(bodies.get("wasm"));
		for (String header : List.of("x-ca-error-message", "content-type", "www-authenticate", "content-length")) {
			assertThat(java.headers().firstValue(header).map((value) -> value.replace("java-hmac", "wasm-hmac")))
				.as(header)
				.isEqualTo(wasm.headers().firstValue(header));
		}
		return answers;
	}

	/**
	 * A GET of {@code path} signed with X-Ca-Key, X-Ca-Timestamp and the headers
	 * {@code extra} names (x-a signs as "hello", any other as missing).
	 */
	static Sent signed(String method, String path, long timestamp, List<String> extra) throws Exception {
		return signed(method, path, path, timestamp, extra);
	}

	/**
	 * The same, for a GET of {@code target} whose path and sorted parameters sign as
	 * {@code signedPath}; "HmacSHA1" as {@code method} signs with HMAC-SHA1.
	 */
	static Sent signed(String method, String target, String signedPath, long timestamp, List<String> extra)
			throws Exception {
		List<String> names = new ArrayList<>(List.of("x-ca-key", "x-ca-timestamp"));
		names.addAll(extra);
		names.sort(null);
		StringBuilder toSign = new StringBuilder("GET\napplication/json\n\n\n\n");
		for (String name : names) {
			toSign.append(name).append(':').append(switch (name) {
				case "x-ca-key" -> KEY;
				case "x-ca-timestamp" -> Long.toString(timestamp);
				case "x-a" -> "hello";
				default -> "";
			}).append('\n');
		}
		toSign.append(signedPath);
		String algorithm = method.equals("HmacSHA1") ? "HmacSHA1" : "HmacSHA256";
		return new Sent(target, "Accept", "application/json", "X-Ca-Key", KEY, "X-Ca-Timestamp",
				Long.toString(timestamp), "X-Ca-Signature-Headers", String.join(",", names), "X-Ca-Signature",
				sign(algorithm, toSign.toString()));
	}

	static String sign(String algorithm, String toSign) throws Exception {
		Mac mac = Mac.getInstance(algorithm);
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), algorithm));
		return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
	}

}
