package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.LocalResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Answers the client in place of the upstream, as Envoy's {@code sendLocalReply}: the
 * plugin's own local responses, and the gateway's answers on a plugin's behalf (failure,
 * stream timeout, body too large, stream reset), each a plain-text line naming the
 * plugin.
 */
final class LocalReplies {

	private LocalReplies() {
	}

	/** Fail-closed: 503, as Envoy's {@code wasm_fail_stream}. */
	static LocalResponse failed(String plugin) {
		return text(HttpStatus.SERVICE_UNAVAILABLE, "wasm_fail_stream",
				"plugin '" + plugin + "' failed (wasm_fail_stream)");
	}

	/** A stream the plugin held longer than {@code wasm-gateway.stream-timeout}. */
	static LocalResponse timedOut(String plugin, Duration timeout) {
		return text(HttpStatus.GATEWAY_TIMEOUT, "stream_timeout",
				"plugin '" + plugin + "' paused the stream for longer than " + timeout);
	}

	/** Envoy's {@code request_payload_too_large}. */
	static LocalResponse requestTooLarge(String plugin) {
		return text(HttpStatus.CONTENT_TOO_LARGE, "request_payload_too_large",
				"request body too large for plugin '" + plugin + "'");
	}

	/**
	 * Envoy's {@code response_payload_too_large} (500 while the response is not sent).
	 */
	static LocalResponse responseTooLarge(String plugin) {
		return text(HttpStatus.INTERNAL_SERVER_ERROR, "response_payload_too_large",
				"response body too large for plugin '" + plugin + "'");
	}

	/**
	 * {@code proxy_close_stream}: Envoy resets the stream; the gateway answers 502 while
	 * it still can (nothing was sent).
	 */
	static LocalResponse reset(String plugin) {
		return text(HttpStatus.BAD_GATEWAY, "closed_by_plugin", "stream closed by plugin '" + plugin + "'");
	}

	private static LocalResponse text(HttpStatus status, String details, String message) {
		return new LocalResponse(status.value(), details, (message + "\n").getBytes(StandardCharsets.UTF_8),
				List.of(Map.entry(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_PLAIN_VALUE)), -1);
	}

	/**
	 * Replaces whatever response was being prepared with {@code local}; an error when the
	 * response is already committed (its status line is on the wire).
	 */
	static Mono<Void> write(ServerHttpResponse response, LocalResponse local) {
		if (response.isCommitted()) {
			return Mono.error(new IllegalStateException("a local response (" + local.status() + ", " + local.details()
					+ ") came after the response" + " was committed; the exchange is aborted"));
		}
		response.setStatusCode(HttpStatusCode.valueOf(local.status()));
		HttpHeaders headers = response.getHeaders();
		headers.clear();
		for (Map.Entry<String, String> header : local.headers()) {
			headers.add(header.getKey(), header.getValue());
		}
		byte[] body = local.body();
		headers.setContentLength(body.length);
		if (body.length == 0) {
			return response.setComplete();
		}
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
