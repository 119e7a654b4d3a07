package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;

/**
 * What the host functions may read only during the callback that brought it: a callout's
 * response (maps 6 and 7, buffer 4), a gRPC call's metadata (maps 4 and 5) and message
 * (buffer 5), a Redis reply (buffer 9), the configuration handed to
 * {@code proxy_on_configure} and whether {@code proxy_on_vm_start} is running (for
 * 0.1.0's {@code proxy_get_configuration}).
 */
public final class CallbackData {

	private HttpCalloutResponse calloutResponse;

	private byte[] redisReply;

	private HeaderMap grpcInitialMetadata;

	private HeaderMap grpcTrailingMetadata;

	private byte[] grpcMessage;

	private byte[] configuration;

	private boolean inVmStart;

	public HttpCalloutResponse calloutResponse() {
		return this.calloutResponse;
	}

	public byte[] redisReply() {
		return this.redisReply;
	}

	public HeaderMap grpcInitialMetadata() {
		return this.grpcInitialMetadata;
	}

	public HeaderMap grpcTrailingMetadata() {
		return this.grpcTrailingMetadata;
	}

	public byte[] grpcMessage() {
		return this.grpcMessage;
	}

	/** The plugin configuration in {@code proxy_on_configure}, else null. */
	public byte[] configuration() {
		return this.configuration;
	}

	public boolean inVmStart() {
		return this.inVmStart;
	}

	void calloutResponse(HttpCalloutResponse response) {
		this.calloutResponse = response;
	}

	void redisReply(byte[] reply) {
		this.redisReply = reply;
	}

	void grpcInitialMetadata(HeaderMap metadata) {
		this.grpcInitialMetadata = metadata;
	}

	void grpcTrailingMetadata(HeaderMap metadata) {
		this.grpcTrailingMetadata = metadata;
	}

	void grpcMessage(byte[] message) {
		this.grpcMessage = message;
	}

	void configuration(byte[] configuration) {
		this.configuration = configuration;
	}

	void inVmStart(boolean inVmStart) {
		this.inVmStart = inVmStart;
	}

}
