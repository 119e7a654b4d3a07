package io.github.wasmgateway.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Profile "bench": the built-in hmac-auth plugin's check (Higress's {@code X-Ca-*}
 * scheme) as a plain Java filter with the JDK's {@code Mac}, the reference the plugin is
 * measured against, for the bench route's configuration (consumers, {@code date_offset},
 * no {@code _rules_}). Same steps in the same order: the key ({@code 401 Invalid Key}),
 * the signature header ({@code 401 Empty Signature}), with {@code date_offset} the
 * {@code Date} header or else {@code X-Ca-Timestamp} ({@code 400 Invalid Date}), the
 * string to sign (method, Accept, Content-MD5, Content-Type, Date, the sorted
 * {@code X-Ca-Signature-Headers} lines, the path and the sorted percent-decoded query
 * parameters), its HMAC-SHA256 (HMAC-SHA1 by {@code X-Ca-Signature-Method}) compared in
 * constant time ({@code 400 Invalid Signature} with {@code X-Ca-Error-Message}), then
 * {@code x-mse-consumer}. Two things the bench never sends are left out: a body to check
 * (Content-MD5, form parameters), and the RFC 850 and asctime forms of {@code Date} (only
 * the IMF-fixdate of RFC 7231 is read here).
 */
final class JavaHmacAuthFilter implements GatewayFilter {

	private static final Logger logger = LoggerFactory.getLogger("wasm.plugin.java-hmac-auth");

	/** The headers signed in the fixed lines, never as a Headers line. */
	private static final List<String> FIXED = List.of("accept", "content-md5", "content-type", "date");

	/** Longest string to sign shown in X-Ca-Error-Message, as the plugin. */
	private static final int MAX_SHOWN = 4096;

	/** key -> consumer. */
	private final Map<String, Consumer> consumers;

	/** Seconds; checked when > 0. */
	private final long dateOffset;

	JavaHmacAuthFilter(Map<String, Consumer> consumers, long dateOffset) {
		this.consumers = consumers;
		this.dateOffset = dateOffset;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		String key = headers.getFirst("x-ca-key");
		Consumer consumer = (key != null) ? this.consumers.get(key) : null;
		if (consumer == null) {
			return deny(exchange, HttpStatus.UNAUTHORIZED, "Invalid Key",
					(key == null || key.isEmpty()) ? "no x-ca-key" : "unknown x-ca-key '" + key + "'");
		}
		String signature = headers.getFirst("x-ca-signature");
		if (signature == null || signature.isEmpty()) {
			return deny(exchange, HttpStatus.UNAUTHORIZED, "Empty Signature", "no x-ca-signature");
		}
		if (this.dateOffset > 0) {
			String problem = dateProblem(headers, System.currentTimeMillis() / 1000);
			if (problem != null) {
				return deny(exchange, HttpStatus.BAD_REQUEST, "Invalid Date", problem);
			}
		}
		byte[] toSign = stringToSign(request);
		boolean sha1 = "HmacSHA1".equals(headers.getFirst("x-ca-signature-method"));
		if (!MessageDigest.isEqual(hmac(sha1 ? "HmacSHA1" : "HmacSHA256", consumer.secret(), toSign),
				signature.getBytes(StandardCharsets.UTF_8))) {
			String shown = new String(toSign, StandardCharsets.UTF_8).replace("\n", "#");
			if (shown.length() > MAX_SHOWN) {
				shown = shown.substring(0, MAX_SHOWN) + "...";
			}
			logger.debug("hmac-auth: request denied (400 Invalid Signature): the signature does not match, "
					+ "string to sign: {}", shown);
			return BenchDenial.deny(exchange, HttpStatus.BAD_REQUEST, "Invalid Signature", "x-ca-error-message",
					"Server StringToSign:`" + shown + "`");
		}
		logger.info("hmac-auth: consumer '{}' authenticated", consumer.name());
		ServerHttpRequest authenticated = request.mutate()
			.headers((mutable) -> mutable.set("x-mse-consumer", consumer.name()))
			.build();
		return chain.filter(exchange.mutate().request(authenticated).build());
	}

	/** The HMAC's base64, as bytes (the plugin compares the encoded strings). */
	private static byte[] hmac(String algorithm, String secret, byte[] data) {
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
			return Base64.getEncoder().encode(mac.doFinal(data));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Why the request's time is not within date_offset of {@code now}, or {@code null}.
	 */
	private String dateProblem(HttpHeaders headers, long now) {
		String date = headers.getFirst(HttpHeaders.DATE);
		long seconds;
		if (date != null && !date.isEmpty()) {
			try {
				seconds = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
			}
			catch (DateTimeParseException ex) {
				return "Date '" + date + "' is not an HTTP date";
			}
		}
		else {
			String timestamp = headers.getFirst("x-ca-timestamp");
			Long parsed = parseTimestamp((timestamp != null) ? timestamp : "");
			if (parsed == null) {
				return "no Date, and X-Ca-Timestamp '" + ((timestamp != null) ? timestamp : "") + "' is not a number";
			}
			seconds = parsed;
		}
		long difference = Math.abs(now - seconds);
		return (difference > this.dateOffset)
				? "the request time is " + difference + " s away from now, over date_offset" : null;
	}

	/**
	 * X-Ca-Timestamp in seconds: milliseconds when the header has 13 characters or more,
	 * else seconds; an optional sign and at most 18 digits.
	 */
	private static Long parseTimestamp(String text) {
		String trimmed = text.trim();
		int at = 0;
		boolean negative = false;
		if (!trimmed.isEmpty() && (trimmed.charAt(0) == '+' || trimmed.charAt(0) == '-')) {
			negative = trimmed.charAt(0) == '-';
			at++;
		}
		if (at >= trimmed.length() || trimmed.length() - at > 18) {
			return null;
		}
		long value = 0;
		for (; at < trimmed.length(); at++) {
			char c = trimmed.charAt(at);
			if (c < '0' || c > '9') {
				return null;
			}
			value = value * 10 + (c - '0');
		}
		if (negative) {
			value = -value;
		}
		if (text.length() >= 13) {
			value = (value >= 0) ? value / 1000 : -((-value + 999) / 1000);
		}
		return value;
	}

	/** Higress's string to sign, as bytes. */
	private static byte[] stringToSign(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		text(out, request.getMethod().name()).write('\n');
		for (String name : FIXED) {
			text(out, value(headers, name)).write('\n');
		}
		List<String> names = new ArrayList<>();
		for (String entry : value(headers, "x-ca-signature-headers").split(",", -1)) {
			String name = entry.toLowerCase(Locale.ROOT);
			if (!name.isEmpty() && !name.equals("x-ca-signature") && !name.equals("x-ca-signature-headers")
					&& !name.equals(":method") && !FIXED.contains(name)) {
				names.add(name);
			}
		}
		names.sort(null);
		for (String name : names) {
			text(out, name).write(':');
			text(out, value(headers, name)).write('\n');
		}
		byte[] path = request.getURI().getRawPath().getBytes(StandardCharsets.UTF_8);
		out.writeBytes(path);
		String query = request.getURI().getRawQuery();
		if (query != null) {
			List<byte[][]> params = parameters(query.getBytes(StandardCharsets.UTF_8));
			params.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
			for (int i = 0; i < params.size(); i++) {
				out.write((i == 0) ? '?' : '&');
				out.writeBytes(params.get(i)[0]);
				out.write('=');
				out.writeBytes(params.get(i)[1]);
			}
		}
		return out.toByteArray();
	}

	private static String value(HttpHeaders headers, String name) {
		String value = headers.getFirst(name);
		return (value != null) ? value : "";
	}

	private static ByteArrayOutputStream text(ByteArrayOutputStream out, String text) {
		out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
		return out;
	}

	/**
	 * The {@code &}-separated parameters, {name, value} percent-decoded, the first value
	 * of a name kept; without {@code =} the value is empty.
	 */
	private static List<byte[][]> parameters(byte[] query) {
		List<byte[][]> params = new ArrayList<>();
		int start = 0;
		while (start < query.length) {
			int end = start;
			while (end < query.length && query[end] != '&') {
				end++;
			}
			int equal = start;
			while (equal < end && query[equal] != '=') {
				equal++;
			}
			byte[] name = percentDecode(query, start, equal);
			byte[] value = (equal < end) ? percentDecode(query, equal + 1, end) : new byte[0];
			if (params.stream().noneMatch((param) -> Arrays.equals(param[0], name))) {
				params.add(new byte[][] { name, value });
			}
			start = end + 1;
		}
		return params;
	}

	/** {@code %XY} decoded; a {@code %} without two hex digits stays, {@code +} stays. */
	private static byte[] percentDecode(byte[] data, int start, int end) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
		for (int i = start; i < end; i++) {
			if (data[i] == '%' && i + 2 < end) {
				int hi = Character.digit(data[i + 1], 16);
				int lo = Character.digit(data[i + 2], 16);
				if (hi >= 0 && lo >= 0) {
					out.write((hi << 4) | lo);
					i += 2;
					continue;
				}
			}
			out.write(data[i]);
		}
		return out.toByteArray();
	}

	private static Mono<Void> deny(ServerWebExchange exchange, HttpStatus status, String body, String why) {
		logger.debug("hmac-auth: request denied ({} {}): {}", status.value(), body, why);
		return BenchDenial.deny(exchange, status, body);
	}

	/** A key's secret and consumer name. */
	record Consumer(String secret, String name) {
	}

}
