package io.github.wasmgateway.redis;

import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A Redis server a cluster name resolved to, with the credentials and database to use:
 * one connection is kept per distinct target.
 *
 * @param host server host
 * @param port server port
 * @param database database selected on connect
 * @param username ACL user name, or null for the default user
 * @param password password, or null for no AUTH
 * @param clientName name given with CLIENT SETNAME, or null
 * @param tls whether to connect with TLS
 * @param verifyHost whether TLS checks the server's name against its certificate
 * @param keyManagers TLS client keys, or null
 * @param trustManagers TLS trust, or null for the JDK's (and none at all when
 * {@code verifyPeer} is false)
 * @param verifyPeer whether TLS checks the server's certificate
 * @param timeout timeout of a call when the plugin gives none, and of connecting
 */
record RedisTarget(String host, int port, int database, String username, String password, String clientName,
		boolean tls, boolean verifyPeer, boolean verifyHost, KeyManagerFactory keyManagers,
		TrustManagerFactory trustManagers, Duration timeout) {

	/** Identity of the connection: server, database, credentials, TLS. */
	String key() {
		return (this.tls ? "rediss://" : "redis://") + this.host + ":" + this.port + "/" + this.database + "|"
				+ this.username + "|" + this.password + "|" + this.clientName + "|" + this.verifyPeer + "|"
				+ this.verifyHost + "|" + System.identityHashCode(this.keyManagers) + "|"
				+ System.identityHashCode(this.trustManagers);
	}

	/** The server, without credentials. */
	@Override
	public String toString() {
		return (this.tls ? "rediss://" : "redis://") + this.host + ":" + this.port + "/" + this.database;
	}

}
