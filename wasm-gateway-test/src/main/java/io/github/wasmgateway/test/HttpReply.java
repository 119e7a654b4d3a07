package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
		if (headers.length % 2 != 0) {
			throw new IllegalArgumentException("headers come as name, value pairs");
		}
		List<Map.Entry<String, String>> list = new ArrayList<>();
		for (int i = 0; i < headers.length; i += 2) {
			list.add(Map.entry(headers[i], headers[i + 1]));
		}
		return new HttpReply(status, List.copyOf(list), body.getBytes(StandardCharsets.UTF_8), null);
	}

	/** A call that fails (connection refused, timeout) for {@code reason}. */
	public static HttpReply failed(String reason) {
		return new HttpReply(0, List.of(), new byte[0], reason);
	}

}
