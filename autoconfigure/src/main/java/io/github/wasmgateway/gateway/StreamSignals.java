package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.PluginCallException;

/**
 * Errors that carry a plugin's decision out of a body stream to the filter, which turns
 * them into the answer the client gets.
 */
final class StreamSignals {

	private StreamSignals() {
	}

	/** The plugin answered the client while the body was flowing. */
	static final class LocalReply extends RuntimeException {

		final LocalResponse response;

		LocalReply(LocalResponse response) {
			super("local response " + response.status(), null, false, false);
			this.response = response;
		}

	}

	/** The plugin failed while the body was flowing (fail-closed). */
	static final class PluginFailed extends RuntimeException {

		final PluginCallException failure;

		PluginFailed(PluginCallException failure) {
			super(failure.getMessage(), failure, false, false);
			this.failure = failure;
		}

	}

	/** A paused stream was not resumed within the stream timeout. */
	static final class Timeout extends RuntimeException {

		Timeout() {
			super("stream timeout", null, false, false);
		}

	}

	/** A buffered body passed the limit. */
	static final class TooLarge extends RuntimeException {

		TooLarge() {
			super("buffered body too large", null, false, false);
		}

	}

}
