package io.github.wasmgateway.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce clients of the gateway's Redis connections, with the options both uses have
 * in common: a call fails at once while its connection is down (rather than waiting in
 * Lettuce's queue for a reconnect), in-flight calls fail when the connection drops (they
 * are never sent twice), Redis Cluster topology is refreshed periodically and on
 * redirections and reconnects, TLS per target.
 */
final class LettuceClients {

	private LettuceClients() {
	}

	/**
	 * A client for plugins' calls: RESP2, which is what Higress plugins parse, and each
	 * command expiring after the timeout its {@link RespReplyOutput} carries.
	 */
	static AbstractRedisClient forPluginCalls(RedisTarget target, ClientResources resources, Duration reconnectDelay) {
		TimeoutOptions timeouts = TimeoutOptions.builder().timeoutSource(new CallTimeouts(target.timeout())).build();
		return create(target, resources, reconnectDelay, ProtocolVersion.RESP2, timeouts);
	}

	/**
	 * A client for shared data: RESP3 where the server has it (Redis 6 and later), whose
	 * push messages carry the invalidations of client-side caching; commands expire after
	 * {@code timeout}.
	 */
	static AbstractRedisClient forSharedData(RedisTarget target, ClientResources resources, Duration reconnectDelay,
			Duration timeout) {
		return create(target, resources, reconnectDelay, null, TimeoutOptions.builder().fixedTimeout(timeout).build());
	}

	/**
	 * @param protocol the protocol, or null to use RESP3 where the server has it
	 */
	private static AbstractRedisClient create(RedisTarget target, ClientResources resources, Duration reconnectDelay,
			ProtocolVersion protocol, TimeoutOptions timeouts) {
		SocketOptions socket = SocketOptions.builder().connectTimeout(target.timeout()).keepAlive(true).build();
		if (target.kind() == RedisTarget.Kind.CLUSTER) {
			ClusterClientOptions.Builder options = ClusterClientOptions.builder()
				.maxRedirects(target.maxRedirects())
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enablePeriodicRefresh(target.refreshPeriod())
					.enableAllAdaptiveRefreshTriggers()
					.adaptiveRefreshTriggersTimeout(reconnectDelay)
					.build());
			common(options, target, protocol, timeouts, socket);
			RedisClusterClient client = RedisClusterClient.create(resources, target.uris());
			client.setOptions(options.build());
			return client;
		}
		ClientOptions.Builder options = ClientOptions.builder();
		common(options, target, protocol, timeouts, socket);
		RedisClient client = RedisClient.create(resources);
		client.setOptions(options.build());
		return client;
	}

	private static void common(ClientOptions.Builder options, RedisTarget target, ProtocolVersion protocol,
			TimeoutOptions timeouts, SocketOptions socket) {
		if (protocol != null) {
			options.protocolVersion(protocol);
		}
		options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(timeouts)
			.socketOptions(socket);
		if (target.ssl() != null) {
			options.sslOptions(target.ssl());
		}
	}

	/** The timeout of a plugin's call, else the target's. */
	private static final class CallTimeouts extends TimeoutOptions.TimeoutSource {

		private final long defaultNanos;

		CallTimeouts(Duration timeout) {
			this.defaultNanos = timeout.toNanos();
		}

		@Override
		public long getTimeout(RedisCommand<?, ?, ?> command) {
			return (command.getOutput() instanceof RespReplyOutput reply) ? reply.timeoutNanos() : this.defaultNanos;
		}

		@Override
		public TimeUnit getTimeUnit() {
			return TimeUnit.NANOSECONDS;
		}

	}

}
