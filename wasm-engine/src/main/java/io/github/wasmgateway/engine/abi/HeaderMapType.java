package io.github.wasmgateway.engine.abi;

/**
 * The header maps a plugin names by number ({@code proxy_map_type_t}; the names of
 * proxy-wasm-cpp-host's {@code WasmHeaderMapType}, which the Rust, C++ and Go SDKs use
 * too; the specification calls 4 and 5 {@code GRPC_CALL_INITIAL_METADATA} and
 * {@code GRPC_CALL_TRAILING_METADATA}). One numbering for ABI 0.1.0, 0.2.0 and 0.2.1.
 */
enum HeaderMapType {

	REQUEST_HEADERS, REQUEST_TRAILERS, RESPONSE_HEADERS, RESPONSE_TRAILERS, GRPC_RECEIVE_INITIAL_METADATA,
	GRPC_RECEIVE_TRAILING_METADATA, HTTP_CALL_RESPONSE_HEADERS, HTTP_CALL_RESPONSE_TRAILERS;

	private static final HeaderMapType[] VALUES = values();

	/** The type of an ABI value, or null when the ABI defines none (BAD_ARGUMENT). */
	static HeaderMapType of(long abiValue) {
		return (abiValue >= 0 && abiValue < VALUES.length) ? VALUES[(int) abiValue] : null;
	}

	/**
	 * Whether a plugin may change the map: only the stream's own; what a callout or a
	 * gRPC call received is read-only.
	 */
	boolean writable() {
		return this == REQUEST_HEADERS || this == REQUEST_TRAILERS || this == RESPONSE_HEADERS
				|| this == RESPONSE_TRAILERS;
	}

}
