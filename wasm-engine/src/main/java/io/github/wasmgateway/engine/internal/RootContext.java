package io.github.wasmgateway.engine.internal;

/**
 * A root (plugin) context: one per configuration in each VM.
 */
public final class RootContext {

	final int id;

	final int configurationIndex;

	final byte[] configuration;

	AutoCloseable tick;

	/**
	 * What {@code proxy_get_status} answers (Envoy's status_code_ and status_message_ of
	 * the root context): the code of the last gRPC close or failed callout, kept; the
	 * message only while that callback runs.
	 */
	private int statusCode;

	private String statusMessage = "";

	RootContext(int id, int configurationIndex, byte[] configuration) {
		this.id = id;
		this.configurationIndex = configurationIndex;
		this.configuration = configuration;
	}

	public int id() {
		return this.id;
	}

	public int statusCode() {
		return this.statusCode;
	}

	public String statusMessage() {
		return this.statusMessage;
	}

	void status(int code, String message) {
		this.statusCode = code;
		this.statusMessage = message;
	}

	void clearStatusMessage() {
		this.statusMessage = "";
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
