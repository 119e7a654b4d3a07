package io.github.wasmgateway.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis deployment a cluster name resolved to, as Lettuce addresses it: one server, a
 * master found through Sentinel (one URI with its Sentinels), or a Redis Cluster (its
 * seed nodes). The URIs carry the credentials, database and TLS settings. One connection
 * is kept per distinct target.
 *
 * @param kind what the URIs describe
 * @param uris the server or Sentinel URI, or the cluster's seed nodes
 * @param ssl TLS keys and trust for every connection of this target, or null for the
 * JDK's defaults
 * @param timeout timeout of a call when the plugin gives none, and of connecting
 * @param maxRedirects most MOVED/ASK redirections followed for one call (Redis Cluster)
 * @param refreshPeriod how often the topology of a Redis Cluster is read again
 */
record RedisTarget(Kind kind, List<RedisURI> uris, SslOptions ssl, Duration timeout, int maxRedirects,
		Duration refreshPeriod) {

	/** The kind of Redis deployment. */
	enum Kind {

		/** One server. */
		SERVER,

		/** A master found through Sentinel. */
		SENTINEL,

		/** A Redis Cluster. */
		CLUSTER

	}

	RedisTarget {
		uris = List.copyOf(uris);
	}

	/** The one URI of a server or Sentinel target. */
	RedisURI uri() {
		return this.uris.get(0);
	}

	/** Identity of the connection: servers, database, credentials, TLS, options. */
	String key() {
		return this.kind + "|" + this.uris.stream().map(RedisTarget::identity).collect(Collectors.joining(",")) + "|"
				+ System.identityHashCode(this.ssl) + "|" + this.timeout + "|" + this.maxRedirects + "|"
				+ this.refreshPeriod;
	}

	@SuppressWarnings("deprecation") // the URI's plain credentials are part of its
										// identity
	private static String identity(RedisURI uri) {
		String sentinels = uri.getSentinels().stream().map(RedisTarget::identity).collect(Collectors.joining(";"));
		return uri.getHost() + ":" + uri.getPort() + "[" + sentinels + "]#" + uri.getSentinelMasterId() + "/"
				+ uri.getDatabase() + "|" + uri.getUsername() + "|"
				+ ((uri.getPassword() != null) ? new String(uri.getPassword()) : null) + "|" + uri.isSsl() + "|"
				+ uri.getVerifyMode() + "|" + uri.getClientName();
	}

	/** The deployment, without credentials: {@code redis://host:6379/0}. */
	@Override
	public String toString() {
		return switch (this.kind) {
			case SERVER -> (uri().isSsl() ? "rediss://" : "redis://") + uri().getHost() + ":" + uri().getPort() + "/"
					+ uri().getDatabase();
			case SENTINEL -> "redis-sentinel://"
					+ uri().getSentinels()
						.stream()
						.map((sentinel) -> sentinel.getHost() + ":" + sentinel.getPort())
						.collect(Collectors.joining(","))
					+ "/" + uri().getDatabase() + "#" + uri().getSentinelMasterId();
			case CLUSTER -> "redis-cluster://" + this.uris.stream()
				.map((node) -> node.getHost() + ":" + node.getPort())
				.collect(Collectors.joining(","));
		};
	}

}
