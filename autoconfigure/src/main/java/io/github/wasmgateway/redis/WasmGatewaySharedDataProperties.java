package io.github.wasmgateway.redis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where plugins' shared data ({@code proxy_get_shared_data} /
 * {@code proxy_set_shared_data}) lives.
 */
@ConfigurationProperties("wasm-gateway.shared-data")
public class WasmGatewaySharedDataProperties {

	/**
	 * Store of shared data: "memory" (this process only) or "redis" (every gateway
	 * instance that uses the same Redis).
	 */
	private Store store = Store.MEMORY;

	/** The Redis store, when store is "redis". */
	private final Redis redis = new Redis();

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/** Where shared data lives. */
	public enum Store {

		/** In this process: every VM of a plugin in this gateway. */
		MEMORY,

		/** In Redis: every gateway instance that uses the same Redis. */
		REDIS

	}

	/** The Redis store of shared data. */
	public static class Redis {

		/**
		 * Cluster name, resolved as a plugin's would be (wasm-gateway.redis.clusters: one
		 * server, Sentinel or Redis Cluster); empty for the application's own Redis
		 * connection (spring.data.redis.*).
		 */
		private String cluster = "";

		/** Prefix of every Redis key; the shared-data key follows it. */
		private String keyPrefix = "wasm-gateway:shared-data:";

		/**
		 * Longest a shared-data call waits for Redis: a write, or a read of a key the
		 * gateway's local copy does not have. The call is synchronous: the plugin and its
		 * worker thread wait for the answer.
		 */
		private Duration timeout = Duration.ofMillis(250);

		/**
		 * Most keys kept in the gateway's local copy of shared data (kept coherent by
		 * Redis's client-side caching); a key dropped from it is read from Redis again.
		 */
		private int localCopyMaxKeys = 100_000;

		/**
		 * Expiry of a key after its last write; empty to keep keys forever (as the
		 * in-memory store does).
		 */
		private Duration expireAfterWrite;

		public String getCluster() {
			return this.cluster;
		}

		public void setCluster(String cluster) {
			this.cluster = cluster;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getLocalCopyMaxKeys() {
			return this.localCopyMaxKeys;
		}

		public void setLocalCopyMaxKeys(int localCopyMaxKeys) {
			this.localCopyMaxKeys = localCopyMaxKeys;
		}

		public Duration getExpireAfterWrite() {
			return this.expireAfterWrite;
		}

		public void setExpireAfterWrite(Duration expireAfterWrite) {
			this.expireAfterWrite = expireAfterWrite;
		}

	}

}
