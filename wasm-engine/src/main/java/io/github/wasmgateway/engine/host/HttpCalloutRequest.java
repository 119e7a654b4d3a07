package io.github.wasmgateway.engine.host;

import io.github.wasmgateway.engine.HeaderMap;
import java.time.Duration;

/**
 * One {@code proxy_http_call}: the cluster name and what the plugin sends. The headers
 * carry the pseudo-headers {@code :method}, {@code :path} and {@code :authority} the
 * plugin set.
 */
public record HttpCalloutRequest(String plugin, String cluster, HeaderMap headers, byte[] body, HeaderMap trailers,
		Duration timeout) {
}
