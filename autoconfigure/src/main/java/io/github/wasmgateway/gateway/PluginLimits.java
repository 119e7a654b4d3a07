package io.github.wasmgateway.gateway;

/**
 * The largest binary and configuration a plugin may have (wasm-gateway.max-binary-size,
 * max-configuration-size).
 *
 * @param maxBinaryBytes largest binary read from any location (remote sources apply it
 * while they download)
 * @param maxConfigurationBytes largest plugin, VM or route configuration
 */
public record PluginLimits(long maxBinaryBytes, long maxConfigurationBytes) {

	/** wasm-gateway.max-binary-size and max-configuration-size as they default. */
	public static final PluginLimits DEFAULTS = new PluginLimits(64L * 1024 * 1024, 1024 * 1024);

	void checkConfiguration(String plugin, String route, String what, byte[] configuration) {
		if (configuration != null && configuration.length > this.maxConfigurationBytes) {
			throw new WasmPluginException(plugin, route,
					"its " + what + " is " + configuration.length + " bytes, more than the "
							+ this.maxConfigurationBytes + " allowed (wasm-gateway.max-configuration-size)",
					"Shorten it, or raise wasm-gateway.max-configuration-size.", null);
		}
	}

}
