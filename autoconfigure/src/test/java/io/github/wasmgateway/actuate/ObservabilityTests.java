package io.github.wasmgateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.github.wasmgateway.gateway.EchoUpstream;
import io.github.wasmgateway.gateway.GatewayTestApplication;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * What an operator sees of a plugin's cost over real HTTP: CPU time per plugin and route
 * (meters and the {@code wasmplugins} endpoint) and the VMs' memory.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("observe")
class ObservabilityTests {

	static final EchoUpstream upstream = new EchoUpstream();

	/** Callouts to /hold wait here until the test completes its release. */
	static final HeldCallouts callouts = new HeldCallouts();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
		registry.add("test.callouts", callouts::url);
	}

	@AfterAll
	static void stop() {
		upstream.close();
		callouts.close();
	}

	WebClient client() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void cpuTimeGrowsForAPluginThatComputesAndNotForOneWaitingOnACallout() throws Exception {
		long burns = requests("burn");
		long waits = requests("wait");
		// warm both plugins' code up first, so that what is compared is their work, not
		// the JVM's first pass over it
		for (int i = 0; i < 10; i++) {
			burn();
			assertThat(callout("/now").block(Duration.ofSeconds(30))).contains("x-callout-status");
		}
		double burnerBefore = requestCpuSeconds("burn", burns + 10);
		double waiterBefore = requestCpuSeconds("wait", waits + 10);

		// the waiter's callout is out while the burner computes
		Mono<String> waiting = callout("/hold").cache();
		waiting.subscribe();
		assertThat(callouts.held.await(30, TimeUnit.SECONDS)).isTrue();
		burn();
		callouts.release.tryEmitEmpty();
		assertThat(waiting.block(Duration.ofSeconds(30))).contains("x-callout-status");
		double burnerCpu = requestCpuSeconds("burn", burns + 11) - burnerBefore;
		double waiterCpu = requestCpuSeconds("wait", waits + 11) - waiterBefore;

		assertThat(burnerCpu).isGreaterThan(0.001);
		// the waiter's own calls (with its logging and the callout's dispatch) cost
		// little
		// next to the burner's 18 million steps, and nothing of the wait is counted
		assertThat(waiterCpu).isPositive().isLessThan(burnerCpu / 2);
		assertThat(pluginCpuSeconds("burner")).isGreaterThanOrEqualTo(burnerBefore + burnerCpu);
		assertThat(pluginCpuSeconds("waiter")).isLessThan(pluginCpuSeconds("burner"));
	}

	private void burn() {
		burn("9");
	}

	private void burn(String rounds) {
		String burned = client().get()
			.uri("/burn/x")
			.header("x-burn", rounds)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(60));
		assertThat(burned).contains("x-burned");
	}

	private Mono<String> callout(String path) {
		return client().get()
			.uri("/wait/x")
			.header("x-op", "http-call")
			.header("x-path", path)
			.retrieve()
			.bodyToMono(String.class);
	}

	@Test
	void endpointShowsEachPluginsCpuTimeAndVmMemory() {
		client().get().uri("/burn/x").retrieve().toBodilessEntity().block(Duration.ofSeconds(60));
		String json = endpoint("burner");
		long vmMemory = ((Number) JsonPath.read(json, "$.vmMemoryBytes")).longValue();
		assertThat(vmMemory).isEqualTo(2 * 65536 * ((Number) JsonPath.read(json, "$.vms.length()")).longValue());
		assertThat(((Number) JsonPath.read(json, "$.cpuNanos")).longValue()).isPositive();
		assertThat(((Number) JsonPath.read(json, "$.vms[0].cpuNanos")).longValue()).isNotNegative();
		assertThat(this.meters.get("wasm.plugin.vm.memory").tag("plugin", "burner").gauge().value())
			.isEqualTo((double) vmMemory);
		assertThat(this.meters.get("wasm.plugin.vm.memory.max").tag("plugin", "burner").gauge().value())
			.isEqualTo(2 * 65536.0);
	}

	private String endpoint(String plugin) {
		return client().get()
			.uri("/actuator/wasmplugins/" + plugin)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
	}

	@Test
	void endpointAndMetersShowTheHeapAndMetaspaceAPluginRetains() {
		String json = endpoint("burner");
		long retained = ((Number) JsonPath.read(json, "$.retainedHeapBytes")).longValue();
		long size = ((Number) JsonPath.read(json, "$.size")).longValue();
		long vmMemory = ((Number) JsonPath.read(json, "$.vmMemoryBytes")).longValue();
		// its module model and VMs: more than the binary, and the linear memory is not
		// in it
		assertThat(retained).isGreaterThan(size).isLessThan(100L * (size + 1024 * 1024));
		assertThat(((Number) JsonPath.read(json, "$.heapToBinaryRatio")).doubleValue())
			.isCloseTo((double) retained / size, org.assertj.core.data.Offset.offset(0.01));
		assertThat(((Number) JsonPath.read(json, "$.metaspaceBytes")).longValue()).isPositive();
		assertThat(vmMemory).isPositive();
		assertThat(this.meters.get("wasm.plugin.heap.retained").tag("plugin", "burner").gauge().value())
			.isGreaterThan((double) size);
		assertThat(this.meters.get("wasm.plugin.metaspace").tag("plugin", "burner").gauge().value()).isPositive();
	}

	private long requests(String route) {
		return this.meters.get("wasm.plugin.request.cpu").tag("route", route).timer().count();
	}

	@Test
	void aTaggedPluginMetricIsATaggedMeterUntilItsPluginIsReloadedAway() {
		String defined = client().get()
			.uri("/report/define")
			.header("x-op", "metric-define:counter")
			.header("x-name", "custom_header_value_counts_value=foo_reporter=wasmgosdk")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(30));
		String id = defined.lines()
			.filter((line) -> line.startsWith("x-result: "))
			.findFirst()
			.orElseThrow()
			.substring(10);
		client().get()
			.uri("/report/count")
			.header("x-op", "metric-increment:" + id)
			.header("x-value", "3")
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(30));
		assertThat(this.meters.get("custom_header_value_counts")
			.tags("value", "foo", "reporter", "wasmgosdk", "plugin", "reporter")
			.counter()
			.count()).isEqualTo(3);

		// the version a reload brings has not defined it: the meter goes with the old one
		String reload = client().post()
			.uri("/actuator/wasmplugins/reporter")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(60));
		assertThat(reload).contains("success");
		assertThat(this.meters.find("custom_header_value_counts").meters()).isEmpty();
	}

	@Test
	void endpointReportsATrapWithItsTimePhaseAndNamedWasmStack() {
		int status = client().get()
			.uri("/trap/x")
			.header("x-trap", "1")
			.exchangeToMono((response) -> Mono.just(response.statusCode().value()))
			.block(Duration.ofSeconds(10));
		assertThat(status).isEqualTo(503);
		String json = client().get()
			.uri("/actuator/wasmplugins/trapper")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		assertThat((String) JsonPath.read(json, "$.recentTraps[0].time")).isNotBlank();
		assertThat((String) JsonPath.read(json, "$.recentTraps[0].phase")).isEqualTo("request_headers");
		assertThat((String) JsonPath.read(json, "$.recentTraps[0].kind")).isEqualTo("TRAP");
		assertThat((List<String>) JsonPath.read(json, "$.recentTraps[0].wasmStack")).first()
			.asString()
			.startsWith("crash_here[");
	}

	@Test
	void flameGraphUnderLoadNamesTheBurnersHotFunctions() throws Exception {
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService load = Executors.newFixedThreadPool(2);
		try {
			for (int i = 0; i < 2; i++) {
				load.execute(() -> {
					while (!stop.get()) {
						burn("1");
					}
				});
			}
			String collapsed = "";
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			// a busy machine may leave one recording without samples of the burner: ask
			// again (the deadline only ends a broken profiler)
			while (!collapsed.contains(";mix_step[") && System.nanoTime() < deadline) {
				// an empty body (no samples) comes as null
				collapsed = Objects.requireNonNullElse(flameGraph("burner", "1", MediaType.TEXT_PLAIN).getBody(), "");
			}
			assertThat(collapsed.lines()).isNotEmpty()
				.allSatisfy((line) -> assertThat(line).matches("proxy_on_request_headers\\[\\d+\\](;\\S+)* \\d+"))
				.anySatisfy((line) -> assertThat(line).contains(";burn_cpu[").contains(";mix_step["));

			ResponseEntity<String> page = flameGraph("burner", "1", MediaType.TEXT_HTML);
			assertThat(page.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
			assertThat(page.getBody()).startsWith("<!DOCTYPE html>").contains("wasm plugin burner");
		}
		finally {
			stop.set(true);
			load.shutdown();
			assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void flameGraphRefusesAnUnknownPluginAnOutOfRangeDurationAndASecondRecordingAtOnce() {
		assertThat(flameGraph("nobody", "1", MediaType.TEXT_PLAIN).getStatusCode().value()).isEqualTo(404);
		assertThat(flameGraph("burner", "0", MediaType.TEXT_PLAIN).getStatusCode().value()).isEqualTo(400);
		ResponseEntity<String> tooLong = flameGraph("burner", "61", MediaType.TEXT_PLAIN);
		assertThat(tooLong.getStatusCode().value()).isEqualTo(400);
		assertThat(tooLong.getBody()).contains("between 1 and 60");

		// while one recording runs, the other gets 409, whichever of them came first
		CompletableFuture<ResponseEntity<String>> longer = CompletableFuture
			.supplyAsync(() -> flameGraph("waiter", "3", MediaType.TEXT_PLAIN));
		List<Integer> statuses = new ArrayList<>();
		while (!longer.isDone()) {
			statuses.add(flameGraph("waiter", "1", MediaType.TEXT_PLAIN).getStatusCode().value());
		}
		statuses.add(longer.join().getStatusCode().value());
		assertThat(statuses).contains(409).contains(200);
	}

	private ResponseEntity<String> flameGraph(String plugin, String seconds, MediaType accept) {
		return client().get()
			.uri("/actuator/wasmplugins/{plugin}/flamegraph?seconds={seconds}", plugin, seconds)
			.accept(accept)
			.exchangeToMono((response) -> response.toEntity(String.class))
			.block(Duration.ofSeconds(120));
	}

	/** The route's CPU time once it has {@code requests} requests. */
	private double requestCpuSeconds(String route, long requests) {
		// recorded when the exchange ends, just after the client has the response
		Timer timer = this.meters.get("wasm.plugin.request.cpu").tag("route", route).timer();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> timer.count() >= requests);
		return timer.totalTime(TimeUnit.SECONDS);
	}

	private double pluginCpuSeconds(String plugin) {
		FunctionCounter counter = this.meters.get("wasm.plugin.cpu").tag("plugin", plugin).functionCounter();
		return counter.count();
	}

	/** A callout target that answers 200: at once, or for /hold once the test lets it. */
	static final class HeldCallouts implements AutoCloseable {

		final CountDownLatch held = new CountDownLatch(1);

		final Sinks.Empty<Void> release = Sinks.empty();

		private final DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> {
				if (!request.uri().startsWith("/hold")) {
					return response.status(200).sendString(Mono.just("ok")).then();
				}
				this.held.countDown();
				return this.release.asMono().then(response.status(200).sendString(Mono.just("ok")).then());
			})
			.bindNow();

		String url() {
			return "http://127.0.0.1:" + this.server.port();
		}

		@Override
		public void close() {
			this.server.disposeNow();
		}

	}

}
