package io.github.wasmgateway.redis;

/**
 * The application's own Redis connection (spring.data.redis.* or a service connection),
 * which cluster names no {@code wasm-gateway.redis.clusters} entry matches fall back to.
 */
@FunctionalInterface
interface ApplicationRedis {

	/**
	 * The target for a database (null: the connection's own) and credentials (null: the
	 * connection's own); null when the application's Redis cannot be used (a Redis
	 * Cluster, which proxy_redis_call does not route).
	 */
	RedisTarget target(Integer database, String username, String password);

}
