package io.github.wasmgateway.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Profile "bench": the built-in jwt-auth plugin's work for RS256 and ES256 tokens as a
 * plain Java filter with the JDK's {@code Signature}, the reference the plugin is
 * measured against. Same steps: the token from {@code Authorization: Bearer}, its header
 * and payload decoded and parsed, the key by kid (else the first), the signature
 * verified, the issuer, {@code aud}'s type and the time claims checked with 60 s of skew,
 * then {@code x-mse-consumer} set; same answers (status, {@code WWW-Authenticate: JWT
 * realm=MSE Gateway}, body) and log lines.
 */
final class JavaJwtAuthFilter implements GatewayFilter {

	private static final Logger logger = LoggerFactory.getLogger("wasm.plugin.java-jwt-auth");

	private static final long CLOCK_SKEW = 60;

	private static final ObjectMapper json = new ObjectMapper();

	private final Map<String, PublicKey> keys;

	private final PublicKey firstKey;

	JavaJwtAuthFilter(Map<String, PublicKey> keys, PublicKey firstKey) {
		this.keys = keys;
		this.firstKey = firstKey;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String value = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (value == null || !value.startsWith("Bearer ") || value.length() == "Bearer ".length()) {
			logger.warn("jwt-auth: jwt is missing, consumer: {}", BenchTokens.CONSUMER);
			return BenchDenial.deny(exchange, HttpStatus.UNAUTHORIZED, "JWT",
					"Request denied by JWT Auth check. JWT is missing.");
		}
		String failure = verify(value.substring("Bearer ".length()), System.currentTimeMillis() / 1000);
		if (failure != null) {
			logger.warn("jwt-auth: jwt verify failed, consumer: {}, reason: {}", BenchTokens.CONSUMER, failure);
			return BenchDenial.deny(exchange, HttpStatus.UNAUTHORIZED, "JWT",
					failure.equals("token is expired") ? "Request denied by JWT Auth check. JWT is expired."
							: "Request denied by JWT Auth check. JWT verification fails");
		}
		logger.info("jwt-auth: consumer '{}' authenticated", BenchTokens.CONSUMER);
		ServerHttpRequest authenticated = request.mutate()
			.headers((headers) -> headers.set("x-mse-consumer", BenchTokens.CONSUMER))
			.build();
		return chain.filter(exchange.mutate().request(authenticated).build());
	}

	/** Why the token fails, or {@code null}. */
	private String verify(String token, long now) {
		int first = token.indexOf('.');
		int second = token.indexOf('.', first + 1);
		if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
			return "not a compact JWS";
		}
		try {
			Base64.Decoder decoder = Base64.getUrlDecoder();
			JsonNode header = json.readTree(decoder.decode(token.substring(0, first)));
			JsonNode payload = json.readTree(decoder.decode(token.substring(first + 1, second)));
			byte[] signature = decoder.decode(token.substring(second + 1));
			String alg = header.path("alg").asString("");
			PublicKey key = this.keys.getOrDefault(header.path("kid").asString(""), this.firstKey);
			Signature verifier = switch (alg) {
				case "RS256" -> Signature.getInstance("SHA256withRSA");
				case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
				default -> null;
			};
			if (verifier == null) {
				return "alg " + alg + " is not supported here";
			}
			verifier.initVerify(key);
			verifier.update(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
			if (!verifier.verify(signature)) {
				return "signature (" + alg + ") does not verify";
			}
			if (!BenchTokens.ISSUER.equals(payload.path("iss").stringValue(null))) {
				return "issuer does not equal";
			}
			JsonNode aud = payload.get("aud");
			if (aud != null && !aud.isString() && !aud.isArray()) {
				return "aud is not a string or an array of strings";
			}
			return timeProblem(payload, now);
		}
		catch (IllegalArgumentException | GeneralSecurityException | tools.jackson.core.JacksonException ex) {
			return "jwt parse failed: " + ex.getMessage();
		}
	}

	private static String timeProblem(JsonNode claims, long now) {
		for (String name : new String[] { "exp", "nbf", "iat" }) {
			JsonNode value = claims.get(name);
			if (value != null && !value.isNull() && !value.isNumber()) {
				return name + " is not a number";
			}
		}
		if (claims.has("exp") && now - CLOCK_SKEW > claims.get("exp").asLong()) {
			return "token is expired";
		}
		if (claims.has("nbf") && now + CLOCK_SKEW < claims.get("nbf").asLong()) {
			return "token is not valid yet";
		}
		if (claims.has("iat") && now + CLOCK_SKEW < claims.get("iat").asLong()) {
			return "token is issued in the future";
		}
		return null;
	}

}
