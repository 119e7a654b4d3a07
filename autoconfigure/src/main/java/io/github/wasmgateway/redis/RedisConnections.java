package io.github.wasmgateway.redis;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One connection per Redis target, shared by every plugin and VM of the gateway: Redis
 * pipelines, so one connection carries many calls at once and replies come back in order.
 * A connection is opened on first use, without blocking anyone: TCP (and TLS), then one
 * pipelined handshake (AUTH, SELECT, CLIENT SETNAME as configured, PING). A lost
 * connection is opened again by the next call; after a failed attempt, calls fail at once
 * for {@code reconnectDelay} instead of each waiting for a server that is not there. The
 * event loop threads ({@code wasm-redis-N}) are this class's own.
 */
public final class RedisConnections implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisConnections.class);

	private final EventLoopGroup group;

	private final long reconnectDelayNanos;

	private final ConcurrentMap<String, Connection> connections = new ConcurrentHashMap<>();

	private volatile boolean closed;

	RedisConnections(Duration reconnectDelay) {
		int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
		this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("wasm-redis", true),
				NioIoHandler.newFactory());
		this.reconnectDelayNanos = reconnectDelay.toNanos();
	}

	/** The connection to {@code target}, created (not yet connected) on first use. */
	Connection connection(RedisTarget target) {
		return this.connections.computeIfAbsent(target.key(), (key) -> new Connection(target));
	}

	/** Runs {@code task} after {@code delay} on one of the Redis event loops. */
	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.group.next().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void close() {
		this.closed = true;
		this.connections.values().forEach(Connection::close);
		this.connections.clear();
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
	}

	/** The connection to one target, and its state. */
	final class Connection {

		private final RedisTarget target;

		/** The current or last connection attempt; null before the first. */
		private volatile CompletableFuture<RespConnection> current;

		private long failedAt;

		private boolean down;

		Connection(RedisTarget target) {
			this.target = target;
		}

		RedisTarget target() {
			return this.target;
		}

		/**
		 * The open connection, or the attempt to open one; completes exceptionally when
		 * the server cannot be reached or refuses the handshake (authentication,
		 * database), at once while within the reconnect delay of a failed attempt.
		 */
		CompletableFuture<RespConnection> get() {
			CompletableFuture<RespConnection> attempt = this.current;
			if (attempt != null && attempt.isDone() && !attempt.isCompletedExceptionally()
					&& attempt.getNow(null).isOpen()) {
				return attempt;
			}
			return reconnect();
		}

		private synchronized CompletableFuture<RespConnection> reconnect() {
			if (RedisConnections.this.closed) {
				return CompletableFuture
					.failedFuture(new RespConnection.ConnectionLostException("the Redis client is shut down"));
			}
			CompletableFuture<RespConnection> attempt = this.current;
			if (attempt != null) {
				if (!attempt.isDone()) {
					return attempt;
				}
				if (!attempt.isCompletedExceptionally()) {
					if (attempt.getNow(null).isOpen()) {
						return attempt;
					}
					markDown("the connection was closed");
				}
				else if (System.nanoTime() - this.failedAt < RedisConnections.this.reconnectDelayNanos) {
					return attempt;
				}
			}
			CompletableFuture<RespConnection> next = open();
			this.current = next;
			next.whenComplete((connection, failure) -> opened(next, failure));
			return next;
		}

		private synchronized void opened(CompletableFuture<RespConnection> attempt, Throwable failure) {
			if (failure != null) {
				if (this.current == attempt) {
					this.failedAt = System.nanoTime();
				}
				markDown(RedisFailures.describe(failure));
			}
			else if (this.down) {
				this.down = false;
				logger.info("Redis " + this.target + " answers again");
			}
		}

		private void markDown(String why) {
			if (!this.down) {
				this.down = true;
				logger.warn("Redis " + this.target + " cannot be used: " + why
						+ "; plugins' calls fail (non-zero status) until it answers again");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Redis " + this.target + " still cannot be used: " + why);
			}
		}

		private CompletableFuture<RespConnection> open() {
			CompletableFuture<RespConnection> result = new CompletableFuture<>();
			RespConnection connection = new RespConnection();
			SslContext ssl;
			try {
				ssl = this.target.tls() ? sslContext(this.target) : null;
			}
			catch (SSLException ex) {
				result.completeExceptionally(ex);
				return result;
			}
			Duration timeout = this.target.timeout();
			Bootstrap bootstrap = new Bootstrap().group(RedisConnections.this.group)
				.channel(NioSocketChannel.class)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
						(int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
				.option(ChannelOption.TCP_NODELAY, true)
				.option(ChannelOption.SO_KEEPALIVE, true)
				.handler(new ChannelInitializer<Channel>() {
					@Override
					protected void initChannel(Channel channel) {
						if (ssl != null) {
							channel.pipeline().addLast(sslHandler(ssl, channel, Connection.this.target));
						}
						channel.pipeline().addLast(new RespFrames(), connection);
					}
				});
			ScheduledFuture<?> deadline = schedule(() -> {
				if (result.completeExceptionally(
						new TimeoutException("no connection to Redis " + this.target + " within " + timeout))) {
					connection.close();
				}
			}, timeout);
			result.whenComplete((done, failure) -> deadline.cancel(false));
			ChannelFuture connect = bootstrap.connect(this.target.host(), this.target.port());
			connect.addListener((ChannelFuture future) -> {
				if (!future.isSuccess()) {
					result.completeExceptionally(future.cause());
					return;
				}
				if (ssl != null) {
					future.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener((tls) -> {
						if (tls.isSuccess()) {
							handshake(connection, result);
						}
						else {
							result.completeExceptionally(tls.cause());
							connection.close();
						}
					});
				}
				else {
					handshake(connection, result);
				}
			});
			return result;
		}

		/** AUTH, SELECT, CLIENT SETNAME as configured, then PING, pipelined. */
		private void handshake(RespConnection connection, CompletableFuture<RespConnection> result) {
			List<byte[]> commands = new ArrayList<>();
			RedisTarget t = this.target;
			if (t.password() != null) {
				commands.add((t.username() != null) ? command("AUTH", t.username(), t.password())
						: command("AUTH", t.password()));
			}
			if (t.database() != 0) {
				commands.add(command("SELECT", Integer.toString(t.database())));
			}
			if (t.clientName() != null) {
				commands.add(command("CLIENT", "SETNAME", t.clientName()));
			}
			commands.add(command("PING"));
			AtomicInteger remaining = new AtomicInteger(commands.size());
			for (byte[] command : commands) {
				connection.send(command, new RespConnection.ReplyHandler() {
					@Override
					public void reply(byte[] resp) {
						if (RespReplies.isError(resp)) {
							if (result.completeExceptionally(new RedisRejectedException(RespReplies.line(resp)))) {
								connection.close();
							}
						}
						else if (remaining.decrementAndGet() == 0) {
							if (!result.complete(connection)) {
								// timed out meanwhile
								connection.close();
							}
						}
					}

					@Override
					public void failed(Throwable cause) {
						result.completeExceptionally(cause);
					}
				});
			}
		}

		void close() {
			CompletableFuture<RespConnection> attempt = this.current;
			if (attempt != null) {
				attempt.thenAccept(RespConnection::close);
			}
		}

	}

	private static SslContext sslContext(RedisTarget target) throws SSLException {
		SslContextBuilder builder = SslContextBuilder.forClient();
		if (target.keyManagers() != null) {
			builder.keyManager(target.keyManagers());
		}
		if (!target.verifyPeer()) {
			builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
		}
		else if (target.trustManagers() != null) {
			builder.trustManager(target.trustManagers());
		}
		return builder.build();
	}

	private static SslHandler sslHandler(SslContext ssl, Channel channel, RedisTarget target) {
		SslHandler handler = ssl.newHandler(channel.alloc(), target.host(), target.port());
		if (target.verifyPeer() && target.verifyHost()) {
			SSLEngine engine = handler.engine();
			SSLParameters parameters = engine.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			engine.setSSLParameters(parameters);
		}
		return handler;
	}

	/** A command as a RESP array of bulk strings. */
	static byte[] command(String... words) {
		StringBuilder text = new StringBuilder("*").append(words.length).append("\r\n");
		for (String word : words) {
			byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
			text.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** The server refused the connection's handshake (authentication, database). */
	static final class RedisRejectedException extends RuntimeException {

		RedisRejectedException(String message) {
			super(message);
		}

	}

}
