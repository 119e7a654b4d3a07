package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.host.PluginLogger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every line the plugin logs, at every level (a plugin asking for its log level gets
 * TRACE, so it logs everything it can).
 */
public final class LogRecorder implements PluginLogger {

	private final List<LogLine> lines = new CopyOnWriteArrayList<>();

	@Override
	public boolean isEnabled(Level level) {
		return true;
	}

	@Override
	public void log(Level level, String message) {
		this.lines.add(new LogLine(level, message));
	}

	/** The lines so far, oldest first. */
	public List<LogLine> lines() {
		return List.copyOf(this.lines);
	}

	/** The messages so far, oldest first. */
	public List<String> messages() {
		return this.lines.stream().map(LogLine::message).toList();
	}

	/** Whether a message contains {@code fragment}. */
	public boolean contains(String fragment) {
		return this.lines.stream().anyMatch((line) -> line.message().contains(fragment));
	}

	/** Forgets the lines so far. */
	public void clear() {
		this.lines.clear();
	}

	@Override
	public String toString() {
		return String.join("\n", this.lines.stream().map(LogLine::toString).toList());
	}

}
