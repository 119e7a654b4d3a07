package io.github.wasmgateway.gateway;

import java.net.URI;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The request headers as a plugin sees them: {@code :method}, {@code :path} (with query),
 * {@code :authority}, {@code :scheme}, then the request's headers. Edits apply to the
 * request sent upstream ({@link #applyTo}).
 */
final class RequestHeaderView extends PseudoHeaderMap {

	private static final String[] PSEUDO = { ":method", ":path", ":authority", ":scheme" };

	private final String[] pseudo = new String[4];

	private boolean pseudoChanged;

	RequestHeaderView(ServerHttpRequest request) {
		super(request.getHeaders(), false);
		URI uri = request.getURI();
		this.pseudo[0] = request.getMethod().name();
		String path = uri.getRawPath();
		this.pseudo[1] = ((path == null || path.isEmpty()) ? "/" : path)
				+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		String host = request.getHeaders().getFirst(HttpHeaders.HOST);
		this.pseudo[2] = (host != null) ? host : uri.getRawAuthority();
		this.pseudo[3] = (uri.getScheme() != null) ? uri.getScheme() : "http";
	}

	@Override
	String[] pseudoNames() {
		return PSEUDO;
	}

	@Override
	String pseudo(int index) {
		return this.pseudo[index];
	}

	@Override
	void setPseudo(int index, String value) {
		this.pseudo[index] = value;
		this.pseudoChanged = true;
	}

	/** The exchange with the plugin's edits applied, or the same exchange when none. */
	ServerWebExchange applyTo(ServerWebExchange exchange) {
		if (!changed()) {
			return exchange;
		}
		ServerHttpRequest original = exchange.getRequest();
		ServerHttpRequest.Builder builder = original.mutate();
		HttpHeaders edited = HttpHeaders.copyOf(headers());
		if (this.pseudoChanged) {
			if (!this.pseudo[0].equals(original.getMethod().name())) {
				builder.method(HttpMethod.valueOf(this.pseudo[0]));
			}
			URI uri = UriComponentsBuilder.fromUri(original.getURI())
				.replacePath(null)
				.replaceQuery(null)
				.path(pathOnly(this.pseudo[1]))
				.query(queryOnly(this.pseudo[1]))
				.build(true)
				.toUri();
			builder.uri(uri);
			if (!this.pseudo[2].equals(original.getHeaders().getFirst(HttpHeaders.HOST))) {
				edited.set(HttpHeaders.HOST, this.pseudo[2]);
				exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, true);
			}
		}
		builder.headers((headers) -> {
			headers.clear();
			headers.putAll(edited);
		});
		return exchange.mutate().request(builder.build()).build();
	}

	private static String pathOnly(String path) {
		int query = path.indexOf('?');
		return (query >= 0) ? path.substring(0, query) : path;
	}

	private static String queryOnly(String path) {
		int query = path.indexOf('?');
		return (query >= 0) ? path.substring(query + 1) : null;
	}

}
