package io.github.wasmgateway.engine.host;

/**
 * A plugin's log: {@code proxy_log} and WASI stdout (INFO) / stderr (ERROR).
 */
public interface PluginLogger {

	/** proxy-wasm log levels: TRACE 0 .. CRITICAL 5. */
	enum Level {

		TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL;

		public static Level of(int abiValue) {
			return (abiValue >= 0 && abiValue < values().length) ? values()[abiValue] : null;
		}

	}

	boolean isEnabled(Level level);

	void log(Level level, String message);

	/** The lowest enabled level, for {@code proxy_get_log_level}. */
	default Level level() {
		for (Level level : Level.values()) {
			if (isEnabled(level)) {
				return level;
			}
		}
		return Level.CRITICAL;
	}

}
