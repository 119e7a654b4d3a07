package io.github.wasmgateway.redis;

import io.github.wasmgateway.engine.host.SharedDataStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Shared data in Redis, so every gateway instance using the same Redis sees the same
 * values. A key is a hash {@code {v: value, c: cas}}; a read is one {@code HMGET}, a
 * write one Lua script that checks the CAS token and bumps it atomically (tokens run
 * 1..2^31-1, then wrap to 1). Both go on the target's shared pipelined connection.
 * <p>
 * {@code proxy_get_shared_data}/{@code proxy_set_shared_data} are synchronous host calls,
 * so each one waits for a round trip to Redis on the plugin's worker thread (at most
 * {@code timeout}). When Redis cannot answer, a read finds nothing and a write fails as a
 * CAS mismatch; the plugin decides what to do, as it does after losing a race.
 */
public final class RedisSharedDataStore implements SharedDataStore {

	private static final Log logger = LogFactory.getLog(RedisSharedDataStore.class);

	private static final byte[] VALUE = { 'v' };

	private static final byte[] CAS = { 'c' };

	private static final byte[] CRLF = { '\r', '\n' };

	private static final byte[] HMGET = ascii("HMGET");

	private static final byte[] EVALSHA = ascii("EVALSHA");

	private static final byte[] EVAL = ascii("EVAL");

	private static final byte[] ONE = ascii("1");

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

	private static final byte[] SET_SCRIPT_SHA = ascii(sha1(SET_SCRIPT_BYTES));

	private final RedisConnections.Connection connection;

	private final String keyPrefix;

	private final long timeoutNanos;

	private final byte[] expiryMillis;

	private final AtomicLong failures;

	RedisSharedDataStore(RedisConnections.Connection connection, String keyPrefix, Duration timeout,
			Duration expireAfterWrite) {
		this(connection, keyPrefix, timeout.toNanos(),
				ascii((expireAfterWrite != null && !expireAfterWrite.isZero()) ? expireAfterWrite.toMillis() : 0),
				new AtomicLong());
	}

	private RedisSharedDataStore(RedisConnections.Connection connection, String keyPrefix, long timeoutNanos,
			byte[] expiryMillis, AtomicLong failures) {
		this.connection = connection;
		this.keyPrefix = keyPrefix;
		this.timeoutNanos = timeoutNanos;
		this.expiryMillis = expiryMillis;
		this.failures = failures;
	}

	/**
	 * The same store with keys of their own for one plugin, as the in-memory default
	 * keeps a store per plugin.
	 */
	public SharedDataStore forPlugin(String plugin) {
		return new RedisSharedDataStore(this.connection, this.keyPrefix + plugin + ":", this.timeoutNanos,
				this.expiryMillis, this.failures);
	}

	/**
	 * Redis calls of this store that failed or timed out (the plugin saw no value / a
	 * mismatch).
	 */
	public long failures() {
		return this.failures.get();
	}

	@Override
	public Entry get(String key) {
		long deadline = System.nanoTime() + this.timeoutNanos;
		try {
			byte[] reply = roundTrip(command(HMGET, redisKey(key), VALUE, CAS), deadline);
			if (RespReplies.isError(reply)) {
				throw new IllegalStateException(RespReplies.line(reply));
			}
			List<byte[]> fields = RespReplies.bulkArray(reply);
			if (fields.size() != 2 || fields.get(0) == null) {
				return null;
			}
			int cas = (fields.get(1) != null) ? parseCas(fields.get(1)) : 0;
			return new Entry(fields.get(0), cas);
		}
		catch (Exception ex) {
			failed("read", key, ex);
			return null;
		}
	}

	@Override
	public boolean set(String key, byte[] value, int cas) {
		long deadline = System.nanoTime() + this.timeoutNanos;
		try {
			byte[] redisKey = redisKey(key);
			byte[] casBytes = ascii(cas);
			byte[] reply = roundTrip(
					command(EVALSHA, SET_SCRIPT_SHA, ONE, redisKey, value, casBytes, this.expiryMillis), deadline);
			if (RespReplies.isError(reply) && RespReplies.line(reply).startsWith("NOSCRIPT")) {
				reply = roundTrip(command(EVAL, SET_SCRIPT_BYTES, ONE, redisKey, value, casBytes, this.expiryMillis),
						deadline);
			}
			if (RespReplies.isError(reply)) {
				throw new IllegalStateException(RespReplies.line(reply));
			}
			return RespReplies.integer(reply) != 0;
		}
		catch (Exception ex) {
			failed("write", key, ex);
			return false;
		}
	}

	/**
	 * Sends one command on the shared connection and waits for its reply until
	 * {@code deadline}.
	 */
	private byte[] roundTrip(byte[] command, long deadline) throws Exception {
		RespConnection open = await(this.connection.get(), deadline);
		CompletableFuture<byte[]> reply = new CompletableFuture<>();
		open.send(command, new RespConnection.ReplyHandler() {
			@Override
			public void reply(byte[] resp) {
				reply.complete(resp);
			}

			@Override
			public void failed(Throwable cause) {
				reply.completeExceptionally(cause);
			}
		});
		return await(reply, deadline);
	}

	private static <T> T await(Future<T> future, long deadline) throws Exception {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("no answer from Redis within the shared-data timeout");
		}
	}

	private static byte[] command(byte[]... words) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(ascii("*" + words.length + "\r\n"));
		for (byte[] word : words) {
			out.writeBytes(ascii("$" + word.length + "\r\n"));
			out.writeBytes(word);
			out.writeBytes(CRLF);
		}
		return out.toByteArray();
	}

	private void failed(String what, String key, Exception ex) {
		if (ex instanceof InterruptedException) {
			// the engine's deadline interrupted the plugin's call: let it see the flag
			Thread.currentThread().interrupt();
		}
		long count = this.failures.incrementAndGet();
		if (count == 1 || Long.bitCount(count) == 1) {
			logger.warn("Shared data " + what + " of '" + key + "' in Redis " + this.connection.target() + " failed ("
					+ count + " failures so far): " + RedisFailures.describe(ex) + "; the plugin sees "
					+ (what.equals("read") ? "no value" : "a CAS mismatch"));
		}
	}

	private byte[] redisKey(String key) {
		return (this.keyPrefix + key).getBytes(StandardCharsets.UTF_8);
	}

	private static int parseCas(byte[] bytes) {
		try {
			return Integer.parseInt(new String(bytes, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static byte[] ascii(long number) {
		return ascii(Long.toString(number));
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static String sha1(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
