package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chaos suite's scenarios (benchmarks/chaos/run.sh) at a small scale, on one packaged
 * gateway with the demo's profiles "chaos" and "redis" and one event loop (so that
 * requests share a VM): each fault costs only the requests it hits, and the gateway shows
 * and heals it. Behaviour only; the figures are the suite's (docs/operations.md).
 */
class ChaosIT {

	static final JsonMapper json = JsonMapper.builder().build();

	static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	/** How long a condition may take to hold: a guard against a hang, not a figure. */
	static final Duration PATIENCE = Duration.ofSeconds(60);

	static Path reloadFile;

	static Blackhole blackhole;

	static RedisServer redis;

	static DemoGateway gateway;

	@BeforeAll
	static void start() throws Exception {
		reloadFile = Files.createTempFile("chaos-reload", ".wasm");
		Files.write(reloadFile, fixture("trap-on-marker"));
		blackhole = new Blackhole();
		redis = RedisServer.start();
		gateway = DemoGateway.start(List.of("-Dreactor.netty.ioWorkerCount=1"), "--spring.profiles.active=chaos,redis",
				"--chaos.reload-location=file:" + reloadFile, "--chaos.blackhole-port=" + blackhole.port(),
				"--spring.data.redis.url=redis://127.0.0.1:" + redis.port);
	}

	@AfterAll
	static void stop() throws Exception {
		if (gateway != null) {
			gateway.close();
		}
		if (redis != null) {
			redis.close();
		}
		if (blackhole != null) {
			blackhole.close();
		}
		if (reloadFile != null) {
			Files.deleteIfExists(reloadFile);
		}
	}

	@Test
	void eachTrapCostsOnlyItsOwnRequest() throws Exception {
		int connections = 4;
		int perConnection = 50;
		List<CompletableFuture<Map<String, List<Integer>>>> runs = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			int offset = c;
			runs.add(CompletableFuture.supplyAsync(() -> {
				Map<String, List<Integer>> statuses = Map.of("trap", new ArrayList<>(), "ok", new ArrayList<>());
				for (int i = 0; i < perConnection; i++) {
					boolean trap = (i + offset) % 10 == 0;
					statuses.get(trap ? "trap" : "ok")
						.add(status(trap ? request("/chaos/storm/x", "x-trap", "1") : request("/chaos/storm/x")));
				}
				return statuses;
			}));
		}
		Map<String, List<Integer>> statuses = new TreeMap<>(Map.of("trap", new ArrayList<>(), "ok", new ArrayList<>()));
		for (CompletableFuture<Map<String, List<Integer>>> run : runs) {
			run.get().forEach((kind, codes) -> statuses.get(kind).addAll(codes));
		}
		// one request in ten traps, far more than the 1% of the suite
		assertThat(statuses.get("trap")).hasSize(connections * perConnection / 10).containsOnly(503);
		assertThat(statuses.get("ok")).hasSize(connections * perConnection * 9 / 10).containsOnly(200);
	}

	@Test
	void requestsWaitingForCalloutsAreAnsweredAtOnceWhenTheirVmFails() throws Exception {
		int waiting = 4;
		// a first callout sets up the gateway's HTTP client
		assertThat(
				calloutOutcome(send(request("/chaos/wait/x", "x-op", "http-call", "x-cluster", "chaos-echo")).body()))
			.isEqualTo("0/200");
		int before = activeStreams("chaos-exerciser");
		List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < waiting; i++) {
			// callouts to the upstream that never answers, with a one-minute timeout
			answers.add(client.sendAsync(
					request("/chaos/wait/x", "x-op", "http-call", "x-cluster", "chaos-hang", "x-timeout", "60000"),
					HttpResponse.BodyHandlers.ofString()));
		}
		awaitTrue("the callouts are out", () -> activeStreams("chaos-exerciser") == before + waiting);
		assertThat(status(request("/chaos/wait/x", "x-op", "trap"))).isEqualTo(503);
		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			// the failure policy's answer: the stream timeout would answer 504, the
			// callout's
			// own timeout comes after a minute
			assertThat(answer.get().statusCode()).isEqualTo(503);
		}
	}

	@Test
	void aFailureInAResponsePhaseFailsOpenOrClosedAsConfigured() {
		HttpResponse<String> open = send(request("/chaos/open/x", "x-response-op", "trap"));
		assertThat(open.statusCode()).isEqualTo(200);
		assertThat(open.body()).contains("GET /chaos/open/x");
		HttpResponse<String> closed = send(request("/chaos/closed/x", "x-response-op", "trap"));
		assertThat(closed.statusCode()).isEqualTo(503);
		assertThat(closed.body()).doesNotContain("GET /chaos/closed/x");
	}

	@Test
	void aPluginFileReplacedUnderLoadServesBothVersionsAndACorruptOneNeverServes() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		List<HttpResponse<String>> answers = new CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> load = new ArrayList<>();
		for (int c = 0; c < 2; c++) {
			load.add(CompletableFuture.runAsync(() -> {
				while (running.get()) {
					answers.add(send(request("/chaos/reload/x", "x-a", "1", "x-b", "1")));
				}
			}));
		}
		byte[] oldVersion = fixture("trap-on-marker");
		byte[] newVersion = fixture("bench-headers");
		for (byte[] next : List.of(newVersion, oldVersion, newVersion, oldVersion)) {
			replace(reloadFile, next);
			String shows = (next == newVersion) ? "x-c: 2" : "x-ok: 1";
			awaitTrue("the new version serves",
					() -> send(request("/chaos/reload/x", "x-a", "1", "x-b", "1")).body().contains(shows));
		}
		running.set(false);
		CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get();
		assertThat(answers).isNotEmpty().allSatisfy((answer) -> assertThat(answer.statusCode()).isEqualTo(200));
		assertThat(answers).anySatisfy((answer) -> assertThat(answer.body()).contains("x-ok: 1"));
		assertThat(answers).anySatisfy((answer) -> assertThat(answer.body()).contains("x-c: 2"));

		replace(reloadFile, "not a wasm module".getBytes());
		awaitTrue("health shows the failed reload", () -> pluginHealth("chaos-reload").has("reloadFailed"));
		assertThat(send(request("/chaos/reload/x")).body()).contains("x-ok: 1");
		assertThat(plugin("chaos-reload").path("lastReload").path("result").asString()).isEqualTo("failure");

		// the version serving put back: the failure clears
		replace(reloadFile, oldVersion);
		awaitTrue("health clears", () -> !pluginHealth("chaos-reload").has("reloadFailed"));
		assertThat(plugin("chaos-reload").path("lastReload").path("result").asString()).isEqualTo("success");
		assertThat(send(request("/chaos/reload/x")).body()).contains("x-ok: 1");
	}

	@Test
	void aLoopingRequestIsAnsweredAtItsDeadlineWhileAnotherRouteKeepsServing() throws Exception {
		long failures = plugin("chaos-loop").path("traps").asLong();
		long rebuilds = plugin("chaos-loop").path("rebuilds").asLong();
		AtomicBoolean running = new AtomicBoolean(true);
		CompletableFuture<List<Integer>> other = CompletableFuture.supplyAsync(() -> {
			List<Integer> statuses = new ArrayList<>();
			while (running.get() || statuses.size() < 5) {
				statuses.add(status(request("/chaos/plain/x", "x-a", "1", "x-b", "2")));
			}
			return statuses;
		});
		assertThat(status(request("/chaos/loop/x", "x-loop", "1"))).isEqualTo(503);
		running.set(false);
		assertThat(other.get()).containsOnly(200);
		assertThat(plugin("chaos-loop").path("traps").asLong()).isEqualTo(failures + 1);
		assertThat(plugin("chaos-loop").path("recentTraps").get(0).path("kind").asString()).isEqualTo("TIMEOUT");
		assertThat(status(request("/chaos/loop/x"))).isEqualTo(200);
		assertThat(plugin("chaos-loop").path("rebuilds").asLong()).isGreaterThan(rebuilds);
	}

	@Test
	void aPluginGrowingToItsMemoryCapFailsOnlyItsOwnRequest() {
		long failures = plugin("chaos-hog").path("traps").asLong();
		for (int i = 0; i < 5; i++) {
			assertThat(status(request("/chaos/hog/x", "x-grow", "1"))).isEqualTo(503);
			assertThat(send(request("/chaos/hog/x")).body()).contains("x-ok: 1");
		}
		assertThat(plugin("chaos-hog").path("traps").asLong()).isEqualTo(failures + 5);
	}

	@Test
	void calloutsToBadTargetsGiveThePluginAnErrorAndKillNoVm() {
		long failures = plugin("chaos-exerciser").path("traps").asLong();
		List<String[]> targets = List.of(new String[] { "x-cluster", "chaos-echo", "x-path", "/a b" },
				new String[] { "x-cluster", "chaos-echo", "x-path", "/a\tb" },
				// a 70 kB path, built by the plugin: no client sends such a header
				new String[] { "x-cluster", "chaos-echo", "x-path", "/a", "x-path-repeat", "35000" },
				new String[] { "x-cluster", "nowhere" }, new String[] { "x-cluster", "http://127.0.0.1:1/" });
		for (String[] target : targets) {
			List<String> headers = new ArrayList<>(List.of("x-op", "http-call"));
			headers.addAll(List.of(target));
			HttpResponse<String> answer = send(request("/chaos/wait/x", headers.toArray(String[]::new)));
			assertThat(answer.statusCode()).as(String.join(" ", target)).isEqualTo(200);
			assertThat(calloutOutcome(answer.body())).as(String.join(" ", target))
				.matches("[1-9][0-9]*|0/(failed|[45][0-9][0-9])");
		}
		assertThat(plugin("chaos-exerciser").path("traps").asLong()).isEqualTo(failures);
		assertThat(status(request("/chaos/plain/x", "x-a", "1", "x-b", "2"))).isEqualTo(200);
	}

	/**
	 * What the exerciser got, as the echo upstream shows the headers it added: the status
	 * of proxy_http_call, and when the call went out, the callout's answer.
	 */
	static String calloutOutcome(String body) {
		String status = headerLine(body, "x-status");
		if (!"0".equals(status)) {
			return status;
		}
		String reply = headerLine(body, "x-callout-status");
		return "0/" + ((headerLine(body, "x-callout-failed") != null) ? "failed" : reply);
	}

	static String headerLine(String body, String name) {
		for (String line : body.split("\r?\n")) {
			if (line.startsWith(name + ": ")) {
				return line.substring(name.length() + 2);
			}
		}
		return null;
	}

	@Test
	void anUpstreamThatNeverAnswersHoldsOnlyItsOwnRoute() throws Exception {
		int hung = 4;
		int accepted = blackhole.accepted.availablePermits();
		List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
		for (int i = 0; i < hung; i++) {
			held.add(client.sendAsync(request("/chaos/blackhole/x"), HttpResponse.BodyHandlers.ofString()));
		}
		awaitTrue("the upstream holds the requests", () -> blackhole.accepted.availablePermits() >= accepted + hung);
		for (int i = 0; i < 20; i++) {
			assertThat(status(request("/chaos/plain/x", "x-a", "1", "x-b", "2"))).isEqualTo(200);
		}
		assertThat(held).noneMatch(CompletableFuture::isDone);
		blackhole.hangUp();
		for (CompletableFuture<HttpResponse<String>> answer : held) {
			assertThat(answer.get().statusCode()).isGreaterThanOrEqualTo(500);
		}
	}

	@Test
	void redisDownLetsRequestsThroughAndTheLimitHoldsAgainWhenItReturns() throws Exception {
		// the demo's limit: 5 a minute for x-user demo, counted in Redis; 11 requests
		// reach it even when a minute ends among them
		List<Integer> before = statuses("/cluster-limited/x", 11, "x-user", "demo");
		assertThat(before.subList(0, 5)).containsOnly(200);
		assertThat(before).contains(429);
		redis.stop();
		// the plugin's documented policy (docs/redis.md): a request it cannot count goes
		// through
		assertThat(statuses("/cluster-limited/x", 7, "x-user", "demo")).containsOnly(200);
		redis.restart();
		awaitTrue("the limit holds again", () -> statuses("/cluster-limited/x", 11, "x-user", "demo").contains(429));
	}

	@Test
	void aBurstLeavesNoStreamsVmsOrMetersBehind() throws Exception {
		statuses("/key/x", 50, "x-api-key", "bob-key");
		int vms = vmCount();
		int meters = meterCount();
		assertThat(statuses("/key/x", 200, "x-api-key", "bob-key")).containsOnly(200);
		awaitTrue("no stream stays open", () -> activeStreams("key-auth") == 0);
		assertThat(vmCount()).isEqualTo(vms);
		assertThat(meterCount()).isEqualTo(meters);
	}

	// --- requests and the actuator
	// --------------------------------------------------------

	static HttpRequest request(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)))
			.timeout(Duration.ofMinutes(2));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return request.build();
	}

	static HttpResponse<String> send(HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static int status(HttpRequest request) {
		return send(request).statusCode();
	}

	static List<Integer> statuses(String path, int count, String... headers) {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			statuses.add(status(request(path, headers)));
		}
		return statuses;
	}

	static JsonNode actuator(String path) {
		return json.readTree(send(request("/actuator/" + path)).body());
	}

	static JsonNode plugin(String name) {
		return actuator("wasmplugins/" + name);
	}

	static JsonNode pluginHealth(String name) {
		return actuator("health").path("components").path("wasmPlugins").path("details").path(name);
	}

	static int activeStreams(String plugin) {
		int streams = 0;
		for (JsonNode vm : plugin(plugin).path("vms")) {
			streams += vm.path("activeStreams").asInt();
		}
		return streams;
	}

	static int vmCount() {
		int vms = 0;
		for (JsonNode plugin : actuator("wasmplugins")) {
			vms += plugin.path("vms").size();
		}
		return vms;
	}

	static int meterCount() {
		return actuator("metrics").path("names").size();
	}

	static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + ": not within " + PATIENCE.toSeconds() + " s");
			}
			Thread.sleep(100);
		}
	}

	// --- files and servers
	// ----------------------------------------------------------------

	static byte[] fixture(String name) {
		try (InputStream in = ChaosIT.class.getResourceAsStream("/fixtures/" + name + ".wasm")) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Replaces a file as a deployment does: written beside it, then moved over it. */
	static void replace(Path file, byte[] bytes) throws IOException {
		Path next = Files.createTempFile(file.getParent(), "next", ".wasm");
		Files.write(next, bytes);
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** An upstream that accepts connections and never answers. */
	static final class Blackhole implements AutoCloseable {

		final ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());

		final List<Socket> held = new CopyOnWriteArrayList<>();

		/** One permit per accepted connection. */
		final Semaphore accepted = new Semaphore(0);

		Blackhole() throws IOException {
			Thread acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						this.held.add(this.server.accept());
						this.accepted.release();
					}
					catch (IOException ex) {
						// closed
					}
				}
			}, "blackhole");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		/** Closes the connections it holds. */
		void hangUp() throws IOException {
			for (Socket socket : this.held) {
				socket.close();
			}
			this.held.clear();
		}

		@Override
		public void close() throws IOException {
			hangUp();
			this.server.close();
		}

	}

	/** A redis-server of the test's own on a free loopback port. */
	static final class RedisServer implements AutoCloseable {

		final int port;

		private Process process;

		private RedisServer(int port) {
			this.port = port;
		}

		static RedisServer start() throws Exception {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			RedisServer server = new RedisServer(port);
			server.restart();
			return server;
		}

		/** Starts redis-server on its port; fails when it cannot. */
		void restart() throws Exception {
			this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			awaitTrue("redis-server answers on " + this.port, () -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("redis-server exited with " + this.process.exitValue());
				}
				try (Socket socket = new Socket("127.0.0.1", this.port)) {
					socket.getOutputStream().write("PING\r\n".getBytes());
					return socket.getInputStream().read() == '+';
				}
				catch (IOException ex) {
					return false;
				}
			});
		}

		void stop() throws InterruptedException {
			this.process.destroy();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

}
