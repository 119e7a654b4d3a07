package io.github.wasmgateway.engine;

import java.util.List;
import java.util.Map;

/**
 * An answer a plugin sends to the client instead of the upstream's
 * ({@code proxy_send_local_response}).
 *
 * @param status HTTP status code
 * @param details the plugin's reason, for logs (Envoy's response code details)
 * @param body the body, possibly empty
 * @param headers extra response headers, in order
 * @param grpcStatus the gRPC status the plugin set, or -1
 */
public record LocalResponse(int status, String details, byte[] body, List<Map.Entry<String, String>> headers,
		int grpcStatus) {

	public LocalResponse {
		headers = List.copyOf(headers);
	}

}
