package io.github.wasmgateway.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;

/**
 * The application's Redis as Spring Boot configures it: its connection details
 * (spring.data.redis.* or a service connection) for the server, Sentinel or Redis
 * Cluster, credentials, database and TLS; its properties for the timeout, client name and
 * cluster settings. The gateway opens connections of its own to that deployment (plugins'
 * replies must come back as RESP2, and a call must fail at once while Redis is away); it
 * does not borrow the application's.
 */
final class DataRedisApplicationRedis implements ApplicationRedis {

	private static final Log logger = LogFactory.getLog(DataRedisApplicationRedis.class);

	private final DataRedisConnectionDetails details;

	private final DataRedisProperties properties;

	private final Duration refreshPeriod;

	private volatile boolean reported;

	DataRedisApplicationRedis(DataRedisConnectionDetails details, DataRedisProperties properties,
			Duration refreshPeriod) {
		this.details = details;
		this.properties = (properties != null) ? properties : new DataRedisProperties();
		this.refreshPeriod = refreshPeriod;
	}

	@Override
	public RedisTarget target(Integer database, String pluginUser, String pluginPassword) {
		RedisCredentials credentials = RedisCredentials.first(RedisCredentials.of(pluginUser, pluginPassword),
				RedisCredentials.of(this.details.getUsername(), this.details.getPassword()));
		Duration timeout = timeout();
		SslBundle bundle = this.details.getSslBundle();
		String url = this.properties.getUrl();
		boolean tls = bundle != null || this.properties.getSsl().isEnabled()
				|| (url != null && url.startsWith("rediss://"));
		SslOptions ssl = (bundle != null) ? sslOptions(bundle) : null;
		DataRedisConnectionDetails.Sentinel sentinel = this.details.getSentinel();
		DataRedisConnectionDetails.Cluster cluster = this.details.getCluster();
		if (sentinel != null) {
			List<String> nodes = sentinel.getNodes().stream().map((node) -> node.host() + ":" + node.port()).toList();
			RedisURI uri = RedisClusterResolver.sentinel(sentinel.getMaster(), nodes,
					RedisCredentials.of(sentinel.getUsername(), sentinel.getPassword()),
					"spring.data.redis.sentinel.nodes");
			uri.setDatabase((database != null) ? database : sentinel.getDatabase());
			return new RedisTarget(RedisTarget.Kind.SENTINEL, List.of(settings(uri, credentials, tls, timeout)), ssl,
					timeout, 0, this.refreshPeriod);
		}
		if (cluster != null) {
			if (database != null && database != 0) {
				throw new IllegalArgumentException("the application's Redis is a Redis Cluster, which has database 0"
						+ " only (asked for database " + database + ")");
			}
			List<RedisURI> seeds = new ArrayList<>();
			for (DataRedisConnectionDetails.Node node : cluster.getNodes()) {
				seeds.add(settings(RedisURI.create(node.host(), node.port()), credentials, tls, timeout));
			}
			Integer maxRedirects = this.properties.getCluster().getMaxRedirects();
			Duration period = this.properties.getLettuce().getCluster().getRefresh().getPeriod();
			return new RedisTarget(RedisTarget.Kind.CLUSTER, seeds, ssl, timeout,
					(maxRedirects != null) ? maxRedirects : 5, (period != null) ? period : this.refreshPeriod);
		}
		DataRedisConnectionDetails.Standalone standalone = this.details.getStandalone();
		if (standalone == null) {
			if (!this.reported) {
				this.reported = true;
				logger.warn("The application's Redis connection is a static master/replica set, which plugins' Redis"
						+ " calls do not use: name the master under wasm-gateway.redis.clusters");
			}
			return null;
		}
		RedisURI uri = RedisURI.create(standalone.getHost(), standalone.getPort());
		uri.setDatabase((database != null) ? database : standalone.getDatabase());
		return new RedisTarget(RedisTarget.Kind.SERVER, List.of(settings(uri, credentials, tls, timeout)), ssl, timeout,
				0, this.refreshPeriod);
	}

	private RedisURI settings(RedisURI uri, RedisCredentials credentials, boolean tls, Duration timeout) {
		credentials.applyTo(uri);
		uri.setSsl(tls);
		uri.setTimeout(timeout);
		if (this.properties.getClientName() != null) {
			uri.setClientName(this.properties.getClientName());
		}
		return uri;
	}

	/** spring.data.redis.timeout, else connect-timeout, else 1 s. */
	private Duration timeout() {
		if (this.properties.getTimeout() != null) {
			return this.properties.getTimeout();
		}
		if (this.properties.getConnectTimeout() != null) {
			return this.properties.getConnectTimeout();
		}
		return Duration.ofSeconds(1);
	}

	/** The bundle's keys, trust, protocols and ciphers, as Spring Boot gives Lettuce. */
	private static SslOptions sslOptions(SslBundle bundle) {
		SslOptions.Builder builder = SslOptions.builder()
			.jdkSslProvider()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		org.springframework.boot.ssl.SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			builder.cipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		return builder.build();
	}

}
