package io.github.wasmgateway.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The status a failed Redis call reports to the plugin in
 * {@code proxy_on_redis_call_response} (0 is success, with the reply).
 */
public final class RedisFailures {

	/** The server could not be reached, or the connection was lost. */
	public static final int NETWORK = 1;

	/** No reply within the call's timeout. */
	public static final int TIMEOUT = 2;

	/** The server refused the connection's handshake: authentication or database. */
	public static final int REJECTED = 3;

	/** Lettuce's message when a connect attempt's handshake ended before it looked. */
	private static final String HANDSHAKE_OUTCOME_LOST = "RedisHandshakeHandler not registered";

	/** The reply of a failed call. */
	static final byte[] NO_REPLY = new byte[0];

	private RedisFailures() {
	}

	static int status(Throwable failure) {
		Throwable cause = unwrap(failure);
		boolean connecting = false;
		for (Throwable t = cause; t != null; t = t.getCause()) {
			if (t instanceof TimeoutException || t instanceof RedisCommandTimeoutException) {
				return TIMEOUT;
			}
			if (t instanceof RedisConnectionException) {
				connecting = true;
			}
			else if (connecting && t instanceof RedisCommandExecutionException) {
				// an error reply while connecting: AUTH, HELLO or SELECT was refused
				return REJECTED;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return NETWORK;
	}

	/**
	 * Whether a connect attempt failed without the outcome of its handshake: Lettuce 6.8
	 * lost it when the handshake ended (a refused AUTH closes the channel) before its
	 * connect listener looked for the handshake handler.
	 */
	static boolean handshakeOutcomeLost(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof IllegalStateException && HANDSHAKE_OUTCOME_LOST.equals(t.getMessage())) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	static String describe(Throwable failure) {
		Throwable cause = unwrap(failure);
		StringBuilder text = new StringBuilder();
		for (Throwable t = cause; t != null && text.length() < 400; t = t.getCause()) {
			if (!text.isEmpty()) {
				text.append(": ");
			}
			text.append((t.getMessage() != null) ? t.getMessage() : t.getClass().getSimpleName());
			if (t.getCause() == t) {
				break;
			}
		}
		return text.toString();
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable t = failure;
		while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
			t = t.getCause();
		}
		return t;
	}

}
