package io.github.wasmgateway.redis;

import io.github.wasmgateway.engine.host.RedisClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Higress's Redis host calls on Lettuce. {@code proxy_redis_init} resolves the cluster
 * name ({@link RedisClusterResolver}; unknown: BAD_ARGUMENT) and starts connecting;
 * {@code proxy_redis_call} reads the plugin's RESP command and sends it on the
 * deployment's shared, pipelined connection ({@link RedisEndpoint}), and hands back the
 * reply exactly as Redis sent it. Nothing blocks the caller: the completion runs on a
 * Lettuce thread (or at once for an answer known without Redis) and the engine takes it
 * back to the plugin's VM. A failure is an answer: status {@link RedisFailures#NETWORK},
 * {@link RedisFailures#TIMEOUT} or {@link RedisFailures#REJECTED} with an empty reply.
 */
public final class WasmRedisClient implements RedisClient, AutoCloseable {

	private static final Log logger = LogFactory.getLog(WasmRedisClient.class);

	private final RedisClusterResolver resolver;

	private final RedisEndpoints endpoints;

	private final ConcurrentMap<Binding, Bound> bindings = new ConcurrentHashMap<>();

	private final Set<Binding> reportedUnknown = ConcurrentHashMap.newKeySet();

	WasmRedisClient(RedisClusterResolver resolver, RedisEndpoints endpoints) {
		this.resolver = resolver;
		this.endpoints = endpoints;
	}

	@Override
	public boolean init(String plugin, String cluster, String username, String password, Duration timeout) {
		Binding binding = new Binding(plugin, cluster);
		RedisTarget target;
		String why;
		try {
			target = this.resolver.resolve(cluster, username, password);
			why = "which is not configured: add it under wasm-gateway.redis.clusters (by this name, its host part"
					+ " or the host's first label) or give the application a Redis connection (spring.data.redis.*)";
		}
		catch (IllegalArgumentException ex) {
			target = null;
			why = "which cannot be served: " + ex.getMessage();
		}
		if (target == null) {
			if (this.reportedUnknown.add(binding)) {
				logger.warn("Plugin '" + plugin + "' asked for Redis cluster '" + cluster + "', " + why
						+ "; the plugin got BAD_ARGUMENT");
			}
			this.bindings.remove(binding);
			return false;
		}
		Duration callTimeout = (timeout != null && !timeout.isZero() && !timeout.isNegative()) ? timeout
				: target.timeout();
		RedisEndpoint endpoint = this.endpoints.endpoint(target);
		this.bindings.put(binding, new Bound(endpoint, callTimeout));
		// start connecting now, so the first call does not wait for it
		endpoint.connect();
		return true;
	}

	@Override
	public boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion) {
		Bound bound = this.bindings.get(new Binding(plugin, cluster));
		if (bound == null) {
			return false;
		}
		RedisRequest request = RedisRequest.parse(respCommand);
		if (request == null) {
			if (logger.isDebugEnabled()) {
				logger.debug("Plugin '" + plugin + "' sent " + respCommand.length
						+ " bytes that are not one RESP command to Redis cluster '" + cluster + "'");
			}
			return false;
		}
		byte[] refusal = request.refusal();
		if (refusal != null) {
			completion.complete(0, refusal);
			return true;
		}
		bound.endpoint.send(request, bound.timeout, completion);
		return true;
	}

	@Override
	public void close() {
		this.bindings.clear();
	}

	/** A plugin's cluster name. */
	private record Binding(String plugin, String cluster) {
	}

	/** What a plugin's cluster name resolved to at init. */
	private record Bound(RedisEndpoint endpoint, Duration timeout) {
	}

}
