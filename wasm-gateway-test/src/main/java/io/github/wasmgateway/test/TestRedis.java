package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.host.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The plugin's Redis (Higress's {@code proxy_redis_init} and {@code proxy_redis_call}):
 * an in-memory store that runs PING, GET, SET, DEL, INCR, INCRBY, DECR, EXPIRE and TTL on
 * the test clock, with replies the test scripts for anything else (a Lua script, an
 * error), and modes for an unreachable Redis, garbage replies and held replies. Every
 * command is recorded, parsed into its arguments.
 */
public final class TestRedis implements RedisClient {

	private final TestClock clock;

	private final List<String> initialized = new CopyOnWriteArrayList<>();

	private final List<List<String>> commands = new CopyOnWriteArrayList<>();

	private final List<Runnable> held = new CopyOnWriteArrayList<>();

	private final List<Function<List<String>, String>> responders = new CopyOnWriteArrayList<>();

	private final Map<String, String> values = new HashMap<>();

	private final Map<String, Long> expiresAtSeconds = new HashMap<>();

	private volatile Mode mode = Mode.NORMAL;

	private volatile boolean knowsClusters = true;

	private enum Mode {

		NORMAL, DOWN, GARBAGE, HOLD

	}

	TestRedis(TestClock clock) {
		this.clock = clock;
	}

	/**
	 * Answers the commands {@code responder} knows: it gets the command's arguments and
	 * returns the RESP reply ({@code "+OK\r\n"}, {@code ":1\r\n"}, ...), or null to let
	 * the in-memory store answer. Responders added later are asked first.
	 */
	public TestRedis answer(Function<List<String>, String> responder) {
		this.responders.add(0, responder);
		return this;
	}

	/** Replies at once (the default). */
	public TestRedis normal() {
		this.mode = Mode.NORMAL;
		return this;
	}

	/** Every call fails (status 1, as a refused connection). */
	public TestRedis down() {
		this.mode = Mode.DOWN;
		return this;
	}

	/** Every call gets bytes that are not RESP. */
	public TestRedis garbage() {
		this.mode = Mode.GARBAGE;
		return this;
	}

	/**
	 * Keeps the replies until {@link PluginTester#release()}: the plugin waits meanwhile.
	 */
	public TestRedis hold() {
		this.mode = Mode.HOLD;
		return this;
	}

	/** Whether {@code proxy_redis_init} finds its cluster (true by default). */
	public TestRedis knowsClusters(boolean known) {
		this.knowsClusters = known;
		return this;
	}

	/**
	 * The clusters the plugin initialized, as
	 * {@code <cluster> user=<name> password=<password> timeout=<ms>}.
	 */
	public List<String> initialized() {
		return List.copyOf(this.initialized);
	}

	/** Every command the plugin sent, as its arguments, oldest first. */
	public List<List<String>> commands() {
		return List.copyOf(this.commands);
	}

	/** A key's value in the in-memory store, or null. */
	public synchronized String value(String key) {
		expire(key);
		return this.values.get(key);
	}

	/** Sets a key in the in-memory store. */
	public synchronized TestRedis set(String key, String value) {
		this.values.put(key, value);
		this.expiresAtSeconds.remove(key);
		return this;
	}

	/** Sets a key with a time to live in seconds. */
	public synchronized TestRedis set(String key, String value, long ttlSeconds) {
		this.values.put(key, value);
		this.expiresAtSeconds.put(key, this.clock.epochSeconds() + ttlSeconds);
		return this;
	}

	/** The replies held back so far. */
	public int held() {
		return this.held.size();
	}

	@Override
	public boolean init(String plugin, String cluster, String username, String password, Duration timeout) {
		this.initialized
			.add(cluster + " user=" + username + " password=" + password + " timeout=" + timeout.toMillis());
		return this.knowsClusters;
	}

	@Override
	public boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion) {
		if (!this.knowsClusters) {
			return false;
		}
		List<String> command = parseCommand(respCommand);
		this.commands.add((command != null) ? command : List.of());
		switch (this.mode) {
			case DOWN -> completion.complete(1, new byte[0]);
			case GARBAGE -> completion.complete(0, "not resp at all".getBytes(StandardCharsets.UTF_8));
			case HOLD -> {
				byte[] reply = reply(command);
				this.held.add(() -> completion.complete(0, reply));
			}
			default -> completion.complete(0, reply(command));
		}
		return true;
	}

	/** Answers the held calls, oldest first. */
	void release() {
		List<Runnable> pending = new ArrayList<>(this.held);
		this.held.clear();
		pending.forEach(Runnable::run);
	}

	private byte[] reply(List<String> command) {
		if (command == null || command.isEmpty()) {
			return error("ERR protocol error");
		}
		for (Function<List<String>, String> responder : this.responders) {
			String reply = responder.apply(command);
			if (reply != null) {
				return reply.getBytes(StandardCharsets.UTF_8);
			}
		}
		return execute(command);
	}

	private synchronized byte[] execute(List<String> command) {
		String name = command.get(0).toUpperCase(Locale.ROOT);
		try {
			return switch (name) {
				case "PING" -> "+PONG\r\n".getBytes(StandardCharsets.UTF_8);
				case "GET" -> {
					String value = value(command.get(1));
					yield (value != null) ? bulk(value) : "$-1\r\n".getBytes(StandardCharsets.UTF_8);
				}
				case "SET" -> {
					set(command.get(1), command.get(2));
					if (command.size() >= 5 && command.get(3).equalsIgnoreCase("EX")) {
						this.expiresAtSeconds.put(command.get(1),
								this.clock.epochSeconds() + Long.parseLong(command.get(4)));
					}
					yield "+OK\r\n".getBytes(StandardCharsets.UTF_8);
				}
				case "DEL" -> {
					int removed = 0;
					for (String key : command.subList(1, command.size())) {
						expire(key);
						if (this.values.remove(key) != null) {
							removed++;
						}
						this.expiresAtSeconds.remove(key);
					}
					yield integer(removed);
				}
				case "INCR" -> add(command.get(1), 1);
				case "INCRBY" -> add(command.get(1), Long.parseLong(command.get(2)));
				case "DECR" -> add(command.get(1), -1);
				case "EXPIRE" -> {
					String key = command.get(1);
					expire(key);
					if (!this.values.containsKey(key)) {
						yield integer(0);
					}
					this.expiresAtSeconds.put(key, this.clock.epochSeconds() + Long.parseLong(command.get(2)));
					yield integer(1);
				}
				case "TTL" -> integer(ttl(command.get(1)));
				default -> error("ERR unknown command '" + command.get(0) + "' (script it with TestRedis.answer)");
			};
		}
		catch (IndexOutOfBoundsException | NumberFormatException ex) {
			return error("ERR wrong arguments for '" + command.get(0) + "'");
		}
	}

	private byte[] add(String key, long delta) {
		expire(key);
		long value;
		try {
			value = Long.parseLong(this.values.getOrDefault(key, "0")) + delta;
		}
		catch (NumberFormatException ex) {
			return error("ERR value is not an integer or out of range");
		}
		this.values.put(key, Long.toString(value));
		return integer(value);
	}

	/** Seconds to live of {@code key}: -2 when absent, -1 without an expiry. */
	public synchronized long ttl(String key) {
		expire(key);
		if (!this.values.containsKey(key)) {
			return -2;
		}
		Long expiresAt = this.expiresAtSeconds.get(key);
		return (expiresAt == null) ? -1 : expiresAt - this.clock.epochSeconds();
	}

	private void expire(String key) {
		Long expiresAt = this.expiresAtSeconds.get(key);
		if (expiresAt != null && expiresAt <= this.clock.epochSeconds()) {
			this.values.remove(key);
			this.expiresAtSeconds.remove(key);
		}
	}

	/** {@code :<value>\r\n}, for responders. */
	public static String integerReply(long value) {
		return ":" + value + "\r\n";
	}

	/** An array of integers, for responders. */
	public static String arrayReply(long... values) {
		StringBuilder reply = new StringBuilder("*").append(values.length).append("\r\n");
		for (long value : values) {
			reply.append(':').append(value).append("\r\n");
		}
		return reply.toString();
	}

	private static byte[] integer(long value) {
		return integerReply(value).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] bulk(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		return ("$" + bytes.length + "\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] error(String message) {
		return ("-" + message + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	/** A RESP array of bulk strings, as clients send commands; null when malformed. */
	static List<String> parseCommand(byte[] bytes) {
		int[] at = { 0 };
		if (bytes.length == 0 || bytes[0] != '*') {
			return null;
		}
		at[0] = 1;
		long count = number(bytes, at);
		if (count < 0) {
			return null;
		}
		List<String> args = new ArrayList<>();
		for (long i = 0; i < count; i++) {
			if (at[0] >= bytes.length || bytes[at[0]] != '$') {
				return null;
			}
			at[0]++;
			long length = number(bytes, at);
			if (length < 0 || at[0] + length + 2 > bytes.length) {
				return null;
			}
			args.add(new String(bytes, at[0], (int) length, StandardCharsets.UTF_8));
			at[0] += (int) length + 2;
		}
		return args;
	}

	/** The decimal number at {@code at[0]} up to its CRLF (moved past it), or -1. */
	private static long number(byte[] bytes, int[] at) {
		long value = 0;
		int start = at[0];
		while (at[0] < bytes.length && bytes[at[0]] >= '0' && bytes[at[0]] <= '9' && value < Integer.MAX_VALUE) {
			value = value * 10 + (bytes[at[0]++] - '0');
		}
		if (at[0] == start || at[0] + 1 >= bytes.length || bytes[at[0]] != '\r' || bytes[at[0] + 1] != '\n') {
			return -1;
		}
		at[0] += 2;
		return value;
	}

}
