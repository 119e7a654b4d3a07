package io.github.wasmgateway.engine;

/**
 * The half of an HTTP stream a plugin continues or closes (proxy-wasm stream types 0 and
 * 1).
 */
public enum StreamDirection {

	REQUEST, RESPONSE

}
