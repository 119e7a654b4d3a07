package io.github.wasmgateway.redis;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Cuts the bytes a Redis server sends into replies, each exactly as sent: one complete
 * RESP value per message (a {@code byte[]}), nested arrays included. Values are not
 * decoded; only their lengths are read to find where a reply ends.
 */
final class RespFrames extends ByteToMessageDecoder {

	/** Largest reply accepted; a larger one closes the connection (its calls fail). */
	static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;

	@Override
	protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
		while (in.isReadable()) {
			int start = in.readerIndex();
			int end = end(in, start, in.writerIndex());
			if (end < 0) {
				if (in.readableBytes() > MAX_REPLY_BYTES) {
					throw new TooLongFrameException("Redis reply larger than " + MAX_REPLY_BYTES + " bytes");
				}
				return;
			}
			byte[] reply = new byte[end - start];
			in.readBytes(reply);
			out.add(reply);
		}
	}

	/**
	 * The index just past the RESP value that starts at {@code from}, or -1 when the
	 * bytes up to {@code to} do not hold all of it yet.
	 */
	static int end(ByteBuf bytes, int from, int to) {
		long pending = 1;
		int at = from;
		while (pending > 0) {
			if (at >= to) {
				return -1;
			}
			byte type = bytes.getByte(at);
			int lineEnd = lineEnd(bytes, at + 1, to);
			if (lineEnd < 0) {
				return -1;
			}
			pending--;
			int next = lineEnd + 2;
			switch (type) {
				case '+', '-', ':', '_', ',', '#', '(' -> at = next;
				case '$', '!', '=' -> {
					long length = number(bytes, at + 1, lineEnd);
					if (length < 0) {
						at = next;
					}
					else {
						long after = next + length + 2;
						if (after > to) {
							return -1;
						}
						if (bytes.getByte((int) after - 2) != '\r' || bytes.getByte((int) after - 1) != '\n') {
							throw new CorruptedFrameException("Redis bulk string not followed by CRLF");
						}
						at = (int) after;
					}
				}
				case '*', '~', '>' -> {
					long count = number(bytes, at + 1, lineEnd);
					pending += Math.max(0, count);
					at = next;
				}
				case '%' -> {
					long count = number(bytes, at + 1, lineEnd);
					pending += 2 * Math.max(0, count);
					at = next;
				}
				default -> throw new CorruptedFrameException("not a RESP reply: type byte " + (type & 0xff));
			}
		}
		return at;
	}

	/** Index of the CR of the first CRLF at or after {@code from}, or -1. */
	private static int lineEnd(ByteBuf bytes, int from, int to) {
		int lf = bytes.indexOf(from, to, (byte) '\n');
		if (lf < 0) {
			return -1;
		}
		if (lf == from || bytes.getByte(lf - 1) != '\r') {
			throw new CorruptedFrameException("RESP line not ended by CRLF");
		}
		return lf - 1;
	}

	private static long number(ByteBuf bytes, int from, int to) {
		if (from >= to || to - from > 19) {
			throw new CorruptedFrameException("bad RESP length");
		}
		boolean negative = bytes.getByte(from) == '-';
		long value = 0;
		for (int i = negative ? from + 1 : from; i < to; i++) {
			byte digit = bytes.getByte(i);
			if (digit < '0' || digit > '9') {
				throw new CorruptedFrameException("bad RESP length");
			}
			value = value * 10 + (digit - '0');
		}
		return negative ? -value : value;
	}

}
