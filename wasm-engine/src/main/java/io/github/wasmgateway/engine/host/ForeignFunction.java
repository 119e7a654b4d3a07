package io.github.wasmgateway.engine.host;

/**
 * A function a plugin calls by name with {@code proxy_call_foreign_function}, as Envoy's
 * {@code RegisterForeignFunction} (source/extensions/common/wasm/foreign.cc): bytes in,
 * bytes out.
 */
@FunctionalInterface
public interface ForeignFunction {

	/**
	 * The result for {@code arguments}, or {@code null} when the arguments are malformed
	 * (the plugin then gets BAD_ARGUMENT). Must not throw for any input.
	 */
	byte[] call(byte[] arguments);

}
