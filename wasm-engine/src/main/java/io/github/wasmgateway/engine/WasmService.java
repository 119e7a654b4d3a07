package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.ServiceThread;

/**
 * A plugin run as a service, Envoy's singleton {@code WasmService}: one VM for the whole
 * host, on a thread of its own, with a root context only and no HTTP stream. It starts
 * ({@code proxy_on_vm_start}, {@code proxy_on_configure}) when created and then lives on
 * its ticks, callout and Redis replies and queue notifications; a VM that fails is
 * replaced as a route plugin's is. Built by {@link WasmEngine#startService}.
 */
public final class WasmService implements AutoCloseable {

	private final Plugin plugin;

	private final ServiceThread thread;

	WasmService(Plugin plugin, ServiceThread thread) {
		this.plugin = plugin;
		this.thread = thread;
	}

	public String name() {
		return this.plugin.name();
	}

	/**
	 * The plugin behind the service, to observe it (VMs, failures); a service has no
	 * streams.
	 */
	public Plugin plugin() {
		return this.plugin;
	}

	/** Stops the service: its VM closes, its ticks stop, late replies are dropped. */
	@Override
	public void close() {
		this.plugin.close();
		this.thread.close();
	}

	@Override
	public String toString() {
		return "WasmService[" + name() + "]";
	}

}
