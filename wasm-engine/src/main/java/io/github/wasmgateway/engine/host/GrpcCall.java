package io.github.wasmgateway.engine.host;

/**
 * An open gRPC call or stream. Used only from the thread of the VM that opened it.
 */
public interface GrpcCall {

	/**
	 * Sends one message as the plugin serialized it; {@code endOfStream} half-closes the
	 * call after it.
	 */
	void send(byte[] message, boolean endOfStream);

	/** Half-closes the call: the plugin sends no more messages. */
	void halfClose();

	/** Cancels the call: nothing more is sent or delivered. */
	void cancel();

}
