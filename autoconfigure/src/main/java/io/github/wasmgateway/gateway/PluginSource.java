package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.PluginBinary;

/**
 * Where plugin binaries come from, by the scheme of their location ({@code file:},
 * {@code classpath:}, {@code https:} ...). The {@link PluginLoader} asks its sources in
 * order; a new kind of location (an OCI registry, say) is a new source.
 */
@FunctionalInterface
public interface PluginSource {

	/**
	 * The binary at {@code definition}'s location, or null when this source does not
	 * serve such locations.
	 * @throws WasmPluginException naming the plugin when the binary cannot be read
	 */
	PluginBinary read(PluginDefinition definition);

}
