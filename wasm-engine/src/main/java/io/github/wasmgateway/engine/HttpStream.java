package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.StreamContext;

/**
 * One HTTP request/response through a plugin. The host calls the phase methods in order
 * (request headers, body, trailers; response headers, body, trailers) and finally
 * {@link #finish()}; each phase answers a {@link Decision}, a failure of the plugin
 * included ({@link Decision.Fail}: answer the client per the plugin's failure policy and
 * still call {@link #finish()}). Every method must be called on the thread of the VM
 * running the stream.
 */
public final class HttpStream {

	private final StreamContext context;

	HttpStream(StreamContext context) {
		this.context = context;
	}

	/**
	 * {@code proxy_on_request_headers}; {@code endOfStream} when the request has no body.
	 */
	public Decision onRequestHeaders(boolean endOfStream) {
		return this.context.onRequestHeaders(endOfStream);
	}

	/**
	 * {@code proxy_on_request_body} with a chunk, or with everything kept so far after
	 * {@link Decision.Flow#STOP_AND_BUFFER}; the plugin may read and replace it through
	 * {@code body}. {@code endOfStream} on the chunk that completes the body (or an empty
	 * one when the end comes apart from the data).
	 */
	public Decision onRequestBody(BodyBuffer body, boolean endOfStream) {
		return this.context.onRequestBody(body, endOfStream);
	}

	public Decision onRequestTrailers() {
		return this.context.onRequestTrailers();
	}

	public Decision onResponseHeaders(boolean endOfStream) {
		return this.context.onResponseHeaders(endOfStream);
	}

	public Decision onResponseBody(BodyBuffer body, boolean endOfStream) {
		return this.context.onResponseBody(body, endOfStream);
	}

	public Decision onResponseTrailers() {
		return this.context.onResponseTrailers();
	}

	/**
	 * Ends the stream ({@code proxy_on_log}, {@code proxy_on_done},
	 * {@code proxy_on_delete}); call it for every stream, also after a failure or a
	 * client disconnect. Failures here are recorded and not thrown.
	 */
	public void finish() {
		try {
			this.context.finish();
		}
		catch (PluginCallException ex) {
			// recorded by the VM; the stream is over either way
		}
	}

	/** Whether the plugin let go of the stream (on_delete ran or the VM is gone). */
	public boolean deleted() {
		return this.context.deleted();
	}

	/** The proxy-wasm context id of this stream. */
	/**
	 * CPU time of the plugin's calls for this stream so far (callbacks of its callouts
	 * included), estimated from sampled calls: right on average over many streams, not
	 * for one.
	 */
	public long cpuNanos() {
		return this.context.cpuNanos();
	}

	public int contextId() {
		return this.context.id();
	}

	/** Which VM runs the stream, for logs. */
	public int vmId() {
		return this.context.vm().id();
	}

}
