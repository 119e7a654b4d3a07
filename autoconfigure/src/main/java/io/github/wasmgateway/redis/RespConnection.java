package io.github.wasmgateway.redis;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One open connection to a Redis server, pipelined: commands are written as they come,
 * each with its reply handler appended to a FIFO, and every reply (one RESP value, from
 * {@link RespFrames}) goes to the oldest handler waiting. Writing and queueing happen
 * together on the channel's event loop, so the FIFO is always in wire order. When the
 * connection ends, every handler still waiting fails.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(RespConnection.class);

	/** Receives one reply. Called on the connection's event loop. */
	interface ReplyHandler {

		void reply(byte[] resp);

		void failed(Throwable cause);

	}

	/** The connection to Redis ended (or was never there) before a reply. */
	static final class ConnectionLostException extends RuntimeException {

		ConnectionLostException(String message) {
			super(message);
		}

	}

	private final ArrayDeque<ReplyHandler> waiting = new ArrayDeque<>();

	private volatile Channel channel;

	private volatile Throwable closedBy;

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		this.channel = context.channel();
	}

	boolean isOpen() {
		Channel open = this.channel;
		return open != null && open.isActive();
	}

	/** Sends {@code command} (RESP bytes, as is); {@code handler} gets its reply. */
	void send(byte[] command, ReplyHandler handler) {
		Channel open = this.channel;
		if (open == null) {
			handler.failed(new ConnectionLostException("not connected"));
			return;
		}
		EventLoop loop = open.eventLoop();
		if (loop.inEventLoop()) {
			write(open, command, handler);
			return;
		}
		try {
			loop.execute(() -> write(open, command, handler));
		}
		catch (RejectedExecutionException ex) {
			handler.failed(new ConnectionLostException("the Redis client is shut down"));
		}
	}

	private void write(Channel open, byte[] command, ReplyHandler handler) {
		if (!open.isActive()) {
			handler.failed(lost());
			return;
		}
		this.waiting.add(handler);
		open.writeAndFlush(Unpooled.wrappedBuffer(command)).addListener((future) -> {
			if (!future.isSuccess()) {
				this.closedBy = future.cause();
				open.close();
			}
		});
	}

	void close() {
		Channel open = this.channel;
		if (open != null) {
			open.close();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		ReplyHandler handler = this.waiting.poll();
		if (handler == null) {
			// a reply nobody asked for: the stream is out of step, start again
			this.closedBy = new IllegalStateException("Redis sent a reply to no command");
			context.close();
			return;
		}
		try {
			handler.reply((byte[]) message);
		}
		catch (RuntimeException ex) {
			// the reply was read; a failing handler must not break the connection for the
			// others
			logger.warn("A Redis reply handler failed", ex);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) throws Exception {
		ConnectionLostException lost = lost();
		ReplyHandler handler;
		while ((handler = this.waiting.poll()) != null) {
			handler.failed(lost);
		}
		super.channelInactive(context);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		if (this.closedBy == null) {
			this.closedBy = cause;
		}
		context.close();
	}

	private ConnectionLostException lost() {
		Throwable cause = this.closedBy;
		ConnectionLostException lost = new ConnectionLostException(
				"the connection to Redis was closed" + ((cause != null) ? ": " + RedisFailures.describe(cause) : ""));
		if (cause != null) {
			lost.initCause(cause);
		}
		return lost;
	}

}
