package io.github.wasmgateway.redis;

import io.github.wasmgateway.gateway.ClusterNames;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.StringUtils;

/**
 * Resolves the cluster name a plugin gives {@code proxy_redis_init} to a Redis server: a
 * {@code wasm-gateway.redis.clusters} entry, looked up by the name as written, then (for
 * Higress names such as {@code outbound|6379||redis.default.svc.cluster.local}) by the
 * host part and the host's first label; else the application's own Redis connection when
 * fallback is on. A {@code ?db=N} suffix selects the database. Names that resolve to
 * nothing are unknown: a plugin can never make up a server to connect to.
 */
public final class RedisClusterResolver {

	private final Map<String, WasmGatewayRedisProperties.Cluster> clusters;

	private final ApplicationRedis application;

	RedisClusterResolver(WasmGatewayRedisProperties properties, ApplicationRedis application) {
		this.clusters = new LinkedHashMap<>(properties.getClusters());
		this.application = properties.isApplicationFallback() ? application : null;
		this.clusters.forEach((name, cluster) -> {
			if (!StringUtils.hasText(cluster.getUrl())) {
				throw new IllegalStateException("wasm-gateway.redis.clusters." + name
						+ ".url is not set: give the Redis server's URL (redis://host:6379)");
			}
			RedisURI uri;
			try {
				uri = RedisURI.create(cluster.getUrl());
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("wasm-gateway.redis.clusters." + name + ".url '" + cluster.getUrl()
						+ "' is not a Redis URL (redis://[[user]:password@]host[:port][/database]): " + ex.getMessage(),
						ex);
			}
			if (!uri.getSentinels().isEmpty() || uri.getSocket() != null || uri.getHost() == null) {
				throw new IllegalStateException("wasm-gateway.redis.clusters." + name + ".url '" + cluster.getUrl()
						+ "': only redis:// and rediss:// URLs of one server are supported (not Sentinel, not a"
						+ " Unix socket)");
			}
		});
	}

	/**
	 * The server for {@code cluster}, with the credentials a plugin gave (empty: the
	 * configured ones); null when the name is unknown.
	 */
	RedisTarget resolve(String cluster, String username, String password) {
		String name = cluster;
		Integer database = null;
		int query = cluster.indexOf('?');
		if (query >= 0) {
			name = cluster.substring(0, query);
			for (String parameter : cluster.substring(query + 1).split("&")) {
				if (parameter.startsWith("db=")) {
					try {
						database = Integer.valueOf(parameter.substring(3));
					}
					catch (NumberFormatException ex) {
						return null;
					}
					if (database < 0) {
						return null;
					}
				}
			}
		}
		String pluginUser = StringUtils.hasLength(username) ? username : null;
		String pluginPassword = StringUtils.hasLength(password) ? password : null;
		for (String candidate : ClusterNames.candidates(name)) {
			WasmGatewayRedisProperties.Cluster configured = this.clusters.get(candidate);
			if (configured != null) {
				return target(configured, database, pluginUser, pluginPassword);
			}
		}
		return (this.application != null) ? this.application.target(database, pluginUser, pluginPassword) : null;
	}

	@SuppressWarnings("deprecation") // RedisURI's plain credential getters: the URL's
										// user and password
	private static RedisTarget target(WasmGatewayRedisProperties.Cluster cluster, Integer database, String pluginUser,
			String pluginPassword) {
		RedisURI uri = RedisURI.create(cluster.getUrl());
		String username = uri.getUsername();
		String password = (uri.getPassword() != null) ? new String(uri.getPassword()) : null;
		if (pluginPassword != null || pluginUser != null) {
			username = pluginUser;
			password = pluginPassword;
		}
		else if (cluster.getUsername() != null || cluster.getPassword() != null) {
			username = cluster.getUsername();
			password = cluster.getPassword();
		}
		int db = (database != null) ? database
				: (cluster.getDatabase() != null) ? cluster.getDatabase() : uri.getDatabase();
		Duration timeout = (cluster.getTimeout() != null) ? cluster.getTimeout() : Duration.ofSeconds(1);
		boolean verifyPeer = uri.getVerifyMode() != SslVerifyMode.NONE;
		return new RedisTarget(uri.getHost(), uri.getPort(), db, username, password, uri.getClientName(), uri.isSsl(),
				verifyPeer, uri.getVerifyMode() == SslVerifyMode.FULL, null, null, timeout);
	}

}
