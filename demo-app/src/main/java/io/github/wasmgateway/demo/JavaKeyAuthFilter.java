package io.github.wasmgateway.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Profile "bench": the built-in key-auth plugin's work as a plain Java filter, the
 * reference the plugin is measured against. Same configuration as the demo's
 * {@code key-auth} (keys {@code x-api-key} and {@code apikey} in headers and the query,
 * consumers alice and bob, a rule that allows only alice on route
 * {@code key-auth-alice}), same answers (status, {@code WWW-Authenticate: Key
 * realm=MSE Gateway}, body), same consumer header and log lines.
 */
final class JavaKeyAuthFilter implements GatewayFilter {

	private static final Logger logger = LoggerFactory.getLogger("wasm.plugin.java-key-auth");

	private static final List<String> KEYS = List.of("x-api-key", "apikey");

	/** credential -> consumer. */
	private static final Map<String, String> CONSUMERS = Map.of("alice-key", "alice", "bob-key", "bob");

	/** route -> consumers allowed there (the plugin's {@code _rules_}). */
	private static final Map<String, Set<String>> RULES = Map.of("key-auth-alice", Set.of("alice"));

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		Set<String> allowed = (route != null) ? RULES.get(route.getId()) : null;
		ServerHttpRequest request = exchange.getRequest();
		List<String> tokens = new ArrayList<>(1);
		for (String key : KEYS) {
			String value = request.getHeaders().getFirst(key);
			if (value != null && !value.isEmpty() && !tokens.contains(value)) {
				tokens.add(value);
			}
		}
		String query = request.getURI().getRawQuery();
		if (query != null) {
			for (String pair : query.split("&")) {
				int eq = pair.indexOf('=');
				String name = decode((eq < 0) ? pair : pair.substring(0, eq));
				String value = decode((eq < 0) ? "" : pair.substring(eq + 1));
				if (name != null && value != null && KEYS.contains(name) && !value.isEmpty()
						&& !tokens.contains(value)) {
					tokens.add(value);
				}
			}
		}
		if (tokens.size() > 1) {
			return BenchDenial.deny(exchange, HttpStatus.UNAUTHORIZED, "Key",
					"Request denied by Key Auth check. Multi Key Authentication information found.");
		}
		if (tokens.isEmpty()) {
			return BenchDenial.deny(exchange, HttpStatus.UNAUTHORIZED, "Key",
					"Request denied by Key Auth check. No Key Authentication information found.");
		}
		String consumer = CONSUMERS.get(tokens.get(0));
		if (consumer == null) {
			logger.warn("key-auth: credential is not configured");
			return BenchDenial.deny(exchange, HttpStatus.UNAUTHORIZED, "Key",
					"Request denied by Key Auth check. Invalid API key.");
		}
		if (allowed != null && !allowed.contains(consumer)) {
			logger.warn("key-auth: consumer '{}' is not allowed", consumer);
			return BenchDenial.deny(exchange, HttpStatus.FORBIDDEN, "Key",
					"Request denied by Key Auth check. Unauthorized consumer.");
		}
		logger.info("key-auth: consumer '{}' authenticated", consumer);
		ServerHttpRequest authenticated = request.mutate()
			.headers((headers) -> headers.set("x-mse-consumer", consumer))
			.build();
		return chain.filter(exchange.mutate().request(authenticated).build());
	}

	private static String decode(String component) {
		try {
			return URLDecoder.decode(component, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// a broken escape: the pair is skipped, as the plugin skips it
			return null;
		}
	}

}
