package io.github.wasmgateway.redis;

import io.github.wasmgateway.gateway.ClusterNames;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.StringUtils;

/**
 * Resolves the cluster name a plugin gives {@code proxy_redis_init} to a Redis
 * deployment: a {@code wasm-gateway.redis.clusters} entry, looked up by the name as
 * written, then (for Higress names such as
 * {@code outbound|6379||redis.default.svc.cluster.local}) by the host part and the host's
 * first label; else the application's own Redis connection when fallback is on. A
 * {@code ?db=N} suffix selects the database. Names that resolve to nothing are unknown: a
 * plugin can never make up a server to connect to.
 */
public final class RedisClusterResolver {

	private final Map<String, WasmGatewayRedisProperties.Cluster> clusters;

	private final ApplicationRedis application;

	private final Duration refreshPeriod;

	RedisClusterResolver(WasmGatewayRedisProperties properties, ApplicationRedis application) {
		this.clusters = new LinkedHashMap<>(properties.getClusters());
		this.application = properties.isApplicationFallback() ? application : null;
		this.refreshPeriod = properties.getClusterRefreshPeriod();
		// every configured cluster is checked at start-up, not at a plugin's first init
		this.clusters.forEach((name, cluster) -> target(name, cluster, null, null, null));
	}

	/**
	 * The deployment for {@code cluster}, with the credentials a plugin gave (empty: the
	 * configured ones); null when the name is unknown.
	 * @throws IllegalArgumentException when the name is known but its suffix cannot be
	 * served (a malformed {@code ?db=}, a database other than 0 of a Redis Cluster)
	 */
	RedisTarget resolve(String cluster, String username, String password) {
		String name = cluster;
		Integer database = null;
		int query = cluster.indexOf('?');
		if (query >= 0) {
			name = cluster.substring(0, query);
			for (String parameter : cluster.substring(query + 1).split("&")) {
				if (parameter.startsWith("db=")) {
					database = database(parameter.substring(3));
				}
			}
		}
		String pluginUser = StringUtils.hasLength(username) ? username : null;
		String pluginPassword = StringUtils.hasLength(password) ? password : null;
		for (String candidate : ClusterNames.candidates(name)) {
			WasmGatewayRedisProperties.Cluster configured = this.clusters.get(candidate);
			if (configured != null) {
				return target(candidate, configured, database, pluginUser, pluginPassword);
			}
		}
		return (this.application != null) ? this.application.target(database, pluginUser, pluginPassword) : null;
	}

	private static Integer database(String text) {
		try {
			int database = Integer.parseInt(text);
			if (database >= 0) {
				return database;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("'?db=" + text + "' is not a database number");
	}

	private RedisTarget target(String name, WasmGatewayRedisProperties.Cluster cluster, Integer database,
			String pluginUser, String pluginPassword) {
		String prefix = "wasm-gateway.redis.clusters." + name;
		boolean url = StringUtils.hasText(cluster.getUrl());
		boolean nodes = !cluster.getCluster().getNodes().isEmpty();
		boolean sentinel = StringUtils.hasText(cluster.getSentinel().getMaster())
				|| !cluster.getSentinel().getNodes().isEmpty();
		if ((url ? 1 : 0) + (nodes ? 1 : 0) + (sentinel ? 1 : 0) != 1) {
			throw new IllegalStateException(prefix + ": set exactly one of url (one server, redis://host:6379),"
					+ " cluster.nodes (a Redis Cluster) and sentinel.master with sentinel.nodes (a master found"
					+ " through Sentinel)");
		}
		Duration timeout = (cluster.getTimeout() != null) ? cluster.getTimeout() : Duration.ofSeconds(1);
		RedisCredentials credentials = RedisCredentials.first(RedisCredentials.of(pluginUser, pluginPassword),
				RedisCredentials.of(cluster.getUsername(), cluster.getPassword()));
		if (url) {
			RedisURI uri = parse(prefix + ".url", cluster.getUrl());
			if (uri.getSocket() != null || (uri.getHost() == null && uri.getSentinels().isEmpty())) {
				throw new IllegalStateException(prefix + ".url '" + cluster.getUrl()
						+ "': only redis://, rediss:// and redis-sentinel:// URLs are supported (not a Unix socket)");
			}
			int db = (database != null) ? database
					: (cluster.getDatabase() != null) ? cluster.getDatabase() : uri.getDatabase();
			uri.setDatabase(db);
			credentials.applyTo(uri);
			settings(uri, cluster.isSsl(), timeout);
			RedisTarget.Kind kind = uri.getSentinels().isEmpty() ? RedisTarget.Kind.SERVER : RedisTarget.Kind.SENTINEL;
			return new RedisTarget(kind, List.of(uri), null, timeout, 0, this.refreshPeriod);
		}
		if (nodes) {
			int db = (database != null) ? database : (cluster.getDatabase() != null) ? cluster.getDatabase() : 0;
			if (db != 0) {
				throw new IllegalArgumentException(
						prefix + " is a Redis Cluster, which has database 0 only (asked for database " + db + ")");
			}
			List<RedisURI> seeds = new ArrayList<>();
			for (String node : cluster.getCluster().getNodes()) {
				RedisURI uri = parse(prefix + ".cluster.nodes", "redis://" + node);
				credentials.applyTo(uri);
				settings(uri, cluster.isSsl(), timeout);
				seeds.add(uri);
			}
			return new RedisTarget(RedisTarget.Kind.CLUSTER, seeds, null, timeout,
					cluster.getCluster().getMaxRedirects(), this.refreshPeriod);
		}
		WasmGatewayRedisProperties.Sentinel sentinels = cluster.getSentinel();
		if (!StringUtils.hasText(sentinels.getMaster()) || sentinels.getNodes().isEmpty()) {
			throw new IllegalStateException(prefix + ": a Sentinel deployment needs sentinel.master (the master's"
					+ " name) and sentinel.nodes (the Sentinels, host:port)");
		}
		RedisURI uri = sentinel(sentinels.getMaster(), sentinels.getNodes(),
				RedisCredentials.of(sentinels.getUsername(), sentinels.getPassword()), prefix + ".sentinel.nodes");
		uri.setDatabase((database != null) ? database : (cluster.getDatabase() != null) ? cluster.getDatabase() : 0);
		credentials.applyTo(uri);
		settings(uri, cluster.isSsl(), timeout);
		return new RedisTarget(RedisTarget.Kind.SENTINEL, List.of(uri), null, timeout, 0, this.refreshPeriod);
	}

	/**
	 * The URI of a master found through {@code nodes} (Sentinels, "host:port"), which
	 * authenticate with {@code sentinelCredentials}.
	 */
	static RedisURI sentinel(String master, List<String> nodes, RedisCredentials sentinelCredentials, String what) {
		RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(master);
		for (String node : nodes) {
			RedisURI sentinel = parse(what, "redis://" + node);
			sentinelCredentials.applyTo(sentinel);
			builder.withSentinel(sentinel);
		}
		return builder.build();
	}

	private static RedisURI parse(String what, String url) {
		try {
			return RedisURI.create(url);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(what + " '" + url + "' is not a Redis URL or host:port: " + ex.getMessage(),
					ex);
		}
	}

	private static void settings(RedisURI uri, boolean ssl, Duration timeout) {
		if (ssl) {
			uri.setSsl(true);
		}
		uri.setTimeout(timeout);
	}

}
