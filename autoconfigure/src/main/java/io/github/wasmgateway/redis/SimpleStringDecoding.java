package io.github.wasmgateway.redis;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.RedisStateMachine;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lets Lettuce tell a {@link RespReplyOutput} a simple string ({@code +OK}) from a bulk
 * string ({@code $2 OK}). {@link CommandOutput} has {@code setSingle} for simple strings,
 * but Lettuce 6.8's decoder ({@link RedisStateMachine#safeSetSingle}) hands them to
 * {@code set}, as it does bulk strings, so the reply could not be written back as Redis
 * sent it. Each connection's {@link CommandHandler} gets Lettuce's own decoder with that
 * one call corrected, for {@link RespReplyOutput}s only: every other output sees what
 * Lettuce gives it.
 * <p>
 * The handler's decoder is a private field, set when the channel registers; it is
 * replaced right after that. Should a Lettuce version rename the field, plugins' simple
 * strings arrive as bulk strings and a warning says so (the tests of the replies' bytes
 * fail).
 */
final class SimpleStringDecoding implements NettyCustomizer {

	private static final Log logger = LogFactory.getLog(SimpleStringDecoding.class);

	private static final Field DECODER = decoderField();

	@Override
	public void afterChannelInitialized(Channel channel) {
		if (DECODER == null) {
			return;
		}
		ChannelHandlerContext handler = channel.pipeline().context(CommandHandler.class);
		if (handler != null) {
			channel.pipeline().addAfter(handler.name(), null, new Installer());
		}
	}

	private static Field decoderField() {
		try {
			Field field = CommandHandler.class.getDeclaredField("rsm");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Lettuce's CommandHandler has no decoder field 'rsm' (" + ex
					+ "): plugins' Redis replies carry simple strings (+OK) as bulk strings ($2 OK)");
			return null;
		}
	}

	/** Replaces the handler's decoder once the handler has created it. */
	private static final class Installer extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRegistered(ChannelHandlerContext context) throws Exception {
			CommandHandler handler = context.pipeline().get(CommandHandler.class);
			if (handler != null && DECODER.get(handler) != null) {
				DECODER.set(handler, new Decoder());
			}
			super.channelRegistered(context);
			context.pipeline().remove(this);
		}

	}

	/** Lettuce's decoder, calling {@code setSingle} for simple strings. */
	static final class Decoder extends RedisStateMachine {

		@Override
		protected void safeSetSingle(CommandOutput<?, ?, ?> output, ByteBuffer bytes,
				Consumer<Throwable> errorHandler) {
			if (!(output instanceof RespReplyOutput reply)) {
				super.safeSetSingle(output, bytes, errorHandler);
				return;
			}
			try {
				reply.setSingle(bytes);
			}
			catch (RuntimeException ex) {
				errorHandler.accept(ex);
			}
		}

	}

}
