package io.github.wasmgateway.engine;

/**
 * How a plugin's code runs.
 */
public enum ExecutionMode {

	/** Compiled to JVM bytecode when loaded (cached on disk); the default. */
	AOT,

	/** Compiled to JVM bytecode at build time; classes come from the class path. */
	PRECOMPILED,

	/** Chicory's interpreter: for comparison and as a last resort. */
	INTERPRETER

}
