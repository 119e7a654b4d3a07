package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.host.PluginLogger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plugin logger that keeps every line, as "LEVEL message".
 */
public final class RecordingLogger implements PluginLogger {

	public final List<String> lines = new CopyOnWriteArrayList<>();

	@Override
	public boolean isEnabled(Level level) {
		return true;
	}

	@Override
	public void log(Level level, String message) {
		this.lines.add(level + " " + message);
	}

	public boolean contains(String fragment) {
		return this.lines.stream().anyMatch((line) -> line.contains(fragment));
	}

}
