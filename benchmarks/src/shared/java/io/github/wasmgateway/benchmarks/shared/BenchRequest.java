package io.github.wasmgateway.benchmarks.shared;

/**
 * The request of the full-request benchmarks, the same for both hosts: header
 * name/value pairs, a typical request (pseudo-headers, a few ordinary ones, the two the
 * plugin reads) and its response.
 */
public final class BenchRequest {

	public static final String[] REQUEST_HEADERS = { ":method", "GET", ":path", "/api/items?page=2", ":authority",
			"gateway.example.com", ":scheme", "https", "user-agent", "bench/1.0", "accept", "application/json", "x-a",
			"alpha", "x-b", "bravo-bravo" };

	public static final String[] RESPONSE_HEADERS = { ":status", "200", "content-type", "application/json" };

	private BenchRequest() {
	}

}
