package io.github.wasmgateway.gateway;

/**
 * What the gateway does with an exchange when a call into its plugin fails (a trap, a
 * missed deadline, an exhausted memory cap, a VM that cannot be had), in any phase; as
 * Envoy's {@code failure_policy} / {@code fail_open}.
 */
public enum FailurePolicy {

	/**
	 * Answer 503 with a line naming the plugin, as Envoy's {@code wasm_fail_stream}; once
	 * the response is committed, the exchange is aborted instead.
	 */
	FAIL_CLOSED,

	/**
	 * Go on as if the plugin were not on the route: the request goes upstream, or the
	 * upstream's response reaches the client, without the plugin's further part.
	 */
	FAIL_OPEN

}
