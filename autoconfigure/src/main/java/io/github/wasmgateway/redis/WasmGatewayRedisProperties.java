package io.github.wasmgateway.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Redis servers plugins reach with Higress's {@code proxy_redis_init} /
 * {@code proxy_redis_call}, by cluster name.
 */
@ConfigurationProperties("wasm-gateway.redis")
public class WasmGatewayRedisProperties {

	/**
	 * Redis servers by cluster name. A plugin's cluster name is looked up as written
	 * (without a "?db=N" suffix), then, for Higress names such as
	 * "outbound|6379||redis.default.svc.cluster.local", by their host part and by the
	 * first label of that host ("redis").
	 */
	private Map<String, Cluster> clusters = new LinkedHashMap<>();

	/**
	 * Whether a cluster name that matches no entry of "clusters" uses the application's
	 * own Redis connection (spring.data.redis.*). When false, such a name is unknown and
	 * proxy_redis_init answers BAD_ARGUMENT.
	 */
	private boolean applicationFallback = true;

	/**
	 * Time after a failed connection attempt during which calls to that server fail at
	 * once instead of trying to connect again.
	 */
	private Duration reconnectDelay = Duration.ofSeconds(1);

	public Map<String, Cluster> getClusters() {
		return this.clusters;
	}

	public void setClusters(Map<String, Cluster> clusters) {
		this.clusters = clusters;
	}

	public boolean isApplicationFallback() {
		return this.applicationFallback;
	}

	public void setApplicationFallback(boolean applicationFallback) {
		this.applicationFallback = applicationFallback;
	}

	public Duration getReconnectDelay() {
		return this.reconnectDelay;
	}

	public void setReconnectDelay(Duration reconnectDelay) {
		this.reconnectDelay = reconnectDelay;
	}

	/** One Redis server. */
	public static class Cluster {

		/**
		 * Redis URL of one server: redis://[[username]:password@]host[:port][/database],
		 * or rediss:// for TLS.
		 */
		private String url;

		/**
		 * Database index; overrides the URL's. A plugin's "?db=N" suffix overrides both.
		 */
		private Integer database;

		/** ACL user name; overrides the URL's. A name the plugin gives at init wins. */
		private String username;

		/** Password; overrides the URL's. A password the plugin gives at init wins. */
		private String password;

		/**
		 * Timeout of one call when the plugin gives none (timeout 0 at init), and of
		 * connecting.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public Integer getDatabase() {
			return this.database;
		}

		public void setDatabase(Integer database) {
			this.database = database;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
