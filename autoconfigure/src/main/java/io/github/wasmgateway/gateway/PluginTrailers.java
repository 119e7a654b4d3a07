package io.github.wasmgateway.gateway;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TrailerHeadersFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Response trailers through the plugins: the upstream's trailers as the plugins'
 * {@code proxy_on_response_trailers} left them are what the gateway sends to the client
 * (Spring Cloud Gateway asks its {@link TrailerHeadersFilter}s once the response body is
 * written).
 */
public final class PluginTrailers implements HttpHeadersFilter, TrailerHeadersFilter {

	/** The trailers as the plugins that ran so far left them. */
	static final String ATTRIBUTE = PluginTrailers.class.getName();

	/** Not a headers filter: it only answers for trailers. */
	@Override
	public boolean supports(Type type) {
		return false;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		return input;
	}

	@Override
	public HttpHeaders trailers(HttpHeaders trailers, ServerWebExchange exchange) {
		HttpHeaders edited = exchange.getAttribute(ATTRIBUTE);
		return (edited != null) ? edited : trailers;
	}

	/**
	 * The trailers the next plugin sees: those a plugin already edited, else the
	 * upstream's (empty when it sent none, or when this is not a proxied exchange).
	 */
	static Mono<HttpHeaders> current(ServerWebExchange exchange) {
		HttpHeaders edited = exchange.getAttribute(ATTRIBUTE);
		if (edited != null) {
			return Mono.just(edited);
		}
		Object response = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
		if (!(response instanceof HttpClientResponse upstream)) {
			return Mono.empty();
		}
		return upstream.trailerHeaders().map((netty) -> {
			HttpHeaders trailers = new HttpHeaders();
			netty.forEach((entry) -> trailers.add(entry.getKey(), entry.getValue()));
			return trailers;
		});
	}

}
