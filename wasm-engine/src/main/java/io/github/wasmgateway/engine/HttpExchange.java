package io.github.wasmgateway.engine;

/**
 * The host's side of one HTTP stream, as the engine needs it: header maps (views),
 * properties of the request, and the way back for what a plugin decides outside a
 * callback (after a callout, a Redis reply, a queue or a tick).
 * <p>
 * Every method is called on the thread of the VM that runs the stream.
 */
public interface HttpExchange {

	/** The request headers, pseudo-headers included; never null. */
	HeaderMap requestHeaders();

	/** The request trailers, or null when the request has none (yet). */
	default HeaderMap requestTrailers() {
		return null;
	}

	/** The response headers with {@code :status}, or null before the response. */
	default HeaderMap responseHeaders() {
		return null;
	}

	default HeaderMap responseTrailers() {
		return null;
	}

	/**
	 * A property of this request by its path segments (Envoy attribute names such as
	 * {@code request.path} arrive as {@code ["request", "path"]}), as raw bytes, or null
	 * when unknown. Plugin-level properties ({@code plugin_name} and the like) are
	 * answered by the engine before it asks here.
	 */
	default byte[] property(String[] path) {
		return null;
	}

	/**
	 * The plugin continued a paused direction outside a callback
	 * ({@code proxy_continue_stream}, or 0.1.0's {@code proxy_continue_request}).
	 */
	default void resume(StreamDirection direction) {
	}

	/** The plugin answered the client outside a callback. */
	default void respond(LocalResponse response) {
	}

	/**
	 * The plugin closed or reset a direction of the stream ({@code proxy_close_stream}).
	 */
	default void close(StreamDirection direction) {
	}

	/**
	 * The VM running this stream failed outside a callback the host made (while handling
	 * a callout or Redis reply for it): apply the failure policy to this stream.
	 */
	default void failed(PluginCallException failure) {
	}

}
