package io.github.wasmgateway.gateway;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import java.util.List;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import reactor.core.publisher.Mono;

/**
 * Installs a {@link ResponseHook} on exchanges whose route runs a WasmPlugin filter, just
 * before the gateway's response writer; other routes pass through untouched.
 */
public final class ResponseHookFilter implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null || !runsPlugins(route)) {
			return chain.filter(exchange);
		}
		ResponseHook hook = new ResponseHook(exchange.getResponse());
		return chain.filter(new WithResponse(exchange, hook)).doFinally((signal) -> hook.complete());
	}

	private static boolean runsPlugins(Route route) {
		List<GatewayFilter> filters = route.getFilters();
		for (int i = 0; i < filters.size(); i++) {
			if (WasmPluginGatewayFilterFactory.unwrap(filters.get(i)) != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The exchange with the hook as its response (one object, where mutate() makes two).
	 */
	private static final class WithResponse extends ServerWebExchangeDecorator {

		private final ServerHttpResponse response;

		WithResponse(ServerWebExchange exchange, ServerHttpResponse response) {
			super(exchange);
			this.response = response;
		}

		@Override
		public ServerHttpResponse getResponse() {
			return this.response;
		}

	}

	@Override
	public int getOrder() {
		return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;
	}

}
