package io.github.wasmgateway.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Profile "bench": the built-in oauth plugin's token check as a plain Java filter, the
 * reference the plugin is measured against, for the demo's configuration (HS256 tokens
 * signed with the client's secret, issuer {@code demo-gateway}, global credentials, every
 * consumer allowed). Same steps: the bearer token from {@code Authorization}, its header
 * and payload parsed, the consumer by {@code client_id}, the algorithm, the HMAC,
 * {@code typ} {@code at+jwt}, the issuer and the time claims ({@code exp} required, 60 s
 * of skew), then {@code x-mse-consumer}; same answers ({"code":401,"msg":"Invalid Jwt
 * token: ..."}). Tokens are issued by the plugin (its {@code /oauth2/token}); this filter
 * only checks them.
 */
final class JavaOauthFilter implements GatewayFilter {

	private static final Logger logger = LoggerFactory.getLogger("wasm.plugin.java-oauth");

	private static final long CLOCK_SKEW = 60;

	private static final ObjectMapper json = new ObjectMapper();

	private final String issuer;

	/** client_id -> consumer. */
	private final Map<String, Consumer> consumers;

	JavaOauthFilter(String issuer, Map<String, Consumer> consumers) {
		this.issuer = issuer;
		this.consumers = consumers;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String auth = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		String problem;
		Consumer consumer = null;
		if (auth == null) {
			problem = "missing authorization header";
		}
		else if (auth.indexOf("Bearer ") < 0) {
			problem = "not a bearer token";
		}
		else {
			String token = auth.substring(auth.indexOf("Bearer ") + 7);
			consumer = consumerOf(token);
			problem = (consumer != null) ? check(token, consumer) : "unknown client_id";
		}
		if (problem != null) {
			logger.warn("oauth: invalid token: {}", problem);
			return answer(exchange, HttpStatus.UNAUTHORIZED, "Invalid Jwt token: " + problem);
		}
		logger.debug("oauth: consumer '{}' authenticated", consumer.name());
		String name = consumer.name();
		ServerHttpRequest authenticated = request.mutate()
			.headers((headers) -> headers.set("x-mse-consumer", name))
			.build();
		return chain.filter(exchange.mutate().request(authenticated).build());
	}

	private Consumer consumerOf(String token) {
		int first = token.indexOf('.');
		int second = token.indexOf('.', first + 1);
		if (first < 0 || second < 0) {
			return null;
		}
		try {
			JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, second)));
			return this.consumers.get(payload.path("client_id").stringValue(""));
		}
		catch (IllegalArgumentException | tools.jackson.core.JacksonException ex) {
			return null;
		}
	}

	/** Why the token fails, or {@code null}. */
	private String check(String token, Consumer consumer) {
		int first = token.indexOf('.');
		int second = token.indexOf('.', first + 1);
		try {
			Base64.Decoder decoder = Base64.getUrlDecoder();
			JsonNode header = json.readTree(decoder.decode(token.substring(0, first)));
			JsonNode payload = json.readTree(decoder.decode(token.substring(first + 1, second)));
			if (!"HS256".equals(header.path("alg").stringValue(""))) {
				return "unexpected signing algorithm " + header.path("alg").asString("");
			}
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(consumer.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] expected = mac.doFinal(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
			if (!MessageDigest.isEqual(expected, decoder.decode(token.substring(second + 1)))) {
				return "signature does not verify";
			}
			String typ = header.path("typ").stringValue("");
			if (!typ.equals("at+jwt") && !typ.equals("application/at+jwt")) {
				return "typ is not at+jwt";
			}
			if (!this.issuer.equals(payload.path("iss").stringValue(null))) {
				return "wrong issuer";
			}
			return timeProblem(payload, System.currentTimeMillis() / 1000);
		}
		catch (IllegalArgumentException | GeneralSecurityException | tools.jackson.core.JacksonException ex) {
			return "malformed token: " + ex.getMessage();
		}
	}

	private static String timeProblem(JsonNode claims, long now) {
		JsonNode exp = claims.get("exp");
		if (exp == null || exp.isNull()) {
			return "exp is missing";
		}
		if (!exp.isNumber()) {
			return "exp is not a number";
		}
		if (now - CLOCK_SKEW > exp.asLong()) {
			return "token is expired";
		}
		JsonNode nbf = claims.get("nbf");
		if (nbf != null && nbf.isNumber() && now + CLOCK_SKEW < nbf.asLong()) {
			return "token is not valid yet";
		}
		JsonNode iat = claims.get("iat");
		if (iat != null && iat.isNumber() && now + CLOCK_SKEW < iat.asLong()) {
			return "token is issued in the future";
		}
		return null;
	}

	private static Mono<Void> answer(ServerWebExchange exchange, HttpStatus status, String message) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] bytes = ("{\"code\":" + status.value() + ",\"msg\":\"" + message.replace("\"", "\\\"") + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

	/** A client: its consumer name and secret. */
	record Consumer(String name, String secret) {
	}

}
