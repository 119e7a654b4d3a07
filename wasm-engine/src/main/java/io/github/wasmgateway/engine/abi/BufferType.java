package io.github.wasmgateway.engine.abi;

/**
 * The buffers a plugin names by number ({@code proxy_buffer_type_t}; the names of
 * proxy-wasm-cpp-host's {@code WasmBufferType}, plus Higress's Redis reply).
 */
enum BufferType {

	HTTP_REQUEST_BODY, HTTP_RESPONSE_BODY, NETWORK_DOWNSTREAM_DATA, NETWORK_UPSTREAM_DATA, HTTP_CALL_RESPONSE_BODY,
	GRPC_RECEIVE_BUFFER, VM_CONFIGURATION, PLUGIN_CONFIGURATION, CALL_DATA,
	/** Higress: the reply of {@code proxy_redis_call}, raw RESP. */
	REDIS_CALL_RESPONSE;

	private static final BufferType[] VALUES = values();

	/** The type of an ABI value, or null when the ABI defines none (BAD_ARGUMENT). */
	static BufferType of(long abiValue) {
		return (abiValue >= 0 && abiValue < VALUES.length) ? VALUES[(int) abiValue] : null;
	}

	/** Whether a plugin may change the buffer: only the bodies of the stream. */
	boolean writable() {
		return this == HTTP_REQUEST_BODY || this == HTTP_RESPONSE_BODY;
	}

}
