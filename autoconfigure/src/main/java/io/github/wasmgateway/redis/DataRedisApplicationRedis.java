package io.github.wasmgateway.redis;

import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;

/**
 * The application's Redis as Spring Boot configures it: its connection details
 * (spring.data.redis.* or a service connection) for the server, credentials, database and
 * TLS, its properties for the timeout and client name. The gateway opens a connection of
 * its own to that server; it does not borrow the application's.
 */
final class DataRedisApplicationRedis implements ApplicationRedis {

	private static final Log logger = LogFactory.getLog(DataRedisApplicationRedis.class);

	private final DataRedisConnectionDetails details;

	private final DataRedisProperties properties;

	private volatile boolean reported;

	DataRedisApplicationRedis(DataRedisConnectionDetails details, DataRedisProperties properties) {
		this.details = details;
		this.properties = properties;
	}

	@Override
	public RedisTarget target(Integer database, String pluginUser, String pluginPassword) {
		DataRedisConnectionDetails.Standalone standalone = this.details.getStandalone();
		if (this.details.getSentinel() != null || this.details.getCluster() != null
				|| this.details.getMasterReplica() != null || standalone == null) {
			if (!this.reported) {
				this.reported = true;
				logger.warn("The application's Redis connection is not a single server (Sentinel, Cluster or"
						+ " master/replica), which plugins' Redis calls cannot use: name the server under"
						+ " wasm-gateway.redis.clusters");
			}
			return null;
		}
		String username = this.details.getUsername();
		String password = this.details.getPassword();
		if (pluginUser != null || pluginPassword != null) {
			username = pluginUser;
			password = pluginPassword;
		}
		int db = (database != null) ? database : standalone.getDatabase();
		SslBundle bundle = this.details.getSslBundle();
		boolean tls = bundle != null || (this.properties != null && this.properties.getSsl().isEnabled());
		String clientName = (this.properties != null) ? this.properties.getClientName() : null;
		return new RedisTarget(standalone.getHost(), standalone.getPort(), db, username, password, clientName, tls,
				true, true, (bundle != null) ? bundle.getManagers().getKeyManagerFactory() : null,
				(bundle != null) ? bundle.getManagers().getTrustManagerFactory() : null, timeout());
	}

	/** spring.data.redis.timeout, else connect-timeout, else 1 s. */
	private Duration timeout() {
		if (this.properties != null && this.properties.getTimeout() != null) {
			return this.properties.getTimeout();
		}
		if (this.properties != null && this.properties.getConnectTimeout() != null) {
			return this.properties.getConnectTimeout();
		}
		return Duration.ofSeconds(1);
	}

}
