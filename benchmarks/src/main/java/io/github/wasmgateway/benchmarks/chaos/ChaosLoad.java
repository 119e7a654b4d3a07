package io.github.wasmgateway.benchmarks.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of benchmarks/chaos/run.sh: a fixed number of connections, each
 * sending requests back to back for a while, every request of a known kind (a route,
 * headers, and how often it comes), so that each answer is counted against what was
 * asked: a trap request's 503 is expected, any other request's 503 is a failure. Prints
 * one {@code RESULT} line per kind for the script to parse.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.wasmgateway.benchmarks.chaos.ChaosLoad \
 *     base=http://127.0.0.1:8080 connections=8 duration=20s \
 *     'kind=ok|/chaos/storm/x' 'kind=poison|/chaos/storm/x|x-trap=1|every=100'
 * </pre>
 *
 * A kind is {@code name|path[|header=value]...[|every=N][|count=TEXT]...}: with
 * {@code every=N} it is the N-th request of each connection (the others are the kinds
 * without it, in turn); {@code count=TEXT} counts the answers whose body contains TEXT
 * (reported as {@code seen_TEXT=N}, spaces as {@code _}). {@code timeout=} bounds each
 * request (default 30s).
 */
public final class ChaosLoad {

	private ChaosLoad() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		List<Kind> kinds = new ArrayList<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			if (eq < 0) {
				throw new IllegalArgumentException("not key=value: " + arg);
			}
			String key = arg.substring(0, eq);
			String value = arg.substring(eq + 1);
			if (key.equals("kind")) {
				kinds.add(Kind.parse(value));
			}
			else {
				options.put(key, value);
			}
		}
		String base = options.getOrDefault("base", "http://127.0.0.1:8080");
		int connections = Integer.parseInt(options.getOrDefault("connections", "4"));
		Duration duration = parseDuration(options.getOrDefault("duration", "10s"));
		Duration timeout = parseDuration(options.getOrDefault("timeout", "30s"));
		if (kinds.isEmpty()) {
			throw new IllegalArgumentException("no kind=... given");
		}
		run(base, connections, duration, timeout, kinds);
		for (Kind kind : kinds) {
			System.out.println(kind.result());
		}
	}

	/** A request to the readiness probe, which no plugin sees, whatever it answers. */
	static void warmUp(HttpClient client, String base, Duration timeout) throws InterruptedException {
		try {
			client.send(
					HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).timeout(timeout).build(),
					HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException ex) {
			// measured requests will fail and be counted
		}
	}

	static Duration parseDuration(String text) {
		if (text.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
		}
		if (text.endsWith("s")) {
			return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
		}
		if (text.endsWith("m")) {
			return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
		}
		return Duration.ofSeconds(Long.parseLong(text));
	}

	static void run(String base, int connections, Duration duration, Duration timeout, List<Kind> kinds)
			throws InterruptedException {
		List<Kind> steady = kinds.stream().filter((kind) -> kind.every == 0).toList();
		List<Kind> periodic = kinds.stream().filter((kind) -> kind.every > 0).toList();
		CountDownLatch ready = new CountDownLatch(connections);
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(connections);
		AtomicLong end = new AtomicLong();
		for (int c = 0; c < connections; c++) {
			int connection = c;
			Thread worker = new Thread(() -> {
				// one client per worker: one connection each, kept alive
				HttpClient client = HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(Duration.ofSeconds(5))
					.build();
				try {
					// the client's first request (class loading, the connection) is not
					// measured: on a loaded machine it takes seconds
					warmUp(client, base, timeout);
					ready.countDown();
					start.await();
					long n = connection;
					while (System.nanoTime() - end.get() < 0) {
						n++;
						Kind kind = pick(n, steady, periodic);
						if (kind != null) {
							kind.send(client, base, timeout);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					done.countDown();
				}
			}, "chaos-load-" + c);
			worker.setDaemon(true);
			worker.start();
		}
		ready.await();
		end.set(System.nanoTime() + duration.toNanos());
		start.countDown();
		done.await();
	}

	private static Kind pick(long n, List<Kind> steady, List<Kind> periodic) {
		for (Kind kind : periodic) {
			if (n % kind.every == 0) {
				return kind;
			}
		}
		return steady.isEmpty() ? null : steady.get((int) (n % steady.size()));
	}

	/** One kind of request and what came back for it. */
	static final class Kind {

		final String name;

		final String path;

		final List<String> headers;

		final long every;

		final List<String> counted;

		private final Map<String, AtomicLong> seen = new LinkedHashMap<>();

		private final Map<Integer, AtomicLong> statuses = new TreeMap<>();

		private final AtomicLong errors = new AtomicLong();

		private final List<long[]> latencies = new ArrayList<>();

		private Kind(String name, String path, List<String> headers, long every, List<String> counted) {
			this.name = name;
			this.path = path;
			this.headers = headers;
			this.every = every;
			this.counted = counted;
			counted.forEach((text) -> this.seen.put(text, new AtomicLong()));
		}

		static Kind parse(String spec) {
			String[] parts = spec.split("\\|");
			if (parts.length < 2) {
				throw new IllegalArgumentException(
						"kind is name|path[|header=value]...[|every=N][|count=TEXT]...: " + spec);
			}
			List<String> headers = new ArrayList<>();
			List<String> counted = new ArrayList<>();
			long every = 0;
			for (int i = 2; i < parts.length; i++) {
				int eq = parts[i].indexOf('=');
				String key = parts[i].substring(0, eq);
				String value = parts[i].substring(eq + 1);
				if (key.equals("every")) {
					every = Long.parseLong(value);
				}
				else if (key.equals("count")) {
					counted.add(value);
				}
				else {
					headers.add(key);
					headers.add(value);
				}
			}
			return new Kind(parts[0], parts[1], headers, every, counted);
		}

		void send(HttpClient client, String base, Duration timeout) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + this.path)).timeout(timeout);
			for (int i = 0; i < this.headers.size(); i += 2) {
				request.header(this.headers.get(i), this.headers.get(i + 1));
			}
			long started = System.nanoTime();
			int status;
			try {
				if (this.counted.isEmpty()) {
					status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
				}
				else {
					HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
					status = response.statusCode();
					for (String text : this.counted) {
						if (response.body().contains(text)) {
							this.seen.get(text).incrementAndGet();
						}
					}
				}
			}
			catch (IOException ex) {
				status = -1;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			long micros = (System.nanoTime() - started) / 1000;
			synchronized (this) {
				if (status < 0) {
					this.errors.incrementAndGet();
				}
				else {
					this.statuses.computeIfAbsent(status, (code) -> new AtomicLong()).incrementAndGet();
				}
				if (this.latencies.isEmpty() || this.latencies.get(this.latencies.size() - 1)[0] == 4096) {
					this.latencies.add(new long[4097]);
				}
				long[] block = this.latencies.get(this.latencies.size() - 1);
				block[(int) ++block[0]] = micros;
			}
		}

		synchronized String result() {
			long[] all = this.latencies.stream()
				.flatMapToLong((block) -> Arrays.stream(block, 1, (int) block[0] + 1))
				.sorted()
				.toArray();
			StringBuilder line = new StringBuilder("RESULT kind=").append(this.name)
				.append(" sent=")
				.append(all.length)
				.append(" errors=")
				.append(this.errors.get());
			this.statuses.forEach((status, count) -> line.append(" status_").append(status).append('=').append(count));
			this.seen.forEach((text, count) -> line.append(" seen_")
				.append(text.replaceAll("[^A-Za-z0-9]+", "_"))
				.append('=')
				.append(count));
			line.append(" p50_us=")
				.append(percentile(all, 50))
				.append(" p99_us=")
				.append(percentile(all, 99))
				.append(" max_us=")
				.append((all.length > 0) ? all[all.length - 1] : 0);
			return line.toString();
		}

		private static long percentile(long[] sorted, int percent) {
			if (sorted.length == 0) {
				return 0;
			}
			int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
		}

	}

}
