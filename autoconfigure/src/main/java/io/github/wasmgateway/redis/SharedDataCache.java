package io.github.wasmgateway.redis;

import io.github.wasmgateway.engine.host.SharedDataStore;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * This gateway's copy of the shared data it read from Redis, kept coherent by Redis's
 * client-side caching: every connection of the shared-data client turns on
 * {@code CLIENT TRACKING ON NOLOOP} when it connects, Redis then remembers the keys the
 * connection reads and sends an {@code invalidate} push message when any other client
 * changes one, and the key is dropped from the copy (all keys when the message names
 * none).
 * <p>
 * A value is only kept when it was read on a tracked connection and no invalidation of
 * its key (nor a connection event) came between the read being sent and the value being
 * stored: the read first reserves the key with a marker of its own, every invalidation
 * removes the key's marker or value, and the value replaces the marker only if the marker
 * is still there. Replies and push messages of one connection arrive in the order Redis
 * sent them, so an invalidation sent after the read executed always removes what the read
 * stored. While any connection is not (yet) tracked, nothing is kept; a connection that
 * connects or drops empties the copy, since Redis forgets what it tracked for it.
 */
final class SharedDataCache implements RedisConnectionStateListener {

	private static final Log logger = LogFactory.getLog(SharedDataCache.class);

	private static final String INVALIDATE = "invalidate";

	private final ConcurrentMap<String, Object> entries = new ConcurrentHashMap<>();

	/** Connections that are open but whose tracking is not confirmed yet. */
	private final Set<Object> untracked = ConcurrentHashMap.newKeySet();

	private final int maxEntries;

	SharedDataCache(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/** A value read from Redis: absent when {@code entry} is null. */
	record Cached(SharedDataStore.Entry entry) {
	}

	/** The key's value in the copy, or null when the copy does not have it. */
	Cached lookup(String key) {
		return (this.entries.get(key) instanceof Cached cached) ? cached : null;
	}

	/**
	 * Reserves {@code key} for a read about to be sent; the marker to fill it with, or
	 * null when nothing may be kept now (a connection is not tracked yet).
	 */
	Object reserve(String key) {
		if (!this.untracked.isEmpty()) {
			this.entries.remove(key);
			return null;
		}
		if (this.entries.size() >= this.maxEntries) {
			// the copy is a cache: a key dropped here is read from Redis again
			Iterator<String> keys = this.entries.keySet().iterator();
			if (keys.hasNext()) {
				this.entries.remove(keys.next());
			}
		}
		Object marker = new Object();
		this.entries.put(key, marker);
		return marker;
	}

	/**
	 * Keeps what the read reserved with {@code marker} found, unless invalidated since.
	 */
	void fill(String key, Object marker, Cached value) {
		if (marker != null) {
			this.entries.replace(key, marker, value);
		}
	}

	/** Gives up a reservation (the read failed). */
	void release(String key, Object marker) {
		if (marker != null) {
			this.entries.remove(key, marker);
		}
	}

	int size() {
		return this.entries.size();
	}

	boolean isTracking() {
		return this.untracked.isEmpty();
	}

	/** Handles Redis's push messages: {@code invalidate} drops keys. */
	void pushed(PushMessage message) {
		if (!INVALIDATE.equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
		if (content.size() < 2 || !(content.get(1) instanceof List<?> keys)) {
			// no keys: everything this connection tracked is gone (FLUSHALL, tracking
			// table full)
			this.entries.clear();
			return;
		}
		keys.forEach(this.entries::remove);
	}

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
		if (!isDataConnection(connection)) {
			return;
		}
		StatefulRedisConnection<?, ?> node = (StatefulRedisConnection<?, ?>) connection;
		this.untracked.add(connection);
		this.entries.clear();
		node.async().clientTracking(TrackingArgs.Builder.enabled().noloop()).whenComplete((ok, failure) -> {
			if (failure == null) {
				this.untracked.remove(connection);
			}
			else if (connection.isOpen()) {
				logger.warn("Redis at " + address + " did not turn on client-side caching (" + failure.getMessage()
						+ "): every shared-data read waits for Redis until this connection is opened again");
			}
		});
	}

	@Override
	public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
		if (isDataConnection(connection)) {
			this.untracked.remove(connection);
			this.entries.clear();
		}
	}

	/**
	 * Whether {@code connection} carries shared data (byte arrays): a Redis Cluster
	 * client also opens short connections of its own to read the topology (strings),
	 * which neither read nor write shared data.
	 */
	private static boolean isDataConnection(RedisChannelHandler<?, ?> connection) {
		return connection instanceof StatefulRedisConnectionImpl<?, ?> node
				&& node.getCodec() instanceof ByteArrayCodec;
	}

}
