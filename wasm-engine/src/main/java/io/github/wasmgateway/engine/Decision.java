package io.github.wasmgateway.engine;

/**
 * What the host does next with a stream, as the plugin decided it: the answer of every
 * phase of an {@link HttpStream}, and what reaches {@link HttpExchange#decided} when the
 * plugin decides outside a phase (after a callout, a Redis reply or a tick).
 * <p>
 * The return codes of the proxy-wasm callbacks are Envoy's {@code FilterHeadersStatus},
 * {@code FilterDataStatus} and {@code FilterTrailersStatus}; {@link Flow} names what each
 * one asks of the host. A local response, a reset of the stream and a failure of the
 * plugin outrank the code the callback returned.
 */
public sealed interface Decision permits Decision.Flow, Decision.Reply, Decision.Reset, Decision.Fail, Decision.Resume {

	/** What a callback's return code asks of the host. */
	enum Flow implements Decision {

		/**
		 * Go on with what the phase delivered (Continue, 0; and ContinueAndEndStream, 2,
		 * from a headers callback, which Envoy treats as Continue).
		 */
		CONTINUE,

		/**
		 * Headers or trailers StopIteration (1): these are held until the plugin
		 * continues; body data is still delivered to the plugin, and a Continue from its
		 * body callback releases the held headers with the body.
		 */
		STOP_ITERATION,

		/**
		 * Headers StopAllIterationAndBuffer (3): headers and body are held; the host
		 * buffers the body (within its limit) and delivers it to the plugin once the
		 * plugin continues.
		 */
		STOP_ALL_AND_BUFFER,

		/**
		 * Headers StopAllIterationAndWatermark (4, and any larger code, as
		 * proxy-wasm-cpp-host): headers and body are held; the host reads no more of the
		 * body until the plugin continues.
		 */
		STOP_ALL_AND_WATERMARK,

		/**
		 * Body StopIterationAndBuffer (1) or StopIterationAndWatermark (2): this chunk is
		 * kept; the next body call sees everything kept so far plus the new data.
		 */
		STOP_AND_BUFFER,

		/**
		 * Body StopIterationNoBuffer (3, and any larger code): this chunk goes no further
		 * and is not kept; the body stops at this plugin until it continues.
		 */
		STOP_NO_BUFFER

	}

	/**
	 * The plugin answered the client ({@code proxy_send_local_response}).
	 *
	 * @param response the plugin's status, headers and body
	 */
	record Reply(LocalResponse response) implements Decision {
	}

	/**
	 * The plugin reset a direction of the stream ({@code proxy_close_stream}).
	 *
	 * @param direction the direction it closed
	 */
	record Reset(StreamDirection direction) implements Decision {
	}

	/**
	 * A call into the plugin failed (a trap, a missed deadline, an exhausted memory cap,
	 * a VM that had already failed): the host applies the plugin's failure policy.
	 *
	 * @param failure what failed, with the Wasm stack
	 */
	record Fail(PluginCallException failure) implements Decision {
	}

	/**
	 * Outside a phase only: the plugin continued a direction
	 * ({@code proxy_continue_stream}, or 0.1.0's
	 * {@code proxy_continue_request|response}).
	 *
	 * @param direction the direction it continued
	 */
	record Resume(StreamDirection direction) implements Decision {
	}

}
