package io.github.wasmgateway.engine;

import java.time.Instant;
import java.util.List;

/**
 * One failed call into a plugin: when, which plugin, which route (the host's
 * {@code route_name}, null outside a request), which callback, what kind of failure, the
 * message and the Wasm stack (innermost first, {@code name[index]} per frame).
 */
public record PluginFailure(Instant time, String plugin, String route, String callback, Kind kind, String message,
		List<String> wasmStack) {

	/** What went wrong. */
	public enum Kind {

		/** The guest trapped (unreachable, out-of-bounds access, stack exhaustion...). */
		TRAP,

		/** The call ran past its deadline and was interrupted. */
		TIMEOUT,

		/** The guest could not grow its memory past the configured cap. */
		MEMORY_LIMIT,

		/** The guest called proc_exit. */
		EXIT,

		/**
		 * The host failed outside a host function's own handling (a bug on the host side,
		 * contained like a trap); a host service that throws while serving a call answers
		 * that call with a status instead.
		 */
		HOST_ERROR,

		/** The VM had already failed and is waiting to be rebuilt. */
		VM_UNAVAILABLE

	}

	public PluginFailure {
		wasmStack = List.copyOf(wasmStack);
	}

	/** A failure outside any request. */
	public PluginFailure(Instant time, String plugin, String callback, Kind kind, String message,
			List<String> wasmStack) {
		this(time, plugin, null, callback, kind, message, wasmStack);
	}

	/** Multi-line text for logs: the summary, then one line per Wasm frame. */
	public String describe() {
		StringBuilder text = new StringBuilder().append("plugin '")
			.append(this.plugin)
			.append((this.route != null) ? "' on route '" + this.route : "")
			.append("' failed in ")
			.append(this.callback)
			.append(": ")
			.append(this.kind)
			.append(": ")
			.append(this.message);
		for (String frame : this.wasmStack) {
			text.append("\n    at ").append(frame);
		}
		return text.toString();
	}

}
