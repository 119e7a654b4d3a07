package io.github.wasmgateway.redis;

import io.github.wasmgateway.engine.host.RedisClient.RedisCompletion;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One Redis deployment as plugins reach it: a Lettuce client and one connection (to the
 * server, the master Sentinel names, or the cluster's nodes), shared by every plugin and
 * VM of the gateway and pipelined. Each plugin command is dispatched with a
 * {@link RespReplyOutput}, so the reply comes back as the bytes Redis sent, and expires
 * after the call's own timeout (Lettuce's command expiry).
 * <p>
 * Nothing waits: the first connection is opened on first use, a call made meanwhile goes
 * out once it is open; until a first connection succeeds, calls fail at once for
 * {@code reconnectDelay} after each failed attempt. Once connected, Lettuce reconnects by
 * itself (and, for a Redis Cluster, follows redirections and refreshes the topology), and
 * calls fail at once while it is disconnected.
 */
final class RedisEndpoint implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisEndpoint.class);

	private final RedisTarget target;

	/** Key positions of a Redis Cluster's commands; null for one server. */
	private final ClusterKeys keys;

	private final RedisConnector connector;

	/** Whether calls are failing (logged once when it starts and once when it ends). */
	private volatile boolean down;

	private volatile String downReason;

	private volatile Instant downSince;

	RedisEndpoint(RedisTarget target, ClientResources resources, Duration reconnectDelay) {
		this.target = target;
		this.keys = (target.kind() == RedisTarget.Kind.CLUSTER) ? new ClusterKeys() : null;
		this.connector = new RedisConnector(target, LettuceClients.forPluginCalls(target, resources, reconnectDelay),
				reconnectDelay, this::opened);
	}

	RedisTarget target() {
		return this.target;
	}

	/** Starts connecting, if no connection is open or being opened. */
	void connect() {
		this.connector.connection().whenComplete((connection, failure) -> {
			if (failure != null) {
				markDown(RedisFailures.describe(failure));
			}
		});
	}

	/**
	 * Sends {@code request}; {@code completion} runs exactly once, on a Lettuce thread or
	 * at once, with status 0 and the reply as Redis sent it, or a {@link RedisFailures
	 * failure status} and an empty reply.
	 */
	void send(RedisRequest request, Duration timeout, RedisCompletion completion) {
		long started = System.nanoTime();
		CompletableFuture<StatefulConnection<byte[], byte[]>> open = this.connector.connection();
		if (open.isDone()) {
			dispatch(open, request, timeout.toNanos(), completion);
			return;
		}
		open.whenComplete((connection, failure) -> dispatch(open, request,
				timeout.toNanos() - (System.nanoTime() - started), completion));
	}

	private void dispatch(CompletableFuture<StatefulConnection<byte[], byte[]>> open, RedisRequest request,
			long timeoutNanos, RedisCompletion completion) {
		if (open.isCompletedExceptionally()) {
			fail(open.handle((connection, failure) -> failure).join(), completion);
			return;
		}
		if (timeoutNanos <= 0) {
			fail(new TimeoutException("connecting to Redis " + this.target + " took the whole call timeout"),
					completion);
			return;
		}
		RespReplyOutput output = new RespReplyOutput(timeoutNanos);
		AsyncCommand<byte[], byte[], byte[]> command = new AsyncCommand<>(new Command<>(request.type(), output,
				request.args((this.keys != null) ? this.keys.keyIndex(request) : -1)));
		try {
			open.join().dispatch(command);
		}
		catch (RuntimeException ex) {
			command.completeExceptionally(ex);
		}
		command.whenComplete((reply, failure) -> {
			if (failure == null) {
				answered();
				completion.complete(0, reply);
			}
			else if (failure instanceof RedisCommandExecutionException && output.get() != null) {
				// a redirection Lettuce did not follow further is still Redis's answer
				answered();
				completion.complete(0, output.get());
			}
			else {
				fail(failure, completion);
			}
		});
	}

	private void fail(Throwable failure, RedisCompletion completion) {
		int status = RedisFailures.status(failure);
		if (status == RedisFailures.TIMEOUT) {
			// a slow reply says nothing about whether Redis can be used
			completion.complete(status, RedisFailures.NO_REPLY);
			return;
		}
		markDown(RedisFailures.describe(failure));
		completion.complete(status, RedisFailures.NO_REPLY);
	}

	private CompletionStage<?> opened(StatefulConnection<byte[], byte[]> connection) {
		answered();
		return (this.keys != null) ? this.keys.load(connection, this.target.toString())
				: CompletableFuture.completedFuture(null);
	}

	private void answered() {
		if (this.down) {
			this.down = false;
			logger.info("Redis " + this.target + " answers again");
		}
	}

	private void markDown(String why) {
		this.downReason = why;
		if (!this.down) {
			this.downSince = Instant.now();
			this.down = true;
			logger.warn("Redis " + this.target + " cannot be used: " + why
					+ "; plugins' calls fail (non-zero status) until it answers again");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Redis " + this.target + " still cannot be used: " + why);
		}
	}

	/** Whether the deployment is connected (Lettuce reconnects a lost connection). */
	boolean isUp() {
		StatefulConnection<byte[], byte[]> open = this.connector.openConnection();
		return open != null && open.isOpen();
	}

	/** What health shows of this deployment. */
	Map<String, Object> health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("connection", this.connector.state());
		if (this.down) {
			// the last call failed: a node of a Redis Cluster may be away while others
			// answer
			details.put("failing", this.downReason);
			details.put("failingSince", this.downSince.toString());
		}
		return details;
	}

	@Override
	public void close() {
		this.connector.close();
	}

}
