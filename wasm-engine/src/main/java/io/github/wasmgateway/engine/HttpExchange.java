package io.github.wasmgateway.engine;

/**
 * The host's side of one HTTP stream, as the engine needs it: header maps (views),
 * properties of the request, and the one way back for what a plugin decides outside a
 * phase.
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
	 * What the plugin decided outside a phase: a {@link Decision.Resume} after a callout
	 * or tick, a {@link Decision.Reply}, a {@link Decision.Reset}, or a
	 * {@link Decision.Fail} when the VM failed while serving this stream's callout or
	 * Redis reply. Called once the VM is idle, never from inside a plugin callback.
	 */
	default void decided(Decision decision) {
	}

}
