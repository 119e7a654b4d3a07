package io.github.wasmgateway.engine.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's log on SLF4J, one logger per plugin: {@code wasm.plugin.<name>}.
 */
public final class Slf4jPluginLogger implements PluginLogger {

	private final Logger logger;

	public Slf4jPluginLogger(String plugin) {
		this.logger = LoggerFactory.getLogger("wasm.plugin." + plugin);
	}

	@Override
	public boolean isEnabled(Level level) {
		return switch (level) {
			case TRACE -> this.logger.isTraceEnabled();
			case DEBUG -> this.logger.isDebugEnabled();
			case INFO -> this.logger.isInfoEnabled();
			case WARN -> this.logger.isWarnEnabled();
			case ERROR, CRITICAL -> this.logger.isErrorEnabled();
		};
	}

	@Override
	public void log(Level level, String message) {
		switch (level) {
			case TRACE -> this.logger.trace(message);
			case DEBUG -> this.logger.debug(message);
			case INFO -> this.logger.info(message);
			case WARN -> this.logger.warn(message);
			case ERROR -> this.logger.error(message);
			case CRITICAL -> this.logger.error("[critical] {}", message);
		}
	}

}
