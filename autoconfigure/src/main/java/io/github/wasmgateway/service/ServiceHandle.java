package io.github.wasmgateway.service;

import io.github.wasmgateway.engine.WasmService;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.PluginDefinition;
import io.github.wasmgateway.gateway.ReloadHistory;

/**
 * One configured service plugin across reloads: its definition, the service running now
 * and how its last reload went.
 */
public final class ServiceHandle {

	private volatile PluginDefinition definition;

	private volatile WasmService current;

	private final ReloadHistory reloads = new ReloadHistory();

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
		return this.reloads.last();
	}

	public long reloads(boolean succeeded) {
		return this.reloads.count(succeeded);
	}

	/** Puts {@code next} in place of the running service, which stops. */
	synchronized void swap(WasmService next, PluginDefinition definition) {
		WasmService previous = this.current;
		this.current = next;
		this.definition = definition;
		previous.close();
	}

	PluginHandle.Reload recordReload(boolean succeeded, String error) {
		return this.reloads.record(succeeded, error);
	}

	void close() {
		this.current.close();
	}

}
