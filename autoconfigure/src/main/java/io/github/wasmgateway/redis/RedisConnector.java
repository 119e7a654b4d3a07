package io.github.wasmgateway.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The one connection a Lettuce client keeps to a target, opened without blocking anyone:
 * on first use, and again on use after a failed attempt, but not within
 * {@code reconnectDelay} of it (calls then fail at once instead of each waiting for a
 * server that is not there). Once open, the connection is Lettuce's to keep: it
 * reconnects by itself.
 */
final class RedisConnector implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisConnector.class);

	private final RedisTarget target;

	private final AbstractRedisClient client;

	private final long reconnectDelayNanos;

	private final Function<StatefulConnection<byte[], byte[]>, CompletionStage<?>> opened;

	/** The open connection, or the attempt to open one; null before the first. */
	private volatile CompletableFuture<StatefulConnection<byte[], byte[]>> connection;

	private long failedAt;

	private boolean closed;

	/**
	 * @param opened runs once on the connection when it is open; the connection is handed
	 * to {@link #connection()}'s callers when what it returns completes
	 */
	RedisConnector(RedisTarget target, AbstractRedisClient client, Duration reconnectDelay,
			Function<StatefulConnection<byte[], byte[]>, CompletionStage<?>> opened) {
		this.target = target;
		this.client = client;
		this.reconnectDelayNanos = reconnectDelay.toNanos();
		this.opened = opened;
	}

	RedisTarget target() {
		return this.target;
	}

	/**
	 * The open connection, or the attempt to open one; completes exceptionally when the
	 * target cannot be reached or refuses the handshake (authentication, database), at
	 * once while within the reconnect delay of a failed attempt.
	 */
	CompletableFuture<StatefulConnection<byte[], byte[]>> connection() {
		CompletableFuture<StatefulConnection<byte[], byte[]>> current = this.connection;
		if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
			return current;
		}
		synchronized (this) {
			current = this.connection;
			if (current != null && (!current.isDone() || !current.isCompletedExceptionally()
					|| System.nanoTime() - this.failedAt < this.reconnectDelayNanos)) {
				return current;
			}
			if (this.closed) {
				return CompletableFuture.failedFuture(new IllegalStateException("the Redis client is shut down"));
			}
			CompletableFuture<StatefulConnection<byte[], byte[]>> next = open().whenComplete((connection, failure) -> {
				if (failure != null) {
					failed();
				}
			});
			this.connection = next;
			return next;
		}
	}

	/** The open connection; null while none is open yet. */
	StatefulConnection<byte[], byte[]> openConnection() {
		CompletableFuture<StatefulConnection<byte[], byte[]>> current = this.connection;
		return (current != null && current.isDone() && !current.isCompletedExceptionally()) ? current.join() : null;
	}

	/** Where the connection stands, for health. */
	String state() {
		CompletableFuture<StatefulConnection<byte[], byte[]>> current = this.connection;
		if (current == null) {
			return "not connected yet";
		}
		if (!current.isDone()) {
			return "connecting";
		}
		if (current.isCompletedExceptionally()) {
			return "cannot connect";
		}
		return current.join().isOpen() ? "connected" : "reconnecting";
	}

	private synchronized void failed() {
		this.failedAt = System.nanoTime();
	}

	/**
	 * One attempt, and a second when Lettuce lost the first one's outcome: when the
	 * handshake fails (a refused AUTH) and the channel closes before Lettuce's connect
	 * listener looks for the handshake, Lettuce 6.8 fails the attempt without the
	 * server's answer ({@link RedisFailures#handshakeOutcomeLost}; about 1 in 1,000
	 * attempts on a busy machine), so a wrong password would read as a network failure.
	 */
	private CompletableFuture<StatefulConnection<byte[], byte[]>> open() {
		return attempt().exceptionallyCompose((failure) -> RedisFailures.handshakeOutcomeLost(failure) ? attempt()
				: CompletableFuture.failedFuture(failure));
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<StatefulConnection<byte[], byte[]>> attempt() {
		CompletableFuture<? extends StatefulConnection<byte[], byte[]>> attempt;
		try {
			if (this.client instanceof RedisClusterClient cluster) {
				// a cluster connection starts from the topology, read from the seed nodes
				attempt = cluster.refreshPartitionsAsync()
					.toCompletableFuture()
					.thenCompose((topology) -> cluster.connectAsync(ByteArrayCodec.INSTANCE));
			}
			else {
				attempt = ((RedisClient) this.client).connectAsync(ByteArrayCodec.INSTANCE, this.target.uri())
					.toCompletableFuture();
			}
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return attempt.thenCompose((connection) -> {
			synchronized (this) {
				if (this.closed) {
					connection.closeAsync();
					throw new IllegalStateException("the Redis client is shut down");
				}
			}
			StatefulConnection<byte[], byte[]> open = (StatefulConnection<byte[], byte[]>) connection;
			return this.opened.apply(open).thenApply((ready) -> open);
		});
	}

	@Override
	public void close() {
		CompletableFuture<StatefulConnection<byte[], byte[]>> current;
		synchronized (this) {
			this.closed = true;
			current = this.connection;
		}
		if (current != null) {
			current.thenAccept(StatefulConnection::closeAsync);
		}
		try {
			// bounded: a connection that does not close in time is left to the event loop
			this.client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("The Redis client of " + this.target + " did not shut down cleanly", ex);
		}
	}

}
