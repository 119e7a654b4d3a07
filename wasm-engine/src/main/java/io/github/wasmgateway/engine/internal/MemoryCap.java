package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.github.wasmgateway.engine.PluginLoadException;
import java.util.function.Function;

/**
 * A VM's memory limit: lowers the module's maximum to the cap and keeps its initial size
 * (Chicory's own limits option would replace both), refuses a module whose initial memory
 * is already above the cap, and tells whether a failure is best explained by the cap.
 */
final class MemoryCap {

	private static final int MAX_PAGES = 65536;

	private final String plugin;

	private final long limitBytes;

	private final int capPages;

	private int declaredMaxPages = MAX_PAGES;

	MemoryCap(String plugin, long limitBytes) {
		this.plugin = plugin;
		this.limitBytes = limitBytes;
		this.capPages = (limitBytes > 0) ? (int) Math.min(MAX_PAGES, limitBytes / 65536) : MAX_PAGES;
	}

	/** The memory factory of the instance. */
	Function<MemoryLimits, Memory> factory() {
		return (limits) -> {
			this.declaredMaxPages = limits.maximumPages();
			if (limits.initialPages() > this.capPages) {
				throw new PluginLoadException("plugin '" + this.plugin + "' needs " + limits.initialPages() * 64
						+ " KiB of memory at start, more than its memory limit of " + this.capPages * 64
						+ " KiB; raise memory-limit");
			}
			return new ByteArrayMemory(
					new MemoryLimits(limits.initialPages(), Math.min(limits.maximumPages(), this.capPages)));
		};
	}

	long limitBytes() {
		return this.limitBytes;
	}

	/**
	 * Whether a failure is best explained by the cap: the cap (not the module's own
	 * maximum) binds, and memory is within one growth step (1 MiB or an eighth of the
	 * cap) of it. Chicory does not report a refused memory.grow, so this is inferred.
	 */
	boolean reached(Memory memory) {
		if (memory == null || this.capPages >= this.declaredMaxPages) {
			return false;
		}
		int slack = Math.max(16, this.capPages / 8);
		return memory.pages() + slack >= this.capPages;
	}

}
