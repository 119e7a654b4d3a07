package io.github.wasmgateway.demo;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Profile "bench": the answer of the Java references when they deny a request, as the
 * plugins' {@code sendLocalResponse}: the status, the plugin's headers and a text body;
 * the auth plugins' {@code denyWithChallenge} adds {@code WWW-Authenticate: <scheme>
 * realm=MSE Gateway}.
 */
final class BenchDenial {

	private BenchDenial() {
	}

	static Mono<Void> deny(ServerWebExchange exchange, HttpStatus status, String scheme, String body) {
		return deny(exchange, status, body, HttpHeaders.WWW_AUTHENTICATE, scheme + " realm=MSE Gateway");
	}

	/** Answers {@code status} and {@code body} with the header name/value pairs given. */
	static Mono<Void> deny(ServerWebExchange exchange, HttpStatus status, String body, String... headerPairs) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.clear();
		for (int i = 0; i < headerPairs.length; i += 2) {
			headers.add(headerPairs[i], headerPairs[i + 1]);
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		headers.setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

}
