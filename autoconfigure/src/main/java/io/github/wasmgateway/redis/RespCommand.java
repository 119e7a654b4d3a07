package io.github.wasmgateway.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A command as a plugin encoded it for {@code proxy_redis_call}: a RESP array of bulk
 * strings (what every SDK sends), sent as is, or an inline command ({@code PING\r\n}),
 * sent as the equivalent array. Parsing checks that the bytes are exactly one command (a
 * partial one would leave the shared connection waiting for the rest) and finds the
 * commands that are not sent.
 */
final class RespCommand {

	/**
	 * Commands that change the state of the connection they run on. Every plugin of the
	 * gateway shares one connection per Redis server, so these would change it under the
	 * other plugins' feet (a transaction catching their commands, a subscription turning
	 * replies into pushes, another database). They are answered with an error reply
	 * instead of being sent.
	 */
	private static final Set<String> CONNECTION_STATE = Set.of("AUTH", "HELLO", "SELECT", "RESET", "QUIT", "MULTI",
			"EXEC", "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
			"PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "SYNC", "PSYNC", "REPLCONF");

	private final List<byte[]> arguments;

	private final byte[] wire;

	private RespCommand(List<byte[]> arguments, byte[] wire) {
		this.arguments = arguments;
		this.wire = (wire != null) ? wire : encode(arguments);
	}

	/**
	 * The bytes to send: the plugin's own for an array command, an array of bulk strings
	 * for an inline one (which may lack its CRLF).
	 */
	byte[] wire() {
		return this.wire;
	}

	private static byte[] encode(List<byte[]> arguments) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] head = ("*" + arguments.size() + "\r\n").getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(head);
		for (byte[] argument : arguments) {
			out.writeBytes(("$" + argument.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(argument);
			out.writeBytes(new byte[] { '\r', '\n' });
		}
		return out.toByteArray();
	}

	/** The command name as the plugin wrote it (its first argument). */
	byte[] name() {
		return this.arguments.get(0);
	}

	/** The arguments after the name. */
	List<byte[]> arguments() {
		return this.arguments.subList(1, this.arguments.size());
	}

	String upperCaseName() {
		return new String(name(), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
	}

	/**
	 * Why this command is not sent on the shared connection, as a RESP error reply, or
	 * null when it may be sent.
	 */
	byte[] refusal() {
		String name = upperCaseName();
		boolean refused = CONNECTION_STATE.contains(name) || (name.equals("CLIENT") && this.arguments.size() > 1
				&& new String(this.arguments.get(1), StandardCharsets.ISO_8859_1).equalsIgnoreCase("REPLY"));
		if (!refused) {
			return null;
		}
		String shown = (name.equals("CLIENT")) ? "CLIENT REPLY" : name;
		return ("-ERR wasm-gateway: " + shown
				+ " changes the state of the connection every plugin shares and is not sent; use EVAL for atomic"
				+ " sequences\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Parses one command; null when {@code bytes} is not exactly one well-formed command
	 * (malformed, incomplete, empty, or followed by more bytes).
	 */
	static RespCommand parse(byte[] bytes) {
		if (bytes.length == 0) {
			return null;
		}
		return (bytes[0] == '*') ? parseArray(bytes) : parseInline(bytes);
	}

	private static RespCommand parseArray(byte[] bytes) {
		int[] at = { 1 };
		long count = readNumber(bytes, at);
		if (count < 1 || count > bytes.length) {
			return null;
		}
		List<byte[]> arguments = new ArrayList<>((int) count);
		for (long i = 0; i < count; i++) {
			if (at[0] >= bytes.length || bytes[at[0]] != '$') {
				return null;
			}
			at[0]++;
			long length = readNumber(bytes, at);
			if (length < 0 || length > bytes.length - at[0] - 2L) {
				return null;
			}
			int start = at[0];
			int end = start + (int) length;
			if (bytes[end] != '\r' || bytes[end + 1] != '\n') {
				return null;
			}
			byte[] argument = new byte[(int) length];
			System.arraycopy(bytes, start, argument, 0, argument.length);
			arguments.add(argument);
			at[0] = end + 2;
		}
		return (at[0] == bytes.length) ? new RespCommand(arguments, bytes) : null;
	}

	/**
	 * Digits (with an optional '-') up to CRLF, from {@code at[0]}; -2 when malformed.
	 */
	private static long readNumber(byte[] bytes, int[] at) {
		int i = at[0];
		boolean negative = i < bytes.length && bytes[i] == '-';
		if (negative) {
			i++;
		}
		long value = 0;
		int digits = 0;
		while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9' && digits < 10) {
			value = value * 10 + (bytes[i] - '0');
			digits++;
			i++;
		}
		if (digits == 0 || i + 1 >= bytes.length || bytes[i] != '\r' || bytes[i + 1] != '\n') {
			return -2;
		}
		at[0] = i + 2;
		return negative ? -value : value;
	}

	/**
	 * One line split into arguments the way Redis splits an inline command: blanks
	 * separate arguments; "double quotes" take the escapes \n \r \t \b \a \\ \" and \xHH;
	 * 'single quotes' take \'; a closing quote must end the argument.
	 */
	private static RespCommand parseInline(byte[] bytes) {
		int end = bytes.length;
		if (end >= 2 && bytes[end - 2] == '\r' && bytes[end - 1] == '\n') {
			end -= 2;
		}
		else if (bytes[end - 1] == '\n') {
			end -= 1;
		}
		for (int at = 0; at < end; at++) {
			if (bytes[at] == '\r' || bytes[at] == '\n') {
				return null;
			}
		}
		List<byte[]> arguments = new ArrayList<>();
		int i = 0;
		while (true) {
			while (i < end && isBlank(bytes[i])) {
				i++;
			}
			if (i >= end) {
				break;
			}
			ByteArrayOutputStream argument = new ByteArrayOutputStream();
			boolean inDouble = false;
			boolean inSingle = false;
			boolean done = false;
			while (!done) {
				if (inDouble) {
					if (i >= end) {
						return null;
					}
					if (bytes[i] == '\\' && i + 3 < end && bytes[i + 1] == 'x' && isHex(bytes[i + 2])
							&& isHex(bytes[i + 3])) {
						argument.write(Character.digit(bytes[i + 2], 16) * 16 + Character.digit(bytes[i + 3], 16));
						i += 3;
					}
					else if (bytes[i] == '\\' && i + 1 < end) {
						i++;
						argument.write(switch (bytes[i]) {
							case 'n' -> '\n';
							case 'r' -> '\r';
							case 't' -> '\t';
							case 'b' -> '\b';
							case 'a' -> 7;
							default -> bytes[i];
						});
					}
					else if (bytes[i] == '"') {
						if (i + 1 < end && !isBlank(bytes[i + 1])) {
							return null;
						}
						done = true;
					}
					else {
						argument.write(bytes[i]);
					}
				}
				else if (inSingle) {
					if (i >= end) {
						return null;
					}
					if (bytes[i] == '\\' && i + 1 < end && bytes[i + 1] == '\'') {
						i++;
						argument.write('\'');
					}
					else if (bytes[i] == '\'') {
						if (i + 1 < end && !isBlank(bytes[i + 1])) {
							return null;
						}
						done = true;
					}
					else {
						argument.write(bytes[i]);
					}
				}
				else if (i >= end || isBlank(bytes[i])) {
					done = true;
				}
				else if (bytes[i] == '"') {
					inDouble = true;
				}
				else if (bytes[i] == '\'') {
					inSingle = true;
				}
				else {
					argument.write(bytes[i]);
				}
				if (i < end) {
					i++;
				}
			}
			arguments.add(argument.toByteArray());
		}
		return arguments.isEmpty() ? null : new RespCommand(arguments, null);
	}

	private static boolean isBlank(byte b) {
		return b == ' ' || b == '\t';
	}

	private static boolean isHex(byte b) {
		return Character.digit(b, 16) >= 0;
	}

}
