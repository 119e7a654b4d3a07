package io.github.wasmgateway.demo;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Profile "bench": the answer of the Java references when they deny a request, as the
 * auth plugins' {@code denyWithChallenge}: the status, {@code WWW-Authenticate: <scheme>
 * realm=MSE Gateway} and a text body.
 */
final class BenchDenial {

	private BenchDenial() {
	}

	static Mono<Void> deny(ServerWebExchange exchange, HttpStatus status, String scheme, String body) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.clear();
		headers.add(HttpHeaders.WWW_AUTHENTICATE, scheme + " realm=MSE Gateway");
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		headers.setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

}
