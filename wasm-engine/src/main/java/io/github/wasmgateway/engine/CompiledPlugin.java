package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.internal.LoadedModule;
import io.github.wasmgateway.engine.internal.ModuleCompiler;

/**
 * A verified, compiled plugin binary: compiled once and shared by every VM of it.
 */
public final class CompiledPlugin {

	private final String origin;

	private final String sha256;

	private final int size;

	private final AbiProfile profile;

	private final ExecutionMode mode;

	private final LoadedModule module;

	CompiledPlugin(PluginBinary binary, AbiProfile profile, ExecutionMode mode, LoadedModule module) {
		this.origin = binary.origin();
		this.sha256 = binary.sha256();
		this.size = binary.size();
		this.profile = profile;
		this.mode = mode;
		this.module = module;
	}

	public String origin() {
		return this.origin;
	}

	public String sha256() {
		return this.sha256;
	}

	/** Size of the binary in bytes. */
	public int size() {
		return this.size;
	}

	public AbiProfile profile() {
		return this.profile;
	}

	public ExecutionMode mode() {
		return this.mode;
	}

	/** The functions the binary defines (its imports not counted). */
	public int functions() {
		return ModuleCompiler.functions(this.module);
	}

	/**
	 * Functions that run in the interpreter: in AOT mode those too large for a JVM
	 * method; in interpreter mode all of them.
	 */
	public int interpretedFunctions() {
		return this.module.interpretedFunctions();
	}

	/** Whether the compiled classes came from the disk cache (or the class path). */
	public boolean fromCache() {
		return this.module.fromCache();
	}

	/** Milliseconds spent compiling (or loading from the cache). */
	public long compileMillis() {
		return this.module.compileMillis();
	}

	LoadedModule module() {
		return this.module;
	}

	@Override
	public String toString() {
		return this.origin + " [" + this.mode + ", " + this.profile.abiVersion() + ", sha256 " + this.sha256 + "]";
	}

}
