package io.github.wasmgateway.redis;

/**
 * The application's own Redis connection (spring.data.redis.* or a service connection),
 * which cluster names no {@code wasm-gateway.redis.clusters} entry matches fall back to.
 */
@FunctionalInterface
interface ApplicationRedis {

	/**
	 * The target for a database (null: the connection's own) and credentials (null: the
	 * connection's own); null when the application has no Redis plugins can use.
	 * @throws IllegalArgumentException when the database cannot be served (a Redis
	 * Cluster has database 0 only)
	 */
	RedisTarget target(Integer database, String username, String password);

}
