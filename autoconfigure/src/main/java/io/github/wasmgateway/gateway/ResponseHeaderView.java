package io.github.wasmgateway.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The response headers as a plugin sees them: {@code :status}, then the response's
 * headers, read and edited in place (the response is not committed while the plugin
 * runs).
 */
final class ResponseHeaderView extends PseudoHeaderMap {

	private final ServerHttpResponse response;

	ResponseHeaderView(ServerHttpResponse response) {
		super(NettyHeaders.of(response), response.getHeaders());
		this.response = response;
	}

	@Override
	int pseudoCount() {
		return 1;
	}

	@Override
	String pseudoName(int index) {
		return ":status";
	}

	@Override
	String pseudo(int index) {
		HttpStatusCode status = this.response.getStatusCode();
		return statusText((status != null) ? status.value() : 200);
	}

	/**
	 * Status codes as text, made once (a plugin reads {@code :status} on most responses).
	 */
	private static final String[] STATUS_TEXT = new String[600];

	private static String statusText(int status) {
		if (status < 0 || status >= STATUS_TEXT.length) {
			return Integer.toString(status);
		}
		String text = STATUS_TEXT[status];
		if (text == null) {
			text = Integer.toString(status);
			STATUS_TEXT[status] = text;
		}
		return text;
	}

	@Override
	void setPseudo(int index, String value) {
		try {
			this.response.setStatusCode(HttpStatusCode.valueOf(Integer.parseInt(value.trim())));
		}
		catch (IllegalArgumentException ex) {
			// not a status code: ignored, as Envoy ignores an unparsable :status
		}
	}

	@Override
	HttpHeaders writableHeaders() {
		return headers();
	}

}
