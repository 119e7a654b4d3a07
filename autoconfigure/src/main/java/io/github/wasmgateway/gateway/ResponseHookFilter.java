package io.github.wasmgateway.gateway;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
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
		return chain.filter(exchange.mutate().response(hook).build()).doFinally((signal) -> hook.complete());
	}

	private static boolean runsPlugins(Route route) {
		for (GatewayFilter filter : route.getFilters()) {
			GatewayFilter candidate = (filter instanceof OrderedGatewayFilter ordered) ? ordered.getDelegate() : filter;
			if (candidate instanceof WasmPluginFilter) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;
	}

}
