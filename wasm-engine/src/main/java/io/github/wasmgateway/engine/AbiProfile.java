package io.github.wasmgateway.engine;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * What a module says about itself through its exports: the ABI it speaks, how it starts,
 * how it allocates and the arity of each callback it declares. The engine decides
 * behaviour from this, not from the version string alone (some {@code _0_1_0} modules
 * declare three-parameter header callbacks).
 */
public final class AbiProfile {

	/** The start-up export a module is run with, after instantiation. */
	public enum StartFunction {

		/**
		 * {@code _initialize}, then {@code main(0, 0)} when exported too (WASI reactors).
		 */
		INITIALIZE,

		/**
		 * {@code _start} (WASI commands: TinyGo, Emscripten, Rust
		 * wasm32-unknown-unknown).
		 */
		START,

		/** Nothing to run (start section only, or no start-up at all). */
		NONE

	}

	private final AbiVersion abiVersion;

	private final String allocator;

	private final StartFunction startFunction;

	private final boolean exportsMain;

	private final Map<String, Integer> callbackArity;

	private final Set<String> imports;

	public AbiProfile(AbiVersion abiVersion, String allocator, StartFunction startFunction, boolean exportsMain,
			Map<String, Integer> callbackArity, Set<String> imports) {
		this.abiVersion = abiVersion;
		this.allocator = allocator;
		this.startFunction = startFunction;
		this.exportsMain = exportsMain;
		this.callbackArity = Map.copyOf(callbackArity);
		this.imports = Collections.unmodifiableSet(imports);
	}

	public AbiVersion abiVersion() {
		return this.abiVersion;
	}

	/** {@code malloc} when exported, else {@code proxy_on_memory_allocate}. */
	public String allocator() {
		return this.allocator;
	}

	public StartFunction startFunction() {
		return this.startFunction;
	}

	public boolean exportsMain() {
		return this.exportsMain;
	}

	/** Whether the module exports the callback {@code name}. */
	public boolean exports(String callback) {
		return this.callbackArity.containsKey(callback);
	}

	/** The parameter count the module declares for {@code callback}, or -1 if absent. */
	public int arity(String callback) {
		return this.callbackArity.getOrDefault(callback, -1);
	}

	/** Every {@code proxy_on_*} callback the module exports, with its parameter count. */
	public Map<String, Integer> callbacks() {
		return this.callbackArity;
	}

	/** Every import of the module, as {@code module.name}. */
	public Set<String> imports() {
		return this.imports;
	}

	@Override
	public String toString() {
		return "AbiProfile[" + this.abiVersion + ", allocator=" + this.allocator + ", start=" + this.startFunction
				+ (this.exportsMain ? "+main" : "") + ", callbacks=" + this.callbackArity.size() + ", imports="
				+ this.imports.size() + "]";
	}

}
