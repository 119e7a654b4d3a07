package io.github.wasmgateway.engine;

/**
 * A plugin configuration accepted by the plugin: each VM of the plugin gives it its own
 * root context ({@code proxy_on_configure}), created once and reused by every stream.
 */
public final class PluginConfiguration {

	private final Plugin plugin;

	private final int index;

	private final byte[] bytes;

	PluginConfiguration(Plugin plugin, int index, byte[] bytes) {
		this.plugin = plugin;
		this.index = index;
		this.bytes = bytes;
	}

	public Plugin plugin() {
		return this.plugin;
	}

	int index() {
		return this.index;
	}

	public byte[] bytes() {
		return this.bytes.clone();
	}

	@Override
	public String toString() {
		return "PluginConfiguration[" + this.plugin.name() + "#" + this.index + ", " + this.bytes.length + " bytes]";
	}

}
