package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
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
 * A gateway with micrometer-tracing (here its test tracer) has a span per plugin call, a
 * child of the request's server span, over real HTTP.
 */
@SpringBootTest(classes = { GatewayTestApplication.class, PluginCallTracingTests.Traced.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("traced")
class PluginCallTracingTests {

	static final EchoUpstream upstream = new EchoUpstream();

	@LocalServerPort
	int port;

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

	@Test
	void pluginCallsAreSpansUnderTheRequestsServerSpan() {
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.get()
			.uri("/ex/traced")
			.exchange()
			.expectStatus()
			.isOk();
		// the log phase's span ends with the stream, once the exchange is over
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> pluginSpans().stream()
				.anyMatch((span) -> "log".equals(span.getTags().get("phase"))
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
			assertThat(span.getTags()).containsEntry("plugin", "exerciser").containsEntry("route", "ex");
		});
	}

	private List<SimpleSpan> pluginSpans() {
		return this.tracer.getSpans()
			.stream()
			.filter((span) -> "exerciser".equals(span.getTags().get("plugin")))
			.toList();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Traced {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		DefaultTracingObservationHandler tracingObservationHandler(SimpleTracer tracer) {
			return new DefaultTracingObservationHandler(tracer);
		}

	}

}
