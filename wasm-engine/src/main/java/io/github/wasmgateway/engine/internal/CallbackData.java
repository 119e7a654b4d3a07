package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.host.HttpCalloutResponse;

/**
 * What the host functions may read only during the callback that brought it: a callout's
 * response (maps 6 and 7, buffer 4), a Redis reply (buffer 9), the configuration handed
 * to {@code proxy_on_configure} and whether {@code proxy_on_vm_start} is running (for
 * 0.1.0's {@code proxy_get_configuration}).
 */
public final class CallbackData {

	private HttpCalloutResponse calloutResponse;

	private byte[] redisReply;

	private byte[] configuration;

	private boolean inVmStart;

	public HttpCalloutResponse calloutResponse() {
		return this.calloutResponse;
	}

	public byte[] redisReply() {
		return this.redisReply;
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

	void configuration(byte[] configuration) {
		this.configuration = configuration;
	}

	void inVmStart(boolean inVmStart) {
		this.inVmStart = inVmStart;
	}

}
