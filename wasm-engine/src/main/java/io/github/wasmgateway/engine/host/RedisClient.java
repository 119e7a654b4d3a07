package io.github.wasmgateway.engine.host;

import java.time.Duration;

/**
 * Higress's Redis host calls: {@code proxy_redis_init} and {@code proxy_redis_call}.
 */
public interface RedisClient {

	/**
	 * Prepares a cluster for a plugin; returns false when the cluster name is unknown
	 * (the plugin gets BAD_ARGUMENT).
	 */
	boolean init(String plugin, String cluster, String username, String password, Duration timeout);

	/**
	 * Sends a RESP-encoded command as is. Returns false at once when the cluster was not
	 * initialized; otherwise {@code completion} runs exactly once with status 0 and the
	 * raw RESP reply, or a non-zero status (refused, timeout, auth error) and an empty
	 * reply.
	 */
	boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion);

	/** The completion of one Redis call. */
	@FunctionalInterface
	interface RedisCompletion {

		void complete(int status, byte[] reply);

	}

	/** No Redis: every cluster is unknown. */
	static RedisClient none() {
		return new RedisClient() {
			@Override
			public boolean init(String plugin, String cluster, String username, String password, Duration timeout) {
				return false;
			}

			@Override
			public boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion) {
				return false;
			}
		};
	}

}
