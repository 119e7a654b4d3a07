package io.github.wasmgateway.redis;

import io.github.wasmgateway.engine.host.SharedDataStore;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Shared data in Redis, so every gateway instance using the same Redis sees the same
 * values. A key is a hash {@code {v: value, c: cas}}; a write is one Lua script that
 * checks the CAS token and bumps it atomically (tokens run 1..2^31-1, then wrap to 1).
 * <p>
 * {@code proxy_get_shared_data} and {@code proxy_set_shared_data} are synchronous host
 * calls, made on the plugin's worker thread. A read is answered from this gateway's copy
 * of the data ({@link SharedDataCache}, kept coherent by Redis's client-side caching)
 * without waiting; only a key the copy does not have (first read, or changed elsewhere
 * since) is read from Redis ({@code HMGET}), and the worker waits for it. A write waits
 * for Redis, which alone can check the token against every instance's writes; the key is
 * read again in the same round trip (pipelined), which puts the new value into the copy
 * and keeps the key tracked. Every wait is bounded by {@code timeout} and counted in
 * {@link #statistics()}. When Redis cannot answer in time, a read finds nothing and a
 * write fails as a CAS mismatch; the plugin decides what to do, as it does after losing a
 * race.
 */
public final class RedisSharedDataStore implements SharedDataStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisSharedDataStore.class);

	private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

	private static final byte[] VALUE = { 'v' };

	private static final byte[] CAS = { 'c' };

	/**
	 * KEYS[1] key; ARGV value, cas (0: unconditional), expiry in ms (0: none). 0 on
	 * mismatch, else the new token.
	 */
	static final String SET_SCRIPT = """
			local current = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
			local cas = tonumber(ARGV[2])
			if cas ~= 0 and current ~= cas then return 0 end
			local next = current % 2147483647 + 1
			redis.call('HSET', KEYS[1], 'v', ARGV[1], 'c', next)
			local expiry = tonumber(ARGV[3])
			if expiry > 0 then redis.call('PEXPIRE', KEYS[1], expiry) end
			return next
			""";

	private static final byte[] SET_SCRIPT_BYTES = SET_SCRIPT.getBytes(StandardCharsets.UTF_8);

	private static final byte[] SET_SCRIPT_SHA = sha1(SET_SCRIPT_BYTES).getBytes(StandardCharsets.US_ASCII);

	private final RedisConnector connector;

	private final SharedDataCache cache;

	private final String keyPrefix;

	private final long timeoutNanos;

	private final long expiryMillis;

	private final Statistics statistics;

	/**
	 * A store on a connection of its own to {@code target}, which starts connecting now
	 * (so that the first plugin's call does not wait for it).
	 */
	static RedisSharedDataStore open(RedisTarget target, RedisEndpoints endpoints,
			WasmGatewaySharedDataProperties.Redis properties) {
		SharedDataCache cache = new SharedDataCache(properties.getLocalCopyMaxKeys());
		AbstractRedisClient client = LettuceClients.forSharedData(target, endpoints.resources(),
				endpoints.reconnectDelay(), properties.getTimeout());
		client.addListener(cache);
		RedisConnector connector = new RedisConnector(target, client, endpoints.reconnectDelay(), (connection) -> {
			listen(connection, cache);
			return CompletableFuture.completedFuture(null);
		});
		connector.connection();
		Duration expiry = properties.getExpireAfterWrite();
		return new RedisSharedDataStore(connector, cache, properties.getKeyPrefix(), properties.getTimeout().toNanos(),
				(expiry != null && !expiry.isZero()) ? expiry.toMillis() : 0, new Statistics());
	}

	private RedisSharedDataStore(RedisConnector connector, SharedDataCache cache, String keyPrefix, long timeoutNanos,
			long expiryMillis, Statistics statistics) {
		this.connector = connector;
		this.cache = cache;
		this.keyPrefix = keyPrefix;
		this.timeoutNanos = timeoutNanos;
		this.expiryMillis = expiryMillis;
		this.statistics = statistics;
	}

	/**
	 * The same store with keys of their own for one plugin, as the in-memory default
	 * keeps a store per plugin.
	 */
	@Override
	public SharedDataStore forPlugin(String plugin) {
		return new RedisSharedDataStore(this.connector, this.cache, this.keyPrefix + plugin + ":", this.timeoutNanos,
				this.expiryMillis, this.statistics);
	}

	/** What the store did so far: reads from the copy, waits for Redis, failures. */
	public Statistics statistics() {
		return this.statistics;
	}

	@Override
	public Entry get(String key) {
		String redisKey = this.keyPrefix + key;
		SharedDataCache.Cached cached = this.cache.lookup(redisKey);
		if (cached != null) {
			this.statistics.localReads.increment();
			return cached.entry();
		}
		long started = System.nanoTime();
		long deadline = started + this.timeoutNanos;
		Object marker = null;
		try {
			StatefulConnection<byte[], byte[]> connection = await(this.connector.connection(), deadline);
			marker = this.cache.reserve(redisKey);
			AsyncCommand<byte[], byte[], List<byte[]>> read = read(redisKey);
			connection.dispatch(read);
			SharedDataCache.Cached value = cached(await(read, deadline));
			this.cache.fill(redisKey, marker, value);
			return value.entry();
		}
		catch (Exception ex) {
			this.cache.release(redisKey, marker);
			failed("read", key, ex);
			return null;
		}
		finally {
			this.statistics.reads.record(System.nanoTime() - started);
		}
	}

	@Override
	public boolean set(String key, byte[] value, int cas) {
		String redisKey = this.keyPrefix + key;
		long started = System.nanoTime();
		long deadline = started + this.timeoutNanos;
		Object marker = null;
		try {
			StatefulConnection<byte[], byte[]> connection = await(this.connector.connection(), deadline);
			AsyncCommand<byte[], byte[], Long> write;
			AsyncCommand<byte[], byte[], List<byte[]>> read;
			try {
				marker = this.cache.reserve(redisKey);
				write = write(CommandType.EVALSHA, SET_SCRIPT_SHA, redisKey, value, cas);
				read = read(redisKey);
				dispatch(connection, write, read);
				await(write, deadline);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof RedisNoScriptException)) {
					throw ex;
				}
				// the script is not loaded (yet, or any more: Redis restarted): send it
				marker = this.cache.reserve(redisKey);
				write = write(CommandType.EVAL, SET_SCRIPT_BYTES, redisKey, value, cas);
				read = read(redisKey);
				dispatch(connection, write, read);
			}
			long token = await(write, deadline);
			this.cache.fill(redisKey, marker, cached(await(read, deadline)));
			return token != 0;
		}
		catch (Exception ex) {
			this.cache.release(redisKey, marker);
			failed("write", key, ex);
			return false;
		}
		finally {
			this.statistics.writes.record(System.nanoTime() - started);
		}
	}

	/**
	 * The script run and the read after it, written together so Redis runs them in order.
	 */
	private static void dispatch(StatefulConnection<byte[], byte[]> connection, RedisCommand<byte[], byte[], ?> write,
			RedisCommand<byte[], byte[], ?> read) {
		connection.dispatch(List.of(write, read));
	}

	private AsyncCommand<byte[], byte[], Long> write(CommandType type, byte[] script, String redisKey, byte[] value,
			int cas) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).add(script)
			.add(1)
			.addKey(utf8(redisKey))
			.addValue(value)
			.add(cas)
			.add(this.expiryMillis);
		return new AsyncCommand<>(new Command<>(type, new IntegerOutput<>(CODEC), args));
	}

	private static AsyncCommand<byte[], byte[], List<byte[]>> read(String redisKey) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).addKey(utf8(redisKey)).add(VALUE).add(CAS);
		return new AsyncCommand<>(new Command<>(CommandType.HMGET, new ValueListOutput<>(CODEC), args));
	}

	private static SharedDataCache.Cached cached(List<byte[]> fields) {
		if (fields.size() != 2 || fields.get(0) == null) {
			return new SharedDataCache.Cached(null);
		}
		int cas = (fields.get(1) != null) ? parseCas(fields.get(1)) : 0;
		return new SharedDataCache.Cached(new Entry(fields.get(0), cas));
	}

	private static <T> T await(Future<T> future, long deadline) throws Exception {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("no answer from Redis within the shared-data timeout");
		}
	}

	private void failed(String what, String key, Exception ex) {
		if (ex instanceof InterruptedException) {
			// the engine's deadline interrupted the plugin's call: let it see the flag
			Thread.currentThread().interrupt();
		}
		long count = this.statistics.failures.incrementAndGet();
		if (count == 1 || Long.bitCount(count) == 1) {
			logger.warn("Shared data " + what + " of '" + key + "' in Redis " + this.connector.target() + " failed ("
					+ count + " failures so far): " + RedisFailures.describe(ex) + "; the plugin sees "
					+ (what.equals("read") ? "no value" : "a CAS mismatch"));
		}
	}

	/** Whether the shared-data connection is open. */
	boolean isUp() {
		StatefulConnection<byte[], byte[]> open = this.connector.openConnection();
		return open != null && open.isOpen();
	}

	/** Where the connection and the local copy stand, for health. */
	String state() {
		return this.connector.state() + (this.cache.isTracking() ? ", local copy of " + this.cache.size() + " keys"
				: ", no local copy (client-side caching not on)");
	}

	RedisTarget target() {
		return this.connector.target();
	}

	@Override
	public void close() {
		this.connector.close();
	}

	/** Adds the copy's invalidations to a newly opened connection. */
	private static void listen(StatefulConnection<byte[], byte[]> connection, SharedDataCache cache) {
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			cluster.addListener((node, message) -> cache.pushed(message));
		}
		else if (connection instanceof StatefulRedisConnection<byte[], byte[]> server) {
			server.addListener(cache::pushed);
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static int parseCas(byte[] bytes) {
		try {
			return Integer.parseInt(new String(bytes, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static String sha1(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Counts of the store's work, shared by the views of every plugin. */
	public static final class Statistics {

		final LongAdder localReads = new LongAdder();

		final Waits reads = new Waits();

		final Waits writes = new Waits();

		final AtomicLong failures = new AtomicLong();

		/** Reads answered from the local copy, without waiting. */
		public long localReads() {
			return this.localReads.sum();
		}

		/** Reads that waited for Redis (the key was not in the local copy). */
		public Waits reads() {
			return this.reads;
		}

		/** Writes (each waits for Redis). */
		public Waits writes() {
			return this.writes;
		}

		/** Reads and writes that failed or timed out. */
		public long failures() {
			return this.failures.get();
		}

	}

	/** How many calls waited for Redis, and for how long in total. */
	public static final class Waits {

		private final LongAdder count = new LongAdder();

		private final LongAdder nanos = new LongAdder();

		void record(long elapsedNanos) {
			this.count.increment();
			this.nanos.add(elapsedNanos);
		}

		public long count() {
			return this.count.sum();
		}

		public long totalNanos() {
			return this.nanos.sum();
		}

	}

}
