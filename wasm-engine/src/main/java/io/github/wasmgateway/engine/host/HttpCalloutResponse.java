package io.github.wasmgateway.engine.host;

import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;

/**
 * The answer to a callout: headers with {@code :status}, body and trailers; or a failure
 * (connection refused, timeout), which the plugin sees as a response with no headers and
 * no body, as under Envoy.
 */
public record HttpCalloutResponse(HeaderMap headers, byte[] body, HeaderMap trailers, String failure) {

	public static HttpCalloutResponse of(HeaderMap headers, byte[] body) {
		return new HttpCalloutResponse(headers, body, new ListHeaderMap(), null);
	}

	public static HttpCalloutResponse failed(String reason) {
		return new HttpCalloutResponse(new ListHeaderMap(), new byte[0], new ListHeaderMap(), reason);
	}

	public boolean isFailure() {
		return this.failure != null;
	}

}
