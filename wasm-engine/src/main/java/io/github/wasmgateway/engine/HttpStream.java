package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.StreamContext;

/**
 * One HTTP request/response through a plugin. The host calls the phase methods in order
 * (request headers, body chunks, trailers; response headers, body chunks, trailers) and
 * finally {@link #finish()}; each phase answers an {@link Action}. Every method must be
 * called on the thread of the VM running the stream.
 * <p>
 * A method that throws {@link PluginCallException} means the plugin failed: answer the
 * client per the plugin's failure policy and still call {@link #finish()}.
 */
public final class HttpStream {

	private final StreamContext context;

	HttpStream(StreamContext context) {
		this.context = context;
	}

	public Action onRequestHeaders(boolean endOfStream) {
		return this.context.onRequestHeaders(endOfStream);
	}

	/**
	 * A request body chunk (or, after {@link Action#BUFFER}, everything buffered so far);
	 * the plugin may read and replace it through {@code body}.
	 */
	public Action onRequestBody(BodyBuffer body, boolean endOfStream) {
		return this.context.onRequestBody(body, endOfStream);
	}

	public Action onRequestTrailers() {
		return this.context.onRequestTrailers();
	}

	public Action onResponseHeaders(boolean endOfStream) {
		return this.context.onResponseHeaders(endOfStream);
	}

	public Action onResponseBody(BodyBuffer body, boolean endOfStream) {
		return this.context.onResponseBody(body, endOfStream);
	}

	public Action onResponseTrailers() {
		return this.context.onResponseTrailers();
	}

	/** The local response the plugin sent, or null. */
	public LocalResponse localResponse() {
		return this.context.localResponse();
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
	public int contextId() {
		return this.context.id();
	}

	/** Which VM runs the stream, for logs. */
	public int vmId() {
		return this.context.vm().id();
	}

}
