package io.github.wasmgateway.test;

/**
 * The phases of an HTTP stream through a plugin, in the order the gateway runs them.
 */
public enum Phase {

	REQUEST_HEADERS, REQUEST_BODY, REQUEST_TRAILERS, RESPONSE_HEADERS, RESPONSE_BODY, RESPONSE_TRAILERS

}
