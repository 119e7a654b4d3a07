package io.github.wasmgateway.test;

/**
 * What a plugin decided in one phase call, as the gateway acts on it.
 */
public enum Decision {

	/** Go on: the headers, chunk or trailers pass along. */
	CONTINUE,

	/**
	 * Hold the stream until the plugin resumes it or replies (after a callout, say);
	 * headers StopIteration still hands the body to the plugin, as Envoy does; a body or
	 * trailers phase that stops.
	 */
	PAUSE,

	/**
	 * Headers StopAllIteration (AndBuffer 3, AndWatermark 4): the headers and the body
	 * both wait until the plugin resumes the stream or replies.
	 */
	PAUSE_ALL,

	/** Body phases: collect the body and call again with everything so far. */
	BUFFER,

	/** The plugin answered the client itself ({@link TestResult#reply()}). */
	REPLY,

	/** The plugin reset the stream ({@link TestResult#closed()}). */
	RESET

}
