package io.github.wasmgateway.service;

import io.github.wasmgateway.engine.WasmService;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.PluginDefinition;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One configured service plugin across reloads: its definition, the service running now
 * and how its last reload went.
 */
public final class ServiceHandle {

	private volatile PluginDefinition definition;

	private volatile WasmService current;

	private volatile PluginHandle.Reload lastReload;

	private final AtomicLong reloadsSucceeded = new AtomicLong();

	private final AtomicLong reloadsFailed = new AtomicLong();

	ServiceHandle(PluginDefinition definition, WasmService initial) {
		this.definition = definition;
		this.current = initial;
	}

	public String name() {
		return this.definition.name();
	}

	public PluginDefinition definition() {
		return this.definition;
	}

	/** The service running now. */
	public WasmService current() {
		return this.current;
	}

	/** The last reload, or null when there was none. */
	public PluginHandle.Reload lastReload() {
		return this.lastReload;
	}

	public long reloads(boolean succeeded) {
		return (succeeded ? this.reloadsSucceeded : this.reloadsFailed).get();
	}

	/** Puts {@code next} in place of the running service, which stops. */
	synchronized void swap(WasmService next, PluginDefinition definition) {
		WasmService previous = this.current;
		this.current = next;
		this.definition = definition;
		previous.close();
	}

	PluginHandle.Reload recordReload(boolean succeeded, String error) {
		(succeeded ? this.reloadsSucceeded : this.reloadsFailed).incrementAndGet();
		this.lastReload = new PluginHandle.Reload(Instant.now(), succeeded, error);
		return this.lastReload;
	}

	void close() {
		this.current.close();
	}

}
