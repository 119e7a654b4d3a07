package io.github.wasmgateway.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading the few replies the host itself needs (handshake, shared data). */
final class RespReplies {

	private RespReplies() {
	}

	static boolean isError(byte[] reply) {
		return reply.length > 0 && reply[0] == '-';
	}

	/** The text of a simple string or error reply, without its type byte and CRLF. */
	static String line(byte[] reply) {
		int end = reply.length;
		while (end > 1 && (reply[end - 1] == '\n' || reply[end - 1] == '\r')) {
			end--;
		}
		return new String(reply, 1, Math.max(0, end - 1), StandardCharsets.UTF_8);
	}

	/** The value of an integer reply. */
	static long integer(byte[] reply) {
		if (reply.length < 4 || reply[0] != ':') {
			throw new IllegalArgumentException("not an integer reply: " + describe(reply));
		}
		return Long.parseLong(line(reply));
	}

	/** The elements of an array of bulk strings (null elements for nil). */
	static List<byte[]> bulkArray(byte[] reply) {
		if (reply.length < 4 || reply[0] != '*') {
			throw new IllegalArgumentException("not an array reply: " + describe(reply));
		}
		int[] at = { 1 };
		int count = (int) number(reply, at);
		List<byte[]> elements = new ArrayList<>(Math.max(0, count));
		for (int i = 0; i < count; i++) {
			if (reply[at[0]] != '$') {
				throw new IllegalArgumentException("not an array of bulk strings: " + describe(reply));
			}
			at[0]++;
			int length = (int) number(reply, at);
			if (length < 0) {
				elements.add(null);
				continue;
			}
			byte[] element = new byte[length];
			System.arraycopy(reply, at[0], element, 0, length);
			elements.add(element);
			at[0] += length + 2;
		}
		return elements;
	}

	private static long number(byte[] reply, int[] at) {
		int i = at[0];
		boolean negative = reply[i] == '-';
		if (negative) {
			i++;
		}
		long value = 0;
		while (reply[i] != '\r') {
			value = value * 10 + (reply[i] - '0');
			i++;
		}
		at[0] = i + 2;
		return negative ? -value : value;
	}

	static String describe(byte[] reply) {
		String text = new String(reply, 0, Math.min(reply.length, 200), StandardCharsets.UTF_8);
		return text.replace("\r\n", " ").trim();
	}

}
