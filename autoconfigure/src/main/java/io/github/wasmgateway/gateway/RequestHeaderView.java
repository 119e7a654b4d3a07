package io.github.wasmgateway.gateway;

import java.net.URI;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;

/**
 * The request headers as a plugin sees them: {@code :method}, {@code :path} (with query),
 * {@code :authority}, {@code :scheme}, then the request's headers. Reads go to the
 * request's own headers; the first edit takes the writable copy {@code mutate()} makes
 * (the one copy a Java filter that edits headers makes too), and edits go there in place;
 * {@link #applyTo} sends the edited request on.
 */
final class RequestHeaderView extends PseudoHeaderMap {

	private static final String[] PSEUDO = { ":method", ":path", ":authority", ":scheme" };

	private final ServerHttpRequest request;

	/** Pseudo-header values, each read from the request when first asked for. */
	private final String[] pseudo = new String[PSEUDO.length];

	private boolean pseudoChanged;

	private ServerHttpRequest.Builder builder;

	private HttpHeaders writable;

	RequestHeaderView(ServerHttpRequest request) {
		super(NettyHeaders.of(request), request.getHeaders());
		this.request = request;
	}

	@Override
	int pseudoCount() {
		return PSEUDO.length;
	}

	@Override
	String pseudoName(int index) {
		return PSEUDO[index];
	}

	@Override
	String pseudo(int index) {
		String value = this.pseudo[index];
		if (value == null) {
			value = read(index);
			this.pseudo[index] = value;
		}
		return value;
	}

	private String read(int index) {
		URI uri = this.request.getURI();
		switch (index) {
			case 0:
				return this.request.getMethod().name();
			case 1:
				String path = uri.getRawPath();
				String query = uri.getRawQuery();
				path = (path == null || path.isEmpty()) ? "/" : path;
				return (query != null) ? path + "?" + query : path;
			case 2:
				String host = get(HttpHeaders.HOST);
				return (host != null) ? host : uri.getRawAuthority();
			default:
				return (uri.getScheme() != null) ? uri.getScheme() : "http";
		}
	}

	@Override
	void setPseudo(int index, String value) {
		pseudo(index);
		this.pseudo[index] = value;
		this.pseudoChanged = true;
	}

	@Override
	HttpHeaders writableHeaders() {
		if (this.builder == null) {
			this.builder = this.request.mutate().headers((headers) -> this.writable = headers);
			readFrom(this.writable);
		}
		return this.writable;
	}

	/** The exchange with the plugin's edits applied, or the same exchange when none. */
	ServerWebExchange applyTo(ServerWebExchange exchange) {
		if (this.builder == null && !this.pseudoChanged) {
			return exchange;
		}
		return exchange.mutate().request(edited(exchange)).build();
	}

	/** The exchange with the plugin's edits applied and {@code body} as its body. */
	ServerWebExchange applyTo(ServerWebExchange exchange, Flux<DataBuffer> body) {
		ServerHttpRequest request = (this.builder == null && !this.pseudoChanged) ? this.request : edited(exchange);
		return exchange.mutate().request(new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				return body;
			}
		}).build();
	}

	private ServerHttpRequest edited(ServerWebExchange exchange) {
		HttpHeaders headers = writableHeaders();
		if (this.pseudoChanged) {
			String method = pseudo(0);
			if (!method.equals(this.request.getMethod().name())) {
				this.builder.method(HttpMethod.valueOf(method));
			}
			String path = pseudo(1);
			int query = path.indexOf('?');
			URI uri = UriComponentsBuilder.fromUri(this.request.getURI())
				.replacePath(null)
				.replaceQuery(null)
				.path((query >= 0) ? path.substring(0, query) : path)
				.query((query >= 0) ? path.substring(query + 1) : null)
				.build(true)
				.toUri();
			this.builder.uri(uri);
			String authority = pseudo(2);
			if (!authority.equals(this.request.getHeaders().getFirst(HttpHeaders.HOST))) {
				headers.set(HttpHeaders.HOST, authority);
				exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, true);
			}
		}
		return this.builder.build();
	}

}
