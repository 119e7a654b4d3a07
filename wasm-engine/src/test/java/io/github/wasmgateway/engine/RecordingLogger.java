package io.github.wasmgateway.engine;

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
		synchronized (this) {
			notifyAll();
		}
	}

	/**
	 * Waits, like a latch, until a line containing {@code fragment} was logged (by a
	 * plugin on another thread); fails after ten seconds.
	 */
	public synchronized void await(String fragment) throws InterruptedException {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
		while (!contains(fragment)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("no log line containing '" + fragment + "' in " + this.lines);
			}
			java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
		}
	}

	public boolean contains(String fragment) {
		return this.lines.stream().anyMatch((line) -> line.contains(fragment));
	}

}
