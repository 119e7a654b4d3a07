package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The answer a plugin sent the client instead of the upstream's
 * ({@code proxy_send_local_response}).
 *
 * @param status the HTTP status
 * @param details the response code details (the reason the gateway logs)
 * @param body the body
 * @param headers the extra headers, in order
 */
public record LocalReply(int status, String details, byte[] body, List<Map.Entry<String, String>> headers) {

	public LocalReply {
		headers = List.copyOf(headers);
	}

	/** The body as UTF-8 text. */
	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/** The first header {@code name} (any case), or null. */
	public String header(String name) {
		return Headers.first(this.headers, name);
	}

}
