package io.github.wasmgateway.engine;

/**
 * A call into a plugin that failed: a trap, a missed deadline, an exhausted memory cap, a
 * host-side error, or a VM that had already failed. The VM is marked failed and the next
 * stream gets a fresh one; the host answers this stream per its failure policy.
 */
public class PluginCallException extends RuntimeException {

	private final PluginFailure failure;

	public PluginCallException(PluginFailure failure, Throwable cause) {
		super(failure.describe(), cause);
		this.failure = failure;
	}

	public PluginFailure failure() {
		return this.failure;
	}

	public PluginFailure.Kind kind() {
		return this.failure.kind();
	}

}
