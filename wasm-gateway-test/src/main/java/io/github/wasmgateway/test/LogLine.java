package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.host.PluginLogger.Level;

/**
 * One line a plugin logged ({@code proxy_log}, or WASI stdout at INFO and stderr at
 * ERROR).
 *
 * @param level its level
 * @param message its text
 */
public record LogLine(Level level, String message) {

	@Override
	public String toString() {
		return this.level + " " + this.message;
	}

}
