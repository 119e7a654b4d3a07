package io.github.wasmgateway.gateway;

import io.netty.handler.codec.http.HttpHeaders;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.ClassUtils;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The Netty headers behind a request or response that Reactor Netty serves as it came in
 * (not replaced by an earlier filter's {@code mutate()}, not wrapped by a decorator other
 * than the gateway's {@link ResponseHook}), so that the plugin's reads take no adapter
 * and counting the headers copies nothing (Spring's {@code HttpHeaders} can only count
 * values through a case-insensitive copy of the names).
 */
final class NettyHeaders {

	private static final Class<?> REACTOR_REQUEST = load(
			"org.springframework.http.server.reactive.ReactorServerHttpRequest");

	private static final Class<?> REACTOR_RESPONSE = load(
			"org.springframework.http.server.reactive.ReactorServerHttpResponse");

	private NettyHeaders() {
	}

	/**
	 * The native headers of {@code request}, or null when its headers are Spring's own.
	 */
	static HttpHeaders of(ServerHttpRequest request) {
		if (request.getClass() != REACTOR_REQUEST) {
			return null;
		}
		Object nativeRequest = ((AbstractServerHttpRequest) request).getNativeRequest();
		return (nativeRequest instanceof HttpServerRequest server) ? server.requestHeaders() : null;
	}

	/**
	 * The native headers of {@code response}, or null when its headers are Spring's own.
	 */
	static HttpHeaders of(ServerHttpResponse response) {
		ServerHttpResponse candidate = response;
		while (candidate instanceof ResponseHook hook) {
			candidate = hook.getDelegate();
		}
		if (candidate.getClass() != REACTOR_RESPONSE) {
			return null;
		}
		Object nativeResponse = ((AbstractServerHttpResponse) candidate).getNativeResponse();
		return (nativeResponse instanceof HttpServerResponse server) ? server.responseHeaders() : null;
	}

	private static Class<?> load(String name) {
		return ClassUtils.isPresent(name, NettyHeaders.class.getClassLoader())
				? ClassUtils.resolveClassName(name, NettyHeaders.class.getClassLoader()) : null;
	}

}
