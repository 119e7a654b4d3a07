package io.github.wasmgateway.engine;

/**
 * A plugin binary or configuration that cannot be used: not Wasm, not a proxy-wasm
 * plugin, an import this host does not offer, a configuration the plugin rejected. The
 * message says what is wrong and what to do.
 */
public class PluginLoadException extends RuntimeException {

	public PluginLoadException(String message) {
		super(message);
	}

	public PluginLoadException(String message, Throwable cause) {
		super(message, cause);
	}

}
