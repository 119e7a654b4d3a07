package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Operations over real HTTP: hot reload under load, self-healing after traps, deadlines
 * and memory caps, and what the actuator endpoint, health and meters show.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("ops")
class OperationsTests {

	static final EchoUpstream upstream = new EchoUpstream();

	static final Path pluginFile = createPluginFile();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@AfterAll
	static void stop() throws IOException {
		upstream.close();
		Files.deleteIfExists(pluginFile);
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
		registry.add("test.plugin-file", pluginFile::toString);
	}

	static Path createPluginFile() {
		try {
			Path file = Files.createTempFile("swappable", ".wasm");
			Files.write(file, fixture("abi010-three-param"));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static byte[] fixture(String name) {
		try (InputStream in = OperationsTests.class.getResourceAsStream("/fixtures/" + name + ".wasm")) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Replaces the plugin file the way a deployment does: write beside it, then move over
	 * it.
	 */
	static void replacePlugin(byte[] bytes) throws IOException {
		Path temporary = Files.createTempFile(pluginFile.getParent(), "next", ".wasm");
		Files.write(temporary, bytes);
		Files.move(temporary, pluginFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	WebClient client() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	String get(String path) {
		return client().get().uri(path).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

	/** The body whatever the status (health answers 503 when DOWN). */
	String json(String path) {
		return client().get()
			.uri(path)
			.exchangeToMono((response) -> response.bodyToMono(String.class))
			.block(Duration.ofSeconds(10));
	}

	@Test
	void upstreamPoolPerEventLoopCanBeSwitchedOff(@Autowired reactor.netty.http.client.HttpClient gatewayClient) {
		// application-ops.yml switches it off: these tests run on Spring Cloud Gateway's
		// own pool
		assertThat(gatewayClient.configuration().connectionProvider()).isNotInstanceOf(EventLoopConnectionPools.class);
	}

	@Test
	void pluginReplacedOnDiskUnderLoadTakesOverWithoutAFailedRequest() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger failures = new AtomicInteger();
		Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
		Flux<Void> load = Flux.range(0, 4)
			.flatMap((worker) -> Flux.<Integer>generate((sink) -> sink.next(worker))
				.takeWhile((w) -> running.get())
				.concatMap((w) -> client().get()
					.uri("/swap/item")
					.exchangeToMono((response) -> response.bodyToMono(String.class).map((body) -> {
						if (!response.statusCode().is2xxSuccessful()) {
							failures.incrementAndGet();
						}
						String version = body.contains("x-fixture: abi010-two-param") ? "v2" : "v1";
						versions.computeIfAbsent(version, (key) -> new AtomicInteger()).incrementAndGet();
						return body;
					}))
					.onErrorResume((error) -> {
						failures.incrementAndGet();
						return Mono.empty();
					})
					.then()));
		Thread loader = new Thread(() -> load.blockLast());
		loader.start();
		byte[] v1 = fixture("abi010-three-param");
		byte[] v2 = fixture("abi010-two-param");
		for (byte[] next : List.of(v2, v1, v2)) {
			replacePlugin(next);
			String expected = (next == v2) ? "x-fixture: abi010-two-param" : "x-fixture: abi010-three-param";
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get("/swap/check").contains(expected));
		}
		running.set(false);
		loader.join(10_000);
		assertThat(failures.get()).isZero();
		assertThat(versions.keySet()).containsExactlyInAnyOrder("v1", "v2");
		String plugin = json("/actuator/wasmplugins/swappable");
		assertThat((String) JsonPath.read(plugin, "$.lastReload.result")).isEqualTo("success");
		assertThat(this.meters.get("wasm.plugin.reloads")
			.tags("plugin", "swappable", "result", "success")
			.functionCounter()
			.count()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void corruptBinaryOnDiskKeepsTheOldVersionServingAndHealthSaysWhyUntilAGoodFileReturns() throws Exception {
		replacePlugin(fixture("abi010-three-param"));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> get("/swap/check").contains("x-fixture: abi010-three-param"));
		replacePlugin("this is not wasm".getBytes());
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> json("/actuator/health").contains("reloadFailed"));
		assertThat(get("/swap/still")).contains("x-fixture: abi010-three-param");
		String health = json("/actuator/health");
		assertThat((String) JsonPath.read(health, "$.components.wasmPlugins.status")).isEqualTo("UP");
		assertThat((String) JsonPath.read(health, "$.components.wasmPlugins.details.swappable.reloadFailed"))
			.contains("is not a WebAssembly binary");
		String plugin = json("/actuator/wasmplugins/swappable");
		assertThat((String) JsonPath.read(plugin, "$.lastReload.result")).isEqualTo("failure");
		// the version serving put back: a good file again, which clears the failure
		replacePlugin(fixture("abi010-three-param"));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> !json("/actuator/health").contains("reloadFailed"));
		assertThat((String) JsonPath.read(json("/actuator/wasmplugins/swappable"), "$.lastReload.result"))
			.isEqualTo("success");
		assertThat(get("/swap/after")).contains("x-fixture: abi010-three-param");
	}

	@Test
	void trapOnAMarkedRequestIsAnsweredPerPolicyAndTheEndpointShowsItsStack() {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			boolean marked = i % 3 == 0;
			statuses.add(client().get().uri("/trap/" + i).headers((h) -> {
				if (marked) {
					h.add("x-trap", "1");
				}
			}).exchangeToMono((response) -> Mono.just(response.statusCode().value())).block(Duration.ofSeconds(10)));
		}
		assertThat(statuses).containsExactly(503, 200, 200, 503, 200, 200);
		String plugin = json("/actuator/wasmplugins/trapper");
		assertThat((Integer) JsonPath.read(plugin, "$.traps")).isEqualTo(2);
		assertThat((Integer) JsonPath.read(plugin, "$.rebuilds")).isGreaterThanOrEqualTo(1);
		assertThat((String) JsonPath.read(plugin, "$.recentTraps[0].kind")).isEqualTo("TRAP");
		assertThat((String) JsonPath.read(plugin, "$.recentTraps[0].callback")).isEqualTo("proxy_on_request_headers");
		assertThat((String) JsonPath.read(plugin, "$.recentTraps[0].route")).isEqualTo("trap");
		assertThat((List<String>) JsonPath.read(plugin, "$.recentTraps[0].wasmStack")).first()
			.asString()
			.startsWith("crash_here[");
		assertThat(this.meters.get("wasm.plugin.failures")
			.tags("plugin", "trapper", "route", "trap", "phase", "request_headers", "kind", "trap")
			.counter()
			.count()).isEqualTo(2);
	}

	@Test
	void infiniteLoopIsEndedAtTheDeadlineAndTheGatewayKeepsServing() {
		int status = client().get()
			.uri("/loop/x")
			.header("x-loop", "1")
			.exchangeToMono((response) -> Mono.just(response.statusCode().value()))
			.block(Duration.ofSeconds(10));
		assertThat(status).isEqualTo(503);
		assertThat(get("/loop/y")).contains("x-ok: 1");
		String plugin = json("/actuator/wasmplugins/looper");
		assertThat((String) JsonPath.read(plugin, "$.recentTraps[0].kind")).isEqualTo("TIMEOUT");
	}

	@Test
	void memoryHogHitsTheCapFailsOpenAndTheVmIsRebuilt() {
		String body = get("/hog/x?grow");
		assertThat(body).startsWith("GET /hog/x");
		String grown = client().get()
			.uri("/hog/y")
			.header("x-grow", "1")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		assertThat(grown).startsWith("GET /hog/y").doesNotContain("x-ok");
		assertThat(get("/hog/z")).contains("x-ok: 1");
		String plugin = json("/actuator/wasmplugins/hog");
		assertThat((String) JsonPath.read(plugin, "$.recentTraps[0].kind")).isEqualTo("MEMORY_LIMIT");
		List<Map<String, Object>> vms = JsonPath.read(plugin, "$.vms");
		assertThat(vms).allSatisfy(
				(vm) -> assertThat(((Number) vm.get("memoryBytes")).longValue()).isLessThanOrEqualTo(4L * 1024 * 1024));
		assertThat(this.meters.get("wasm.plugin.vm.memory").tags("plugin", "hog").gauge().value()).isPositive();
	}

	@Test
	void endpointListsEveryPluginWithItsBinaryModeRoutesAndVms() {
		get("/trap/ok");
		String all = json("/actuator/wasmplugins");
		Map<String, Object> plugins = JsonPath.read(all, "$");
		assertThat(plugins).containsKeys("swappable", "trapper", "looper", "hog");
		assertThat((String) JsonPath.read(all, "$.trapper.mode")).isEqualTo("aot");
		assertThat((String) JsonPath.read(all, "$.trapper.abiVersion")).isEqualTo("proxy_abi_version_0_2_1");
		assertThat((String) JsonPath.read(all, "$.trapper.sha256")).hasSize(64);
		assertThat((String) JsonPath.read(all, "$.trapper.location"))
			.isEqualTo("classpath:fixtures/trap-on-marker.wasm");
		assertThat((List<String>) JsonPath.read(all, "$.trapper.routes")).containsExactly("trap");
		assertThat((List<Object>) JsonPath.read(all, "$.trapper.vms")).isNotEmpty();
		assertThat((String) JsonPath.read(all, "$.trapper.vms[0].state")).isIn("READY", "FAILED");
		assertThat(all).doesNotContain("configuration");
		assertThat(this.meters.get("wasm.plugin.call")
			.tags("plugin", "trapper", "route", "trap", "phase", "request_headers")
			.timer()
			.count()).isPositive();
	}

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	@Test
	void routeRefreshKeepsTheVmsOfUnchangedPlugins() {
		get("/loop/before");
		List<Integer> before = JsonPath.read(json("/actuator/wasmplugins/looper"), "$.vms[*].id");
		this.events.publishEvent(new org.springframework.cloud.gateway.event.RefreshRoutesEvent(this));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get("/loop/after").contains("x-ok: 1"));
		List<Integer> after = JsonPath.read(json("/actuator/wasmplugins/looper"), "$.vms[*].id");
		assertThat(after).containsAll(before);
		assertThat((List<String>) JsonPath.read(json("/actuator/wasmplugins/looper"), "$.routes"))
			.containsExactly("loop");
	}

	@Test
	void postToThePluginForcesAReload() {
		String reload = client().post()
			.uri("/actuator/wasmplugins/trapper")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		assertThat((String) JsonPath.read(reload, "$.result")).isEqualTo("success");
		assertThat(get("/trap/after-reload")).contains("x-ok: 1");
	}

}
