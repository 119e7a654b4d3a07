package io.github.wasmgateway.engine.host;

import java.util.function.Consumer;

/**
 * Sends a plugin's {@code proxy_http_call} to an upstream cluster named in configuration.
 * A plugin can never reach a URL that configuration does not name.
 */
public interface HttpCalloutClient {

	/**
	 * Starts the call and returns true, or returns false at once when the cluster is
	 * unknown (the plugin then gets BAD_ARGUMENT). {@code completion} runs exactly once,
	 * on any thread; the engine hops back to the VM that asked.
	 */
	boolean dispatch(HttpCalloutRequest request, Consumer<HttpCalloutResponse> completion);

	/** A client that knows no cluster: every call is BAD_ARGUMENT. */
	static HttpCalloutClient none() {
		return (request, completion) -> false;
	}

}
