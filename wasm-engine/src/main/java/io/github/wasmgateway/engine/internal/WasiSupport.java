package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.log.Logger;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import io.github.wasmgateway.engine.host.PluginLogger;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * WASI preview1 for one VM: stdout and stderr go to the plugin's logger line by line
 * (INFO and ERROR), clocks and randomness are real, and there are no files, no
 * environment and no arguments unless the plugin's settings give some.
 */
final class WasiSupport {

	private WasiSupport() {
	}

	static WasiPreview1 create(PluginCore core) {
		WasiOptions.Builder options = WasiOptions.builder()
			.withStdout(new LineLogger(core.logger, PluginLogger.Level.INFO))
			.withStderr(new LineLogger(core.logger, PluginLogger.Level.ERROR))
			.withClock(new HostClockAdapter(core))
			.withRandom(new SecureRandom())
			// proc_exit(0) at the end of a command's _start is a normal end, not a
			// failure
			.withThrowOnExit0(false)
			.withArguments(core.wasiArguments);
		for (Map.Entry<String, String> variable : core.wasiEnvironment.entrySet()) {
			options.withEnvironment(variable.getKey(), variable.getValue());
		}
		return WasiPreview1.builder().withLogger(QuietLogger.INSTANCE).withOptions(options.build()).build();
	}

	/** Writes each complete line to the plugin's logger. */
	static final class LineLogger extends OutputStream {

		private static final int MAX_LINE = 8192;

		private final PluginLogger logger;

		private final PluginLogger.Level level;

		private final ByteArrayOutputStream line = new ByteArrayOutputStream();

		LineLogger(PluginLogger logger, PluginLogger.Level level) {
			this.logger = logger;
			this.level = level;
		}

		@Override
		public void write(int b) {
			if (b == '\n' || this.line.size() >= MAX_LINE) {
				flushLine();
				if (b == '\n') {
					return;
				}
			}
			this.line.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			for (int i = 0; i < length; i++) {
				write(bytes[offset + i]);
			}
		}

		@Override
		public void flush() {
			if (this.line.size() > 0) {
				flushLine();
			}
		}

		private void flushLine() {
			String text = this.line.toString(StandardCharsets.UTF_8);
			this.line.reset();
			if (this.logger.isEnabled(this.level)) {
				this.logger.log(this.level, text);
			}
		}

	}

	/** The host clock as the java.time.Clock WASI expects. */
	static final class HostClockAdapter extends Clock {

		private final PluginCore core;

		HostClockAdapter(PluginCore core) {
			this.core = core;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			long nanos = this.core.services.clock().epochNanos();
			return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
		}

	}

	/** Chicory's WASI logger, silenced: what matters reaches the plugin's own logger. */
	enum QuietLogger implements Logger {

		INSTANCE;

		@Override
		public void log(Level level, String msg, Throwable throwable) {
		}

		@Override
		public boolean isLoggable(Level level) {
			return false;
		}

	}

}
