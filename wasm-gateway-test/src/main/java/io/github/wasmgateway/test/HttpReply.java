package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The reply a test scripts for a plugin's HTTP call: a status with headers and body, or a
 * failure (the plugin sees the call fail, as on a refused connection or a timeout).
 *
 * @param status the status, 0 for a failure
 * @param headers the headers
 * @param body the body
 * @param failure why the call failed, or null
 */
public record HttpReply(int status, List<Map.Entry<String, String>> headers, byte[] body, String failure) {

	/** {@code status} with a text body and headers as name, value pairs. */
	public static HttpReply of(int status, String body, String... headers) {
		return new HttpReply(status, Headers.pairs(headers), body.getBytes(StandardCharsets.UTF_8), null);
	}

	/** A call that fails (connection refused, timeout) for {@code reason}. */
	public static HttpReply failed(String reason) {
		return new HttpReply(0, List.of(), new byte[0], reason);
	}

}
