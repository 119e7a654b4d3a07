package io.github.wasmgateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Redis servers plugins reach with Higress's {@code proxy_redis_init} /
 * {@code proxy_redis_call}, by cluster name.
 */
@ConfigurationProperties("wasm-gateway.redis")
public class WasmGatewayRedisProperties {

	/**
	 * Redis deployments by cluster name. A plugin's cluster name is looked up as written
	 * (without a "?db=N" suffix), then, for Higress names such as
	 * "outbound|6379||redis.default.svc.cluster.local", by their host part and by the
	 * first label of that host ("redis").
	 */
	private Map<String, Cluster> clusters = new LinkedHashMap<>();

	/**
	 * Whether a cluster name that matches no entry of "clusters" uses the application's
	 * own Redis connection (spring.data.redis.*: one server, Sentinel or Redis Cluster).
	 * When false, such a name is unknown and proxy_redis_init answers BAD_ARGUMENT.
	 */
	private boolean applicationFallback = true;

	/**
	 * Longest wait between two attempts to reconnect to a Redis that went away (attempts
	 * start at once and back off up to this). Until a first connection succeeds, calls
	 * fail at once for this long after a failed attempt.
	 */
	private Duration reconnectDelay = Duration.ofSeconds(1);

	/**
	 * How often the topology of a Redis Cluster is read again (slots, masters). Lettuce
	 * also refreshes it at once on MOVED/ASK redirections and repeated reconnects.
	 */
	private Duration clusterRefreshPeriod = Duration.ofSeconds(30);

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

	public Duration getClusterRefreshPeriod() {
		return this.clusterRefreshPeriod;
	}

	public void setClusterRefreshPeriod(Duration clusterRefreshPeriod) {
		this.clusterRefreshPeriod = clusterRefreshPeriod;
	}

	/**
	 * One Redis deployment: a server ("url"), a Redis Cluster ("cluster.nodes") or a
	 * master found through Sentinel ("sentinel.master" and "sentinel.nodes").
	 */
	public static class Cluster {

		/**
		 * Redis URL of one server: redis://[[username]:password@]host[:port][/database],
		 * rediss:// for TLS; or a Sentinel URL,
		 * redis-sentinel://[password@]host[:port][,host2[:port2]][/database]#master.
		 */
		private String url;

		/** A Redis Cluster, instead of "url". */
		private final Nodes cluster = new Nodes();

		/** A master found through Sentinel, instead of "url". */
		private final Sentinel sentinel = new Sentinel();

		/**
		 * Database index; overrides the URL's. A plugin's "?db=N" suffix overrides both.
		 * A Redis Cluster has database 0 only.
		 */
		private Integer database;

		/** ACL user name; overrides the URL's. A name the plugin gives at init wins. */
		private String username;

		/** Password; overrides the URL's. A password the plugin gives at init wins. */
		private String password;

		/** Whether to connect with TLS (the JDK's trust store); rediss:// implies it. */
		private boolean ssl;

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

		public Nodes getCluster() {
			return this.cluster;
		}

		public Sentinel getSentinel() {
			return this.sentinel;
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

		public boolean isSsl() {
			return this.ssl;
		}

		public void setSsl(boolean ssl) {
			this.ssl = ssl;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/** The nodes of a Redis Cluster. */
	public static class Nodes {

		/**
		 * Some nodes of the Redis Cluster ("host:port"); the others are found from their
		 * topology.
		 */
		private List<String> nodes = new ArrayList<>();

		/** Most redirections (MOVED, ASK) followed for one call. */
		private int maxRedirects = 5;

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

		public int getMaxRedirects() {
			return this.maxRedirects;
		}

		public void setMaxRedirects(int maxRedirects) {
			this.maxRedirects = maxRedirects;
		}

	}

	/** A master found through Sentinel. */
	public static class Sentinel {

		/** Name of the master, as the Sentinels know it. */
		private String master;

		/** The Sentinels ("host:port"). */
		private List<String> nodes = new ArrayList<>();

		/** ACL user name for the Sentinels. */
		private String username;

		/** Password for the Sentinels. */
		private String password;

		public String getMaster() {
			return this.master;
		}

		public void setMaster(String master) {
			this.master = master;
		}

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
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

	}

}
