package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An HTTP call a plugin made ({@code proxy_http_call}): the cluster it named, its headers
 * ({@code :method}, {@code :path}, {@code :authority} included), body and timeout.
 *
 * @param cluster the cluster name
 * @param headers the headers in order
 * @param body the body
 * @param timeout the timeout the plugin gave
 */
public record HttpCall(String cluster, List<Map.Entry<String, String>> headers, byte[] body, Duration timeout) {

	public HttpCall {
		headers = List.copyOf(headers);
	}

	/** The first header {@code name} (any case), or null. */
	public String header(String name) {
		return Headers.first(this.headers, name);
	}

	public String method() {
		return header(":method");
	}

	public String path() {
		return header(":path");
	}

	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

}
