package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.PluginCallException;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Each call into a plugin is one observation under the request's server observation, over
 * real HTTP, with the application's observation registry a
 * {@link TestObservationRegistry} (and a handler standing in for a tracer, which is what
 * makes the gateway observe its plugin calls).
 */
@SpringBootTest(classes = { GatewayTestApplication.class, PluginCallObservationTests.Traced.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("traced")
class PluginCallObservationTests {

	static final EchoUpstream upstream = new EchoUpstream();

	@LocalServerPort
	int port;

	@Autowired
	TestObservationRegistry observations;

	@Autowired
	MeterRegistry meters;

	@Autowired
	SimpleTracer tracer;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
	}

	@AfterAll
	static void stop() {
		upstream.close();
	}

	@BeforeEach
	void clear() {
		this.observations.clear();
	}

	WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void eachPhaseCallIsOneObservationWithItsKeysUnderTheRequestsServerObservation() {
		Map<String, Long> timedBefore = timedCalls("ex");
		client().post().uri("/ex/a").bodyValue("hello plugin").exchange().expectStatus().isOk();
		// the log phase ends the stream once the exchange is over, just after the client
		// has its response; its timer counts it after its observation started
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> timedCalls("ex").getOrDefault("log", 0L) > timedBefore.getOrDefault("log", 0L));

		List<PluginCallObservationContext> calls = pluginCalls("ex");
		Map<String, Long> phases = phases(calls);
		assertThat(phases).containsOnlyKeys("request_headers", "request_body", "response_headers", "response_body",
				"log");
		// one observation per call the plugin's timers counted
		Map<String, Long> timed = timedCalls("ex");
		phases.forEach((phase, count) -> assertThat(count).as(phase)
			.isEqualTo(timed.get(phase) - timedBefore.getOrDefault(phase, 0L)));
		assertThat(calls).allSatisfy((call) -> {
			assertThat(call.getName()).isEqualTo("wasm.plugin.phase");
			assertThat(call.getContextualName()).isEqualTo("wasm exerciser " + call.getPhase());
			assertThat(call.getLowCardinalityKeyValues().stream().map((key) -> key.getKey() + "=" + key.getValue()))
				.containsExactlyInAnyOrder("plugin=exerciser", "route=ex", "phase=" + call.getPhase(), "team=edge");
			assertThat(call.getError()).isNull();
			assertThat(call.getParentObservation().getContextView().getName()).isEqualTo("http.server.requests");
		});
		assertThat(calls).extracting((call) -> call.getParentObservation())
			.as("all under the one request's observation")
			.containsOnly(calls.get(0).getParentObservation());
	}

	@Test
	void aCallThatTrapsIsAnObservationWithItsError() {
		client().get().uri("/trap/x").header("x-trap", "1").exchange().expectStatus().isEqualTo(503);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !pluginCalls("trap").isEmpty());

		PluginCallObservationContext call = pluginCalls("trap").get(0);
		assertThat(call.getPhase()).isEqualTo("request_headers");
		assertThat(call.getError()).isInstanceOf(PluginCallException.class).hasMessageContaining("unreachable");
		assertThat(call.getParentObservation().getContextView().getName()).isEqualTo("http.server.requests");
	}

	@Test
	void pluginCallsAreSpansUnderTheRequestsServerSpan() {
		client().get().uri("/ex/traced").exchange().expectStatus().isOk();
		// the log phase's span ends with the stream, once the exchange is over
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> pluginSpans().stream()
				.anyMatch((span) -> "log".equals(span.getTags().get("phase")) && span.getEndTimestamp() != null
						&& span.getEndTimestamp().toEpochMilli() != 0));

		SimpleSpan server = this.tracer.getSpans()
			.stream()
			.filter((span) -> "/ex/traced".equals(span.getTags().get("http.url")))
			.findFirst()
			.orElseThrow();
		List<SimpleSpan> calls = pluginSpans().stream()
			.filter((span) -> server.getTraceId().equals(span.getTraceId()))
			.toList();
		assertThat(calls).extracting((span) -> span.getTags().get("phase"))
			.contains("request_headers", "response_headers", "log");
		assertThat(calls).allSatisfy((span) -> {
			assertThat(span.getParentId()).isEqualTo(server.getSpanId());
			assertThat(span.getName()).isEqualTo("wasm exerciser " + span.getTags().get("phase"));
			assertThat(span.getTags()).containsEntry("plugin", "exerciser")
				.containsEntry("route", "ex")
				.as("the application's convention bean adds its key")
				.containsEntry("team", "edge");
		});
	}

	private List<SimpleSpan> pluginSpans() {
		return this.tracer.getSpans()
			.stream()
			.filter((span) -> "exerciser".equals(span.getTags().get("plugin")))
			.toList();
	}

	/** The plugin call observations of {@code route} so far, stopped or not. */
	private List<PluginCallObservationContext> pluginCalls(String route) {
		List<PluginCallObservationContext> calls = new ArrayList<>();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasHandledContextsThatSatisfy((contexts) -> contexts.stream()
				.filter((context) -> context instanceof PluginCallObservationContext call
						&& call.getRoute().equals(route))
				.forEach((context) -> calls.add((PluginCallObservationContext) context)));
		return calls;
	}

	private static Map<String, Long> phases(List<PluginCallObservationContext> calls) {
		return calls.stream()
			.collect(
					Collectors.groupingBy(PluginCallObservationContext::getPhase, TreeMap::new, Collectors.counting()));
	}

	/** The calls {@code wasm.plugin.call} counted on {@code route}, by phase. */
	private Map<String, Long> timedCalls(String route) {
		return this.meters.find("wasm.plugin.call")
			.tag("route", route)
			.timers()
			.stream()
			.collect(Collectors.toMap((timer) -> timer.getId().getTag("phase"), Timer::count, Long::sum));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Traced {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		/**
		 * An application's own convention, the Spring way to add a key to every plugin
		 * call's observation: the gateway uses it instead of the default.
		 */
		@Bean
		PluginCallObservationConvention teamConvention() {
			return new DefaultPluginCallObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(PluginCallObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "edge");
				}

			};
		}

		/** What micrometer-tracing's auto-configuration registers for a tracer. */
		@Bean
		DefaultTracingObservationHandler tracingObservationHandler(SimpleTracer tracer) {
			return new DefaultTracingObservationHandler(tracer);
		}

	}

}
