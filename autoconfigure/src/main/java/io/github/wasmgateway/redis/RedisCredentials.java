package io.github.wasmgateway.redis;

import io.lettuce.core.RedisURI;

/**
 * A user name and password that replace a Redis URI's own, or none (the URI's stay).
 *
 * @param username ACL user, or null for the default user
 * @param password password, or null
 */
record RedisCredentials(String username, String password) {

	static final RedisCredentials NONE = new RedisCredentials(null, null);

	static RedisCredentials of(String username, String password) {
		return (username == null && password == null) ? NONE : new RedisCredentials(username, password);
	}

	/** {@code preferred} when it has any credential, else {@code fallback}. */
	static RedisCredentials first(RedisCredentials preferred, RedisCredentials fallback) {
		return (preferred != NONE) ? preferred : fallback;
	}

	@SuppressWarnings("deprecation") // plain credentials, as a URL carries them
	void applyTo(RedisURI uri) {
		if (this == NONE) {
			return;
		}
		uri.setUsername(this.username);
		uri.setPassword((this.password != null) ? this.password.toCharArray() : null);
	}

}
