package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.ListHeaderMap;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import io.netty.handler.codec.http.HttpVersion;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.server.HttpServerRequest;

/**
 * One gateway exchange as the engine sees it: header views, and properties answered from
 * the exchange and its route. It keeps no state of the exchange's progress: what the
 * plugin decides outside a phase goes straight to the one consumer the request has
 * ({@link PluginExchange}).
 */
final class ExchangeView implements HttpExchange {

	private final ServerWebExchange exchange;

	private final RouteBinding route;

	private final PluginExchange run;

	private final RequestHeaderView requestHeaders;

	private final long startedEpochMillis = System.currentTimeMillis();

	private ResponseHeaderView responseHeaders;

	private ListHeaderMap responseTrailers;

	ExchangeView(ServerWebExchange exchange, RouteBinding route, PluginExchange run) {
		this.exchange = exchange;
		this.route = route;
		this.run = run;
		this.requestHeaders = new RequestHeaderView(exchange.getRequest());
	}

	String routeId() {
		return this.route.routeId();
	}

	RequestHeaderView requestHeaderView() {
		return this.requestHeaders;
	}

	/** The response headers become readable once the response phases begin. */
	void startResponse() {
		if (this.responseHeaders == null) {
			this.responseHeaders = new ResponseHeaderView(this.exchange.getResponse());
		}
	}

	/** The upstream's trailers, as the plugins before this one left them. */
	void startResponseTrailers(ListHeaderMap trailers) {
		this.responseTrailers = trailers;
	}

	@Override
	public HeaderMap requestHeaders() {
		return this.requestHeaders;
	}

	@Override
	public HeaderMap responseHeaders() {
		return this.responseHeaders;
	}

	@Override
	public HeaderMap responseTrailers() {
		return this.responseTrailers;
	}

	@Override
	public void decided(Decision decision) {
		this.run.decided(decision);
	}

	@Override
	public byte[] property(String[] path) {
		if (path.length == 0) {
			return null;
		}
		ServerHttpRequest request = this.exchange.getRequest();
		switch (path[0]) {
			case "route_name":
				return this.route.routeName();
			case "cluster_name":
				return utf8(clusterName());
			case "xds":
				return (path.length == 2 && path[1].equals("route_name")) ? this.route.routeName() : null;
			case "node":
				return (path.length == 2 && path[1].equals("id")) ? utf8("wasm-gateway") : null;
			case "request":
				return (path.length >= 2) ? requestProperty(request, path) : null;
			case "response":
				return (path.length >= 2) ? responseProperty(path) : null;
			case "source":
				return (path.length == 2) ? address(request.getRemoteAddress(), path[1]) : null;
			case "destination":
				return (path.length == 2) ? address(request.getLocalAddress(), path[1]) : null;
			default:
				return null;
		}
	}

	private String clusterName() {
		Route route = this.exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null || route.getUri() == null) {
			return null;
		}
		URI uri = route.getUri();
		return (uri.getHost() != null) ? uri.getHost() + ((uri.getPort() > 0) ? ":" + uri.getPort() : "")
				: uri.toString();
	}

	private byte[] requestProperty(ServerHttpRequest request, String[] path) {
		URI uri = request.getURI();
		switch (path[1]) {
			case "path":
				return utf8(this.requestHeaders.get(":path"));
			case "url_path":
				return utf8(uri.getRawPath());
			case "host":
				return utf8(this.requestHeaders.get(":authority"));
			case "scheme":
				return utf8(this.requestHeaders.get(":scheme"));
			case "method":
				return utf8(this.requestHeaders.get(":method"));
			case "query":
				return utf8(uri.getRawQuery());
			case "id":
				return utf8(request.getId());
			case "protocol":
				return utf8(protocol(request));
			case "time":
				return int64(this.startedEpochMillis * 1_000_000L);
			case "size":
				long length = request.getHeaders().getContentLength();
				return (length >= 0) ? int64(length) : null;
			case "headers":
				return (path.length == 3) ? utf8(this.requestHeaders.get(path[2].toLowerCase(Locale.ROOT))) : null;
			default:
				return null;
		}
	}

	/** As Envoy names it: HTTP/1.0, HTTP/1.1, HTTP/2, HTTP/3 (off Netty: HTTP/1.1). */
	private static String protocol(ServerHttpRequest request) {
		HttpVersion version = HttpVersion.HTTP_1_1;
		try {
			if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty) {
				version = netty.version();
			}
		}
		catch (IllegalArgumentException ex) {
			// not a request Spring can trace to its server: keep the default
		}
		return (version.majorVersion() >= 2) ? "HTTP/" + version.majorVersion() : version.text();
	}

	private byte[] responseProperty(String[] path) {
		switch (path[1]) {
			case "code":
				HttpStatusCode status = this.exchange.getResponse().getStatusCode();
				return (status != null) ? int64(status.value()) : null;
			case "headers":
				return (path.length == 3 && this.responseHeaders != null)
						? utf8(this.responseHeaders.get(path[2].toLowerCase(Locale.ROOT))) : null;
			default:
				return null;
		}
	}

	private static byte[] address(InetSocketAddress address, String part) {
		if (address == null) {
			return null;
		}
		if (part.equals("address")) {
			String host = (address.getAddress() != null) ? address.getAddress().getHostAddress()
					: address.getHostString();
			return utf8(host + ":" + address.getPort());
		}
		return part.equals("port") ? int64(address.getPort()) : null;
	}

	private static byte[] utf8(String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8) : null;
	}

	/** Envoy encodes integer attributes as little-endian 64-bit values. */
	private static byte[] int64(long value) {
		return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
	}

}
