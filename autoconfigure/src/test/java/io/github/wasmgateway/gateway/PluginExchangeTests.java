package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.PluginLogger;
import io.github.wasmgateway.engine.host.TickScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The per-request class on mock exchanges, as Spring Cloud Gateway tests its filter
 * factories: one test per row of the semantics table in docs/gateway.md (the gateway's
 * column), each in both execution modes, with the phase-codes fixture answering the codes
 * the request asks for and a test upstream that records what reached it.
 */
class PluginExchangeTests {

	static final Duration STREAM_TIMEOUT = Duration.ofSeconds(5);

	static final ManualTicks ticks = new ManualTicks();

	static final List<String> pluginLog = new CopyOnWriteArrayList<>();

	static final WasmEngine engine = WasmEngine.builder()
		.withHostServices(HostServices.builder().withTicks(ticks).withLoggers((name) -> new PluginLogger() {
			@Override
			public boolean isEnabled(Level level) {
				return true;
			}

			@Override
			public void log(Level level, String message) {
				pluginLog.add(message);
			}
		}).build())
		.build();

	/** Registries by mode, each with the fixture as "closed" and as "open". */
	static final Map<ExecutionMode, WasmPluginRegistry> registries = new ConcurrentHashMap<>();

	@AfterAll
	static void close() {
		registries.values().forEach(WasmPluginRegistry::close);
		engine.close();
	}

	@AfterEach
	void reset() {
		pluginLog.clear();
		VirtualTimeScheduler.reset();
	}

	static WasmPluginRegistry registry(ExecutionMode mode) {
		return registries.computeIfAbsent(mode,
				(key) -> new WasmPluginRegistry(
						new PluginLoader(engine, PluginExchangeTests.class.getClassLoader(),
								List.of(new ResourcePluginSource(new DefaultResourceLoader()))),
						List.of(definition("closed", mode, FailurePolicy.FAIL_CLOSED),
								definition("open", mode, FailurePolicy.FAIL_OPEN))));
	}

	static PluginDefinition definition(String name, ExecutionMode mode, FailurePolicy policy) {
		return new PluginDefinition(name, "classpath:fixtures/phase-codes.wasm", null, mode,
				PluginSettings.builder(name).withRebuildBackoff(Duration.ZERO).build(), null, policy);
	}

	static GatewayFilter filter(ExecutionMode mode, String plugin, long maxBufferedBody) {
		WasmPluginGatewayFilterFactory.Config config = new WasmPluginGatewayFilterFactory.Config().setPlugin(plugin);
		config.setRouteId("route-" + plugin);
		return new WasmPluginGatewayFilterFactory(registry(mode), STREAM_TIMEOUT, maxBufferedBody,
				ExchangeObserver.NONE, PluginCallObservations.NONE)
			.apply(config);
	}

	/** One exchange through a filter, in front of {@link #upstream}. */
	final class Run {

		final MockServerWebExchange exchange;

		final CompletableFuture<Void> done;

		Run(ExecutionMode mode, String plugin, long maxBufferedBody, MockServerHttpRequest request) {
			this(mode, plugin, maxBufferedBody, MockServerWebExchange.from(request));
		}

		Run(ExecutionMode mode, String plugin, long maxBufferedBody, MockServerWebExchange exchange) {
			this.exchange = exchange;
			this.done = filter(mode, plugin, maxBufferedBody).filter(this.exchange, PluginExchangeTests.this.upstream)
				.toFuture();
		}

		/** The client's response, once the exchange is over. */
		MockServerHttpResponse response() {
			try {
				this.done.get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("the exchange did not end well", ex);
			}
			return this.exchange.getResponse();
		}

		String body() {
			return response().getBodyAsString().block(Duration.ofSeconds(5));
		}

		boolean over() {
			return this.done.isDone();
		}

	}

	final Upstream upstream = new Upstream();

	Run run(ExecutionMode mode, MockServerHttpRequest request) {
		return new Run(mode, "closed", 1024 * 1024, request);
	}

	Run run(ExecutionMode mode, String plugin, MockServerHttpRequest request) {
		return new Run(mode, plugin, 1024 * 1024, request);
	}

	static MockServerHttpRequest get(String... headers) {
		return MockServerHttpRequest.get("/x").headers(headers(headers)).build();
	}

	/** A POST whose body arrives in {@code chunks}, with its Content-Length. */
	static MockServerHttpRequest post(List<String> chunks, String... headers) {
		int length = chunks.stream().mapToInt(String::length).sum();
		return MockServerHttpRequest.post("/x")
			.headers(headers(headers))
			.contentLength(length)
			.body(Flux.fromIterable(chunks).map(PluginExchangeTests::buffer));
	}

	/** A POST whose body is sent chunked (no Content-Length). */
	static MockServerHttpRequest postChunked(List<String> chunks, String... headers) {
		return MockServerHttpRequest.post("/x")
			.headers(headers(headers))
			.header(HttpHeaders.TRANSFER_ENCODING, "chunked")
			.body(Flux.fromIterable(chunks).map(PluginExchangeTests::buffer));
	}

	static HttpHeaders headers(String... pairs) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < pairs.length; i += 2) {
			headers.add(pairs[i], pairs[i + 1]);
		}
		return headers;
	}

	static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	static List<String> chunks(String... chunks) {
		return List.of(chunks);
	}

	/**
	 * What the plugin logged for {@code phase}, e.g. "request-body call=1 size=5 eos=1
	 * body=hello".
	 */
	static List<String> calls(String phase) {
		return pluginLog.stream()
			.filter((line) -> line.startsWith("phase-codes " + phase + " "))
			.map((line) -> line.substring("phase-codes ".length()))
			.toList();
	}

	// ==== request headers: 0 Continue, 1 StopIteration, 2 ContinueAndEndStream, 3
	// StopAllIterationAndBuffer, 4 StopAllIterationAndWatermark

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersContinueSendsTheRequestAndABodyInOnePieceIsOneCallWithEndOfStream(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hello"), "x-request-headers", "0"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.upstream.bodies).containsExactly("hello");
		assertThat(calls("request-body")).containsExactly("request-body call=1 size=5 eos=1 body=hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersContinueAndEndStreamIsContinue(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hello"), "x-request-headers", "2"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.upstream.bodies).containsExactly("hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersStopIterationStillDeliversTheBodyAndItsContinueReleasesTheRequest(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hel", "lo"), "x-request-headers", "1", "x-request-body", "1,0"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calls("request-body")).containsExactly("request-body call=1 size=3 eos=0 body=hel",
				"request-body call=2 size=5 eos=1 body=hello");
		assertThat(this.upstream.bodies).containsExactly("hello");
		assertThat(this.upstream.contentLengths).containsExactly(5L);
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersStopIterationIsHeldUntilTheBodyOrTheVmContinues(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hello"), "x-request-headers", "1", "x-request-body", "1", "x-resume-after",
				"request-body"));
		assertThat(this.upstream.calls).isZero();
		ticks.tick();
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.upstream.bodies).containsExactly("hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersStopWithoutABodyWaitsForTheVmToContinue(ExecutionMode mode) {
		Run run = run(mode, get("x-request-headers", "1", "x-resume-after", "request-headers"));
		assertThat(this.upstream.calls).isZero();
		assertThat(run.over()).isFalse();
		ticks.tick();
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.upstream.calls).isOne();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersStopAllAndBufferHoldsTheBodyAndDeliversAllOfItOnContinue(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hel", "lo"), "x-request-headers", "3", "x-resume-after", "request-headers"));
		assertThat(calls("request-body")).isEmpty();
		assertThat(this.upstream.calls).isZero();
		ticks.tick();
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calls("request-body")).containsExactly("request-body call=1 size=5 eos=1 body=hello");
		assertThat(this.upstream.bodies).containsExactly("hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersStopAllAndWatermarkReadsNoBodyUntilContinue(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hel", "lo"), "x-request-headers", "4", "x-resume-after", "request-headers"));
		assertThat(calls("request-body")).isEmpty();
		ticks.tick();
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calls("request-body")).containsExactly("request-body call=1 size=3 eos=0 body=hel",
				"request-body call=2 size=2 eos=1 body=lo");
		assertThat(this.upstream.bodies).containsExactly("hello");
	}

	// ==== request body: 0 Continue, 1 StopIterationAndBuffer, 2
	// StopIterationAndWatermark, 3 StopIterationNoBuffer

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestBodyChunksGoOnAsTheyArriveAndAChunkedBodyEndsWithAnEmptyCall(ExecutionMode mode) {
		Run run = run(mode, postChunked(chunks("hel", "lo")));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calls("request-body")).containsExactly("request-body call=1 size=3 eos=0 body=hel",
				"request-body call=2 size=2 eos=0 body=lo", "request-body call=3 size=0 eos=1");
		assertThat(this.upstream.bodies).containsExactly("hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestBodyStopIterationAndBufferCallsAgainWithEverythingSoFar(ExecutionMode mode) {
		for (String code : List.of("1", "2")) {
			pluginLog.clear();
			Run run = run(mode, post(chunks("ab", "cd", "ef"), "x-request-body", code + "," + code + ",0"));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(calls("request-body")).containsExactly("request-body call=1 size=2 eos=0 body=ab",
					"request-body call=2 size=4 eos=0 body=abcd", "request-body call=3 size=6 eos=1 body=abcdef");
		}
		assertThat(this.upstream.bodies).containsExactly("abcdef", "abcdef");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestBodyStopIterationNoBufferDropsTheChunk(ExecutionMode mode) {
		Run run = run(mode, post(chunks("drop", "keep"), "x-request-body", "3,0"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.upstream.bodies).containsExactly("keep");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestBodyPastTheBufferLimitIsRefusedWith413(ExecutionMode mode) {
		Run run = new Run(mode, "closed", 4, post(chunks("abc", "def"), "x-request-body", "1"));
		assertThat(run.response().getStatusCode().value()).isEqualTo(413);
		assertThat(run.body()).contains("request body too large for plugin 'closed'");
		assertThat(this.upstream.calls).isZero();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestBodyHeldAtItsEndAndNeverResumedIsAnsweredAtTheStreamTimeout(ExecutionMode mode) {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		Run run = run(mode, post(chunks("hello"), "x-request-body", "1"));
		assertThat(run.over()).isFalse();
		time.advanceTimeBy(STREAM_TIMEOUT);
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
		assertThat(run.body()).contains("plugin 'closed' paused the stream for longer than PT5S");
		assertThat(this.upstream.calls).isZero();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void requestHeadersPausedAndNeverResumedIsAnsweredAtTheStreamTimeout(ExecutionMode mode) {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		Run run = run(mode, get("x-request-headers", "1"));
		time.advanceTimeBy(STREAM_TIMEOUT.minusMillis(1));
		assertThat(run.over()).isFalse();
		time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
	}

	// ==== local responses, resets and failures in the request phases

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void localResponseFromAnyRequestPhaseAnswersWithoutTheUpstream(ExecutionMode mode) {
		for (String phase : List.of("request-headers", "request-body")) {
			Run run = run(mode, post(chunks("hello"), "x-reply", phase));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
			assertThat(run.response().getHeaders().getFirst("x-reply")).isEqualTo(phase);
			assertThat(run.body()).isEqualTo("reply from " + phase);
		}
		assertThat(this.upstream.calls).isZero();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void localResponseSentLaterAnswersTheHeldRequest(ExecutionMode mode) {
		Run run = run(mode, get("x-request-headers", "1", "x-reply-after", "request-headers"));
		ticks.tick();
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(this.upstream.calls).isZero();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void resetOfTheRequestIsAnswered502(ExecutionMode mode) {
		Run run = run(mode, get("x-reset", "request-headers"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(run.body()).contains("stream closed by plugin 'closed'");
		assertThat(this.upstream.calls).isZero();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void failureInTheRequestPhasesFailClosedIs503NamingThePlugin(ExecutionMode mode) {
		for (String phase : List.of("request-headers", "request-body")) {
			Run run = run(mode, post(chunks("hello"), "x-trap", phase));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(run.body()).isEqualTo("plugin 'closed' failed (wasm_fail_stream)\n");
		}
		assertThat(this.upstream.calls).isZero();
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void failureInTheRequestPhasesFailOpenSendsTheRequestAsIfThePluginWereNotThere(ExecutionMode mode) {
		for (String phase : List.of("request-headers", "request-body")) {
			Run run = run(mode, "open", post(chunks("hel", "lo"), "x-trap", phase, "x-request-body", "1"));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		}
		assertThat(this.upstream.bodies).containsExactly("hello", "hello");
	}

	// ==== response headers and body

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseHeadersContinuePassTheResponseWithThePluginsEdits(ExecutionMode mode) {
		Run run = run(mode, post(chunks("hello"), "x-response-headers", "0"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		// the plugin adds x-seen: what it saw of the request
		assertThat(run.response().getHeaders().getFirst("x-seen")).startsWith("request-headers:")
			.endsWith(";request-body:5/1=hello");
		assertThat(run.body()).isEqualTo("upstream says hello");
		assertThat(calls("response-headers")).singleElement()
			.satisfies((call) -> assertThat(call).startsWith("response-headers call=1 ").endsWith(" eos=0"));
		assertThat(calls("response-body"))
			.containsExactly("response-body call=1 size=19 eos=1 body=upstream says hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseHeadersStopIterationStillDeliversTheBodyAndItsContinueReleasesTheResponse(ExecutionMode mode) {
		this.upstream.chunks = List.of("upstream ", "says hello");
		Run run = run(mode, get("x-response-headers", "1", "x-response-body", "1,0"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calls("response-body")).containsExactly("response-body call=1 size=9 eos=0 body=upstream ",
				"response-body call=2 size=19 eos=1 body=upstream says hello");
		assertThat(run.body()).isEqualTo("upstream says hello");
		assertThat(run.response().getHeaders().getContentLength()).isEqualTo(19);
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseHeadersStopAllAndBufferHoldsTheBodyUntilContinue(ExecutionMode mode) {
		this.upstream.chunks = List.of("upstream ", "says hello");
		Run run = run(mode, get("x-response-headers", "3", "x-resume-after", "response-headers"));
		assertThat(calls("response-body")).isEmpty();
		ticks.tick();
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calls("response-body"))
			.containsExactly("response-body call=1 size=19 eos=1 body=upstream says hello");
		assertThat(run.body()).isEqualTo("upstream says hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseHeadersStopAllAndWatermarkWaitsForContinue(ExecutionMode mode) {
		Run run = run(mode, get("x-response-headers", "4", "x-resume-after", "response-headers"));
		assertThat(run.over()).isFalse();
		ticks.tick();
		assertThat(run.body()).isEqualTo("upstream says hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseBodyStopIterationNoBufferDropsTheChunk(ExecutionMode mode) {
		this.upstream.chunks = List.of("dropped ", "kept");
		Run run = run(mode, get("x-response-body", "3,0"));
		assertThat(run.body()).isEqualTo("kept");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseBodyPastTheBufferLimitIsAnswered500(ExecutionMode mode) {
		this.upstream.chunks = List.of("upstream ", "says hello");
		Run run = new Run(mode, "closed", 12, get("x-response-body", "1"));
		assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(run.body()).contains("response body too large for plugin 'closed'");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void localResponseFromTheResponsePhasesReplacesTheUpstreamsResponse(ExecutionMode mode) {
		for (String phase : List.of("response-headers", "response-body")) {
			Run run = run(mode, get("x-reply", phase, "x-response-body", "1"));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
			assertThat(run.body()).isEqualTo("reply from " + phase);
			assertThat(run.response().getHeaders().getFirst("x-upstream")).isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void failureInTheResponsePhasesFailOpenPassesTheUpstreamsResponseUnchanged(ExecutionMode mode) {
		for (String phase : List.of("response-headers", "response-body")) {
			Run run = run(mode, "open", get("x-trap", phase, "x-response-body", "1"));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(run.response().getHeaders().getFirst("x-upstream")).isEqualTo("test");
			assertThat(run.body()).isEqualTo("upstream says hello");
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void failureInTheResponsePhasesFailClosedIs503(ExecutionMode mode) {
		for (String phase : List.of("response-headers", "response-body")) {
			Run run = run(mode, get("x-trap", phase, "x-response-body", "1"));
			assertThat(run.response().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(run.body()).isEqualTo("plugin 'closed' failed (wasm_fail_stream)\n");
		}
	}

	// ==== response trailers: 0 Continue, 1 StopIteration

	/** A GET whose upstream answers with the trailer {@code grpc-status: 0}. */
	static MockServerWebExchange withTrailers(MockServerHttpRequest request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		io.netty.handler.codec.http.HttpHeaders trailers = new io.netty.handler.codec.http.DefaultHttpHeaders();
		trailers.add("grpc-status", "0");
		Object upstream = java.lang.reflect.Proxy.newProxyInstance(PluginExchangeTests.class.getClassLoader(),
				new Class<?>[] { reactor.netty.http.client.HttpClientResponse.class }, (proxy, method, args) -> {
					if (method.getName().equals("trailerHeaders")) {
						return Mono.just(trailers);
					}
					throw new UnsupportedOperationException(method.getName());
				});
		exchange.getAttributes().put(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR, upstream);
		return exchange;
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseTrailersReachThePluginAfterTheBodyAndGoOnAsItLeftThem(ExecutionMode mode) {
		Run run = new Run(mode, "closed", 1024, withTrailers(get("x-response-trailers", "0")));
		assertThat(run.body()).isEqualTo("upstream says hello");
		assertThat(calls("response-trailers")).containsExactly("response-trailers call=1 size=1 eos=1");
		HttpHeaders sent = run.exchange.getAttribute(PluginTrailers.ATTRIBUTE);
		assertThat(sent.getFirst("grpc-status")).isEqualTo("0");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void responseTrailersStopIterationHoldsThemUntilTheVmContinues(ExecutionMode mode) {
		Run run = new Run(mode, "closed", 1024,
				withTrailers(get("x-response-trailers", "1", "x-resume-after", "response-trailers")));
		assertThat(calls("response-trailers")).hasSize(1);
		assertThat(run.over()).isFalse();
		ticks.tick();
		assertThat(run.body()).isEqualTo("upstream says hello");
	}

	@ParameterizedTest
	@EnumSource(names = { "AOT", "INTERPRETER" })
	void theStreamEndsWithLogDoneAndDeleteAfterTheResponse(ExecutionMode mode) {
		Run run = run(mode, get());
		run.response();
		assertThat(registry(mode).plugin("closed").current().plugin().vms())
			.allSatisfy((vm) -> assertThat(vm.activeStreams()).isZero());
	}

	/**
	 * The upstream: records what reached it and answers 200 with {@code x-upstream: test}
	 * and "upstream says hello" in {@link #chunks}, with its Content-Length.
	 */
	static final class Upstream implements GatewayFilterChain {

		int calls;

		final List<String> bodies = new ArrayList<>();

		final List<Long> contentLengths = new ArrayList<>();

		List<String> chunks = List.of("upstream says hello");

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			this.calls++;
			this.contentLengths.add(exchange.getRequest().getHeaders().getContentLength());
			return DataBufferUtils.join(exchange.getRequest().getBody()).map((joined) -> {
				String text = joined.toString(StandardCharsets.UTF_8);
				DataBufferUtils.release(joined);
				return text;
			}).defaultIfEmpty("").flatMap((body) -> {
				this.bodies.add(body);
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(HttpStatus.OK);
				response.getHeaders().add("x-upstream", "test");
				response.getHeaders().setContentLength(this.chunks.stream().mapToInt(String::length).sum());
				return response.writeWith(Flux.fromStream(Stream.of(this.chunks.toArray(new String[0])))
					.map(PluginExchangeTests::buffer));
			});
		}

	}

	/** Ticks that run when the test says so, on the test's thread (the VM's). */
	static final class ManualTicks implements TickScheduler {

		final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

		@Override
		public AutoCloseable schedule(Duration period, Runnable tick) {
			this.scheduled.add(tick);
			return () -> this.scheduled.remove(tick);
		}

		void tick() {
			for (Runnable tick : List.copyOf(this.scheduled)) {
				tick.run();
			}
		}

	}

}
