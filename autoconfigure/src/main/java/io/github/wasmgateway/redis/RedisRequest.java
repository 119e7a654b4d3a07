package io.github.wasmgateway.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A command as a plugin encoded it for {@code proxy_redis_call}: a RESP array of bulk
 * strings (what every SDK sends) or an inline command ({@code PING\r\n}, which Redis also
 * accepts). Lettuce sends commands, not bytes, so the plugin's bytes are read into the
 * command's name and arguments, which Lettuce writes again as the same array. Reading
 * checks that the bytes are exactly one command and finds the commands that are not sent.
 */
final class RedisRequest {

	/**
	 * Commands that change the state of the connection they run on. Every plugin of the
	 * gateway shares one connection per Redis deployment, so these would change it under
	 * the other plugins' feet (a transaction catching their commands, a subscription
	 * turning replies into pushes, another database or protocol) and under Lettuce's,
	 * which restores the connection's state on reconnect. They are answered with an error
	 * reply instead of being sent.
	 */
	private static final Set<String> CONNECTION_STATE = Set.of("AUTH", "HELLO", "SELECT", "RESET", "QUIT", "MULTI",
			"EXEC", "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
			"PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "SYNC", "PSYNC", "REPLCONF", "READONLY", "READWRITE");

	/** CLIENT subcommands that change the connection's state. */
	private static final Set<String> CLIENT_STATE = Set.of("REPLY", "TRACKING", "SETNAME");

	private final List<byte[]> arguments;

	private String upperCaseName;

	private RedisRequest(List<byte[]> arguments) {
		this.arguments = arguments;
	}

	/**
	 * The command's type for Lettuce: the name as the plugin wrote it, equal to every
	 * other type of the same name (Lettuce's command latency metrics are kept per type).
	 */
	ProtocolKeyword type() {
		return new CommandName(upperCaseName(), this.arguments.get(0));
	}

	/**
	 * The arguments after the name; the one at {@code keyIndex} (or none, when negative)
	 * is marked as the key Lettuce routes a Redis Cluster command by.
	 */
	CommandArgs<byte[], byte[]> args(int keyIndex) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
		for (int i = 1; i < this.arguments.size(); i++) {
			if (i - 1 == keyIndex) {
				args.addKey(this.arguments.get(i));
			}
			else {
				args.add(this.arguments.get(i));
			}
		}
		return args;
	}

	/** The arguments after the name. */
	List<byte[]> arguments() {
		return this.arguments.subList(1, this.arguments.size());
	}

	String upperCaseName() {
		String name = this.upperCaseName;
		if (name == null) {
			name = upperCase(this.arguments.get(0));
			this.upperCaseName = name;
		}
		return name;
	}

	private static String upperCase(byte[] word) {
		return new String(word, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
	}

	/**
	 * Why this command is not sent on the shared connection, as a RESP error reply, or
	 * null when it may be sent.
	 */
	byte[] refusal() {
		String name = upperCaseName();
		String shown = name;
		if (name.equals("CLIENT") && this.arguments.size() > 1) {
			String subcommand = upperCase(this.arguments.get(1));
			if (!CLIENT_STATE.contains(subcommand)) {
				return null;
			}
			shown = "CLIENT " + subcommand;
		}
		else if (!CONNECTION_STATE.contains(name)) {
			return null;
		}
		return ("-ERR wasm-gateway: " + shown
				+ " changes the state of the connection every plugin shares and is not sent; use EVAL for atomic"
				+ " sequences\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Parses one command; null when {@code bytes} is not exactly one well-formed command
	 * (malformed, incomplete, empty, or followed by more bytes).
	 */
	static RedisRequest parse(byte[] bytes) {
		if (bytes.length == 0) {
			return null;
		}
		return (bytes[0] == '*') ? parseArray(bytes) : parseInline(bytes);
	}

	private static RedisRequest parseArray(byte[] bytes) {
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
		return (at[0] == bytes.length) ? new RedisRequest(arguments) : null;
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
	private static RedisRequest parseInline(byte[] bytes) {
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
		return arguments.isEmpty() ? null : new RedisRequest(arguments);
	}

	private static boolean isBlank(byte b) {
		return b == ' ' || b == '\t';
	}

	private static boolean isHex(byte b) {
		return Character.digit(b, 16) >= 0;
	}

	/** A command name: written as the plugin wrote it, compared by its upper case. */
	private static final class CommandName implements ProtocolKeyword {

		private final String name;

		private final byte[] bytes;

		CommandName(String name, byte[] bytes) {
			this.name = name;
			this.bytes = bytes;
		}

		@Override
		public byte[] getBytes() {
			return this.bytes;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof CommandName command && command.name.equals(this.name);
		}

		@Override
		public int hashCode() {
			return this.name.hashCode();
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
