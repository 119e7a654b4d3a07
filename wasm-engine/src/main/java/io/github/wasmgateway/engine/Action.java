package io.github.wasmgateway.engine;

/**
 * What the host does after a stream callback returned.
 */
public enum Action {

	/** Go on: pass the headers, chunk or trailers along. */
	CONTINUE,

	/**
	 * Hold this phase until the plugin continues the stream ({@link HttpExchange#resume})
	 * or answers it ({@link HttpExchange#respond}), or the stream's deadline passes.
	 */
	PAUSE,

	/**
	 * Body phase only: keep collecting the body and call again with everything so far
	 * when the next chunk (or the end) arrives (StopIterationAndBuffer and
	 * StopIterationAndWatermark).
	 */
	BUFFER,

	/** The plugin answered the client: see {@link HttpStream#localResponse()}. */
	LOCAL_RESPONSE

}
