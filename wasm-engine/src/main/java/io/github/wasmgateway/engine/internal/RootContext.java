package io.github.wasmgateway.engine.internal;

/**
 * A root (plugin) context: one per configuration in each VM.
 */
public final class RootContext {

	final int id;

	final int configurationIndex;

	final byte[] configuration;

	AutoCloseable tick;

	RootContext(int id, int configurationIndex, byte[] configuration) {
		this.id = id;
		this.configurationIndex = configurationIndex;
		this.configuration = configuration;
	}

	public int id() {
		return this.id;
	}

	void cancelTick() {
		AutoCloseable current = this.tick;
		this.tick = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (Exception ex) {
				// a timer that fails to cancel only costs an ignored tick
			}
		}
	}

}
