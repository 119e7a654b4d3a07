package io.github.wasmgateway.redis;

import io.github.wasmgateway.engine.host.RedisClient;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Higress's Redis host calls. {@code proxy_redis_init} resolves the cluster name
 * ({@link RedisClusterResolver}; unknown: BAD_ARGUMENT) and starts connecting;
 * {@code proxy_redis_call} writes the plugin's RESP command as is on the target's shared,
 * pipelined connection and hands back the reply exactly as Redis sent it. Nothing blocks
 * the caller: the completion runs on a Redis event loop thread (or at once for an answer
 * known without Redis) and the engine takes it back to the plugin's VM. A failure is an
 * answer: status {@link RedisFailures#NETWORK}, {@link RedisFailures#TIMEOUT} or
 * {@link RedisFailures#REJECTED} with an empty reply.
 */
public final class WasmRedisClient implements RedisClient, AutoCloseable {

	private static final Log logger = LogFactory.getLog(WasmRedisClient.class);

	private static final byte[] EMPTY = new byte[0];

	private final RedisClusterResolver resolver;

	private final RedisConnections connections;

	private final ConcurrentMap<Binding, Bound> bindings = new ConcurrentHashMap<>();

	private final Set<Binding> reportedUnknown = ConcurrentHashMap.newKeySet();

	WasmRedisClient(RedisClusterResolver resolver, RedisConnections connections) {
		this.resolver = resolver;
		this.connections = connections;
	}

	@Override
	public boolean init(String plugin, String cluster, String username, String password, Duration timeout) {
		Binding binding = new Binding(plugin, cluster);
		RedisTarget target = this.resolver.resolve(cluster, username, password);
		if (target == null) {
			if (this.reportedUnknown.add(binding)) {
				logger.warn("Plugin '" + plugin + "' asked for Redis cluster '" + cluster
						+ "', which is not configured: add it under wasm-gateway.redis.clusters (by this name, its"
						+ " host part or the host's first label) or give the application a Redis connection"
						+ " (spring.data.redis.*); the plugin got BAD_ARGUMENT");
			}
			this.bindings.remove(binding);
			return false;
		}
		Duration callTimeout = (timeout != null && !timeout.isZero() && !timeout.isNegative()) ? timeout
				: target.timeout();
		RedisConnections.Connection connection = this.connections.connection(target);
		this.bindings.put(binding, new Bound(connection, callTimeout));
		// start connecting now, so the first call does not wait for it
		connection.get();
		return true;
	}

	@Override
	public boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion) {
		Bound bound = this.bindings.get(new Binding(plugin, cluster));
		if (bound == null) {
			return false;
		}
		RespCommand command = RespCommand.parse(respCommand);
		if (command == null) {
			if (logger.isDebugEnabled()) {
				logger.debug("Plugin '" + plugin + "' sent " + respCommand.length
						+ " bytes that are not one RESP command to Redis cluster '" + cluster + "'");
			}
			return false;
		}
		byte[] refusal = command.refusal();
		if (refusal != null) {
			completion.complete(0, refusal);
			return true;
		}
		PendingCall call = new PendingCall(completion);
		call.timer = this.connections.schedule(call::timedOut, bound.timeout);
		bound.connection.get().whenComplete((connection, failure) -> {
			if (failure != null) {
				call.finish(RedisFailures.status(failure), EMPTY);
			}
			else if (!call.isDone()) {
				// a call that times out after this still has its place in the FIFO: its
				// reply is dropped
				connection.send(command.wire(), call);
			}
		});
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
	private record Bound(RedisConnections.Connection connection, Duration timeout) {
	}

	/** One call: completes exactly once, with the reply, a failure or the timeout. */
	private static final class PendingCall implements RespConnection.ReplyHandler {

		private final RedisCompletion completion;

		private final AtomicBoolean done = new AtomicBoolean();

		volatile ScheduledFuture<?> timer;

		PendingCall(RedisCompletion completion) {
			this.completion = completion;
		}

		boolean isDone() {
			return this.done.get();
		}

		void timedOut() {
			finish(RedisFailures.TIMEOUT, EMPTY);
		}

		@Override
		public void reply(byte[] resp) {
			finish(0, resp);
		}

		@Override
		public void failed(Throwable cause) {
			finish(RedisFailures.status(cause), EMPTY);
		}

		void finish(int status, byte[] reply) {
			if (!this.done.compareAndSet(false, true)) {
				return;
			}
			ScheduledFuture<?> timeout = this.timer;
			if (timeout != null) {
				timeout.cancel(false);
			}
			this.completion.complete(status, reply);
		}

	}

}
