package io.github.wasmgateway.gateway;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The response headers as a plugin sees them: {@code :status}, then the response's
 * headers, edited in place (the response is not committed while the plugin runs).
 */
final class ResponseHeaderView extends PseudoHeaderMap {

	private static final String[] PSEUDO = { ":status" };

	private final ServerHttpResponse response;

	ResponseHeaderView(ServerHttpResponse response) {
		super(response.getHeaders(), true);
		this.response = response;
	}

	@Override
	String[] pseudoNames() {
		return PSEUDO;
	}

	@Override
	String pseudo(int index) {
		HttpStatusCode status = this.response.getStatusCode();
		return Integer.toString((status != null) ? status.value() : 200);
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

}
