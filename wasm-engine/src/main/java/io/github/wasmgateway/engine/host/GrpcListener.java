package io.github.wasmgateway.engine.host;

import io.github.wasmgateway.engine.HeaderMap;

/**
 * What the server of one gRPC call answers, in order: its initial metadata (only when it
 * answered at all), each message, then the close, exactly once, unless the plugin
 * cancelled the call first.
 */
public interface GrpcListener {

	/**
	 * The server's initial metadata, with {@code :status}; empty for a trailers-only
	 * answer.
	 */
	void onHeaders(HeaderMap metadata);

	void onMessage(byte[] message);

	/**
	 * The end of the call: the gRPC status code (0-16) and message, and the trailing
	 * metadata (with {@code grpc-status} when the server sent it; empty when the call
	 * ended without the server: refused, reset, deadline).
	 */
	void onClose(int status, String message, HeaderMap trailers);

}
