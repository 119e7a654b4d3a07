package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.host.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory Redis behind the engine's {@link RedisClient}: parses the RESP commands a
 * plugin sends, runs INCR/EXPIRE/TTL/GET/SET/PING and the fixed-window EVAL script of
 * cluster-key-rate-limit against a map with expiry on the test clock, and answers RESP.
 * It can be made to fail, to answer garbage, or to hold replies.
 */
final class FakeRedis implements RedisClient {

	enum Mode {

		/** Answers at once. */
		NORMAL,
		/** Completes every call with a failure status (connection refused). */
		DOWN,
		/** Answers bytes that are not RESP. */
		GARBAGE,
		/** Keeps completions until {@link #releaseHeld()}. */
		HOLD

	}

	private final TestClock clock;

	final List<String> initialized = new CopyOnWriteArrayList<>();

	final List<List<String>> commands = new CopyOnWriteArrayList<>();

	final List<Runnable> held = new CopyOnWriteArrayList<>();

	private final Map<String, Long> values = new HashMap<>();

	private final Map<String, Long> expiresAtSeconds = new HashMap<>();

	volatile Mode mode = Mode.NORMAL;

	volatile boolean knowsClusters = true;

	FakeRedis(TestClock clock) {
		this.clock = clock;
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
		this.commands.add(command);
		switch (this.mode) {
			case DOWN -> completion.complete(1, new byte[0]);
			case GARBAGE -> completion.complete(0, "not resp at all".getBytes(StandardCharsets.UTF_8));
			case HOLD -> {
				byte[] reply = execute(command);
				this.held.add(() -> completion.complete(0, reply));
			}
			default -> completion.complete(0, execute(command));
		}
		return true;
	}

	void releaseHeld() {
		List<Runnable> pending = new ArrayList<>(this.held);
		this.held.clear();
		pending.forEach(Runnable::run);
	}

	synchronized Long value(String key) {
		expire(key);
		return this.values.get(key);
	}

	private synchronized byte[] execute(List<String> command) {
		if (command == null || command.isEmpty()) {
			return error("ERR protocol error");
		}
		String name = command.get(0).toUpperCase();
		switch (name) {
			case "PING":
				return "+PONG\r\n".getBytes(StandardCharsets.UTF_8);
			case "INCR": {
				String key = command.get(1);
				expire(key);
				long value = this.values.getOrDefault(key, 0L) + 1;
				this.values.put(key, value);
				return integer(value);
			}
			case "EXPIRE": {
				String key = command.get(1);
				expire(key);
				if (!this.values.containsKey(key)) {
					return integer(0);
				}
				this.expiresAtSeconds.put(key, this.clock.epochSeconds() + Long.parseLong(command.get(2)));
				return integer(1);
			}
			case "TTL":
				return integer(ttl(command.get(1)));
			case "GET": {
				Long value = value(command.get(1));
				return (value != null) ? bulk(Long.toString(value)) : "$-1\r\n".getBytes(StandardCharsets.UTF_8);
			}
			case "EVAL":
				return eval(command);
			default:
				return error("ERR unknown command '" + command.get(0) + "'");
		}
	}

	/**
	 * The fixed-window script: {count, remaining, reset} with KEYS[1], ARGV[1]=count,
	 * ARGV[2]=window.
	 */
	private byte[] eval(List<String> command) {
		String script = command.get(1);
		if (!script.contains("ttl") || !script.contains("incrby")) {
			return error("ERR fake redis runs only the fixed-window script");
		}
		String key = command.get(3);
		long count = Long.parseLong(command.get(4));
		long window = Long.parseLong(command.get(5));
		long ttl = ttl(key);
		if (ttl < 0) {
			this.values.put(key, count - 1);
			this.expiresAtSeconds.put(key, this.clock.epochSeconds() + window);
			return array(count, count - 1, window);
		}
		long remaining = this.values.get(key) - 1;
		this.values.put(key, remaining);
		return array(count, remaining, ttl);
	}

	private long ttl(String key) {
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

	private static byte[] integer(long value) {
		return (":" + value + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] bulk(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		return ("$" + bytes.length + "\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] error(String message) {
		return ("-" + message + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] array(long... values) {
		StringBuilder reply = new StringBuilder("*").append(values.length).append("\r\n");
		for (long value : values) {
			reply.append(':').append(value).append("\r\n");
		}
		return reply.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** A RESP array of bulk strings, as clients send commands; null when malformed. */
	static List<String> parseCommand(byte[] bytes) {
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (!text.startsWith("*")) {
			return null;
		}
		int at = text.indexOf("\r\n");
		int count = Integer.parseInt(text.substring(1, at));
		at += 2;
		List<String> args = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			if (text.charAt(at) != '$') {
				return null;
			}
			int end = text.indexOf("\r\n", at);
			int length = Integer.parseInt(text.substring(at + 1, end));
			int start = end + 2;
			byte[] arg = new byte[length];
			// lengths are in bytes: re-encode to find the byte offset
			byte[] all = bytes;
			int byteStart = text.substring(0, start).getBytes(StandardCharsets.UTF_8).length;
			System.arraycopy(all, byteStart, arg, 0, length);
			String value = new String(arg, StandardCharsets.UTF_8);
			args.add(value);
			at = start + value.length() + 2;
		}
		return args;
	}

}
