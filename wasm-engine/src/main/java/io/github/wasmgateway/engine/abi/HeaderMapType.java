package io.github.wasmgateway.engine.abi;

/**
 * The header maps a plugin names by number ({@code proxy_header_map_type_t}; the names of
 * proxy-wasm-cpp-host's {@code WasmHeaderMapType}).
 */
enum HeaderMapType {

	REQUEST_HEADERS, REQUEST_TRAILERS, RESPONSE_HEADERS, RESPONSE_TRAILERS, GRPC_RECEIVE_INITIAL_METADATA,
	GRPC_RECEIVE_TRAILING_METADATA, HTTP_CALL_RESPONSE_HEADERS, HTTP_CALL_RESPONSE_TRAILERS;

	private static final HeaderMapType[] VALUES = values();

	/** The type of an ABI value, or null when the ABI defines none (BAD_ARGUMENT). */
	static HeaderMapType of(long abiValue) {
		return (abiValue >= 0 && abiValue < VALUES.length) ? VALUES[(int) abiValue] : null;
	}

	/** Whether a plugin may change the map: a callout's response is read-only. */
	boolean writable() {
		return this != HTTP_CALL_RESPONSE_HEADERS && this != HTTP_CALL_RESPONSE_TRAILERS;
	}

}
