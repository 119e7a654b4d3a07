package io.github.wasmgateway.source;

/**
 * A plugin binary could not be had from its source: the message says which location, what
 * went wrong and what to do.
 */
public class PluginSourceException extends RuntimeException {

	private final boolean unreachable;

	PluginSourceException(String message, boolean unreachable, Throwable cause) {
		super(message, cause);
		this.unreachable = unreachable;
	}

	/** The source answered something unusable (not found, refused, wrong digest...). */
	static PluginSourceException refused(String message) {
		return new PluginSourceException(message, false, null);
	}

	/**
	 * The source could not be reached (connection, timeout, server error after every
	 * retry): a verified local copy may stand in for it.
	 */
	static PluginSourceException unreachable(String message, Throwable cause) {
		return new PluginSourceException(message, true, cause);
	}

	/** Whether the source could not be reached, as opposed to answering wrongly. */
	public boolean isUnreachable() {
		return this.unreachable;
	}

}
