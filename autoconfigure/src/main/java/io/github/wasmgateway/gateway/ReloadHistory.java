package io.github.wasmgateway.gateway;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the reloads of one configured plugin or service plugin went: the last one, and how
 * many succeeded and failed.
 */
public final class ReloadHistory {

	private volatile PluginHandle.Reload last;

	private final AtomicLong succeeded = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	/** The last reload, or null when there was none. */
	public PluginHandle.Reload last() {
		return this.last;
	}

	public long count(boolean succeeded) {
		return (succeeded ? this.succeeded : this.failed).get();
	}

	public PluginHandle.Reload record(boolean succeeded, String error) {
		(succeeded ? this.succeeded : this.failed).incrementAndGet();
		this.last = new PluginHandle.Reload(Instant.now(), succeeded, error);
		return this.last;
	}

}
