package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.Action;
import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.gateway.GatewayExchange.Outcome;
import io.github.wasmgateway.gateway.WasmPluginRegistry.FailurePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs one plugin on a route, as one filter of Envoy's chain: every request opens a
 * stream on the VM of the event loop it arrived on, and each phase (request headers,
 * request body, response headers, response body, then log/done/delete) runs on that VM's
 * thread. Bodies are only handled for plugins that export the body callbacks, and
 * buffered only when the plugin asks.
 */
final class WasmPluginFilter implements GatewayFilter {

	private static final Log logger = LogFactory.getLog(WasmPluginFilter.class);

	private final RouteBinding binding;

	private final FailurePolicy failurePolicy;

	private final String routeId;

	private final Duration streamTimeout;

	private final long maxBufferedBody;

	private final ExchangeObserver.RouteObserver observer;

	WasmPluginFilter(RouteBinding binding, Duration streamTimeout, long maxBufferedBody,
			ExchangeObserver.RouteObserver observer) {
		this.binding = binding;
		this.observer = observer;
		this.failurePolicy = binding.handle().definition().failurePolicy();
		this.routeId = binding.routeId();
		this.streamTimeout = streamTimeout;
		this.maxBufferedBody = maxBufferedBody;
	}

	String pluginName() {
		return this.binding.handle().name();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		EventLoops.VmThread thread = EventLoops.threadOf(exchange.getRequest());
		return thread.call(() -> new Run(exchange, chain, thread)).flatMap(Run::start);
	}

	@Override
	public String toString() {
		return "[WasmPlugin plugin = '" + pluginName() + "', route = '" + this.routeId + "']";
	}

	/** One request through the plugin. */
	private final class Run {

		private final ServerWebExchange exchange;

		private final GatewayFilterChain chain;

		private final EventLoops.VmThread thread;

		private final GatewayExchange adapter;

		/**
		 * The plugin version this request runs on, start to end, even across a reload.
		 */
		private final RouteBinding.Active active;

		private HttpStream stream;

		private boolean skipped;

		Run(ServerWebExchange exchange, GatewayFilterChain chain, EventLoops.VmThread thread) {
			this.exchange = exchange;
			this.chain = chain;
			this.thread = thread;
			this.adapter = new GatewayExchange(exchange, WasmPluginFilter.this.routeId);
			this.active = WasmPluginFilter.this.binding.active();
		}

		Mono<Void> start() {
			try {
				this.stream = this.active.plugin().openStream(this.active.configuration(), this.adapter);
			}
			catch (PluginCallException ex) {
				return failed(ex, this.exchange);
			}
			return requestHeaders()
				.onErrorResume(StreamSignals.LocalReply.class,
						(reply) -> writeLocal(this.exchange.getResponse(), reply.response))
				.onErrorResume(StreamSignals.PluginFailed.class, (failure) -> failed(failure.failure, this.exchange))
				.onErrorResume(StreamSignals.Timeout.class, (timeout) -> writeTimeout())
				.onErrorResume(StreamSignals.TooLarge.class,
						(tooLarge) -> writeStatus(this.exchange.getResponse(), HttpStatus.PAYLOAD_TOO_LARGE,
								"request body too large for plugin '" + pluginName() + "'"))
				.transform(this::finishWhenDone);
		}

		/**
		 * Ends the stream (log, done, delete) once the whole exchange is over: after the
		 * response body went through the plugin, which happens after this filter's chain
		 * completes; or at once when there is no gateway response writer.
		 */
		private Mono<Void> finishWhenDone(Mono<Void> exchangeDone) {
			ResponseHook hook = this.exchange.getAttribute(ResponseHook.ATTRIBUTE);
			if (hook != null) {
				hook.whenComplete(() -> this.thread.run(this::finish));
				return exchangeDone;
			}
			return exchangeDone.doFinally((signal) -> this.thread.run(this::finish));
		}

		/** Time spent inside the plugin for this request, all phases. */
		private long pluginNanos;

		private void finish() {
			if (this.stream != null) {
				long started = System.nanoTime();
				this.stream.finish();
				record(ExchangeObserver.Phase.LOG, started);
				WasmPluginFilter.this.observer.request(this.pluginNanos);
			}
		}

		private void record(ExchangeObserver.Phase phase, long started) {
			long nanos = System.nanoTime() - started;
			WasmPluginFilter.this.observer.call(phase, nanos);
			this.pluginNanos += nanos;
		}

		private void failure(ExchangeObserver.Phase phase, PluginCallException failure) {
			WasmPluginFilter.this.observer.failure(phase, failure.kind().name().toLowerCase());
		}

		private Mono<Void> requestHeaders() {
			boolean hasBody = hasBody(this.exchange.getRequest());
			Action action;
			long started = System.nanoTime();
			try {
				action = this.stream.onRequestHeaders(!hasBody);
			}
			catch (PluginCallException ex) {
				failure(ExchangeObserver.Phase.REQUEST_HEADERS, ex);
				return failed(ex, this.exchange);
			}
			finally {
				record(ExchangeObserver.Phase.REQUEST_HEADERS, started);
			}
			Outcome early = this.adapter.takeEarly();
			if (early != null && action != Action.LOCAL_RESPONSE) {
				return outcome(early).then(Mono.defer(() -> proceed(hasBody)));
			}
			return switch (action) {
				case LOCAL_RESPONSE -> writeLocal(this.exchange.getResponse(), this.stream.localResponse());
				case PAUSE -> awaitResume().then(Mono.defer(() -> proceed(hasBody)));
				default -> proceed(hasBody);
			};
		}

		/**
		 * Waits for the plugin to continue; a local response or failure becomes an error
		 * signal.
		 */
		private Mono<Void> awaitResume() {
			return this.adapter.pause()
				.timeout(WasmPluginFilter.this.streamTimeout, Mono.error(StreamSignals.Timeout::new))
				.flatMap(this::outcome);
		}

		private Mono<Void> outcome(Outcome outcome) {
			if (outcome instanceof GatewayExchange.Replied replied) {
				return Mono.error(new StreamSignals.LocalReply(replied.response()));
			}
			if (outcome instanceof GatewayExchange.Failed failed) {
				return Mono.error(new StreamSignals.PluginFailed(failed.failure()));
			}
			if (outcome instanceof GatewayExchange.Closed) {
				return Mono.error(new StreamSignals.LocalReply(new LocalResponse(HttpStatus.BAD_GATEWAY.value(),
						"closed by plugin", new byte[0], List.of(), -1)));
			}
			return Mono.empty();
		}

		private Mono<Void> proceed(boolean hasBody) {
			ServerWebExchange next = this.adapter.requestHeaderView().applyTo(this.exchange);
			if (Run.this.active.responseHeaders() || Run.this.active.responseBody()
					|| Run.this.active.responseTrailers()) {
				ResponseHook hook = next.getAttribute(ResponseHook.ATTRIBUTE);
				if (hook == null) {
					// no gateway response writer ahead of us (a bare filter chain):
					// decorate here
					hook = new ResponseHook(next.getResponse());
					next = next.mutate().response(hook).build();
				}
				hook.add(new PluginResponse(hook.getDelegate()));
			}
			return (this.active.requestBody() && hasBody) ? proceedWithBody(next) : this.chain.filter(next);
		}

		/**
		 * Runs the request body through the plugin until its first bytes (or its end) are
		 * ready, and only then sends the request on, so that its headers can tell the
		 * body's real length. A local response or failure before that point never reaches
		 * the upstream.
		 */
		private Mono<Void> proceedWithBody(ServerWebExchange next) {
			ServerHttpRequest request = next.getRequest();
			BodyPhase phase = new BodyPhase(true);
			BodyRelay relay = BodyRelay.of(phase.process(request.getBody()));
			return relay.ready().then(Mono.defer(() -> {
				// mutate() hands the framing a writable copy of the headers
				ServerHttpRequest framed = request.mutate().headers(phase::frame).build();
				Flux<DataBuffer> body = phase.checked(relay.body());
				return this.chain.filter(next.mutate().request(new ServerHttpRequestDecorator(framed) {
					@Override
					public Flux<DataBuffer> getBody() {
						return body;
					}
				}).build());
			})).doFinally((signal) -> relay.discardUnread());
		}

		/**
		 * The failure policy: 503 (fail-closed) or the request goes on without the
		 * plugin.
		 */
		private Mono<Void> failed(PluginCallException failure, ServerWebExchange exchange) {
			if (WasmPluginFilter.this.failurePolicy == FailurePolicy.FAIL_OPEN) {
				logger.warn("Plugin '" + pluginName() + "' failed on route '" + WasmPluginFilter.this.routeId
						+ "'; skipping it for this request (fail-open)");
				this.skipped = true;
				return this.chain.filter(exchange);
			}
			logUnavailable(failure);
			return writeStatus(exchange.getResponse(), HttpStatus.SERVICE_UNAVAILABLE,
					"plugin '" + pluginName() + "' failed (wasm_fail_stream)");
		}

		private void logUnavailable(PluginCallException failure) {
			if (failure.kind() == PluginFailure.Kind.VM_UNAVAILABLE && logger.isWarnEnabled()) {
				// traps are logged with their stack where they happen; this one is not
				logger.warn("Plugin '" + pluginName() + "' on route '" + WasmPluginFilter.this.routeId
						+ "' could not take the request: " + failure.failure().message());
			}
		}

		private Mono<Void> writeTimeout() {
			return writeStatus(this.exchange.getResponse(), HttpStatus.GATEWAY_TIMEOUT, "plugin '" + pluginName()
					+ "' paused the stream for longer than " + WasmPluginFilter.this.streamTimeout);
		}

		/**
		 * Envoy's sendLocalReply: the plugin's status, headers and body, the upstream not
		 * called.
		 */
		private Mono<Void> writeLocal(ServerHttpResponse response, LocalResponse local) {
			if (response.isCommitted()) {
				return Mono.error(new IllegalStateException(
						"plugin '" + pluginName() + "' sent a local response after the response was committed"));
			}
			WasmPluginFilter.this.observer.localResponse(local.status());
			return answer(response, HttpStatusCode.valueOf(local.status()), (headers) -> {
				for (Map.Entry<String, String> header : local.headers()) {
					headers.add(header.getKey(), header.getValue());
				}
			}, local.body());
		}

		private Mono<Void> writeStatus(ServerHttpResponse response, HttpStatus status, String message) {
			if (response.isCommitted()) {
				return Mono.error(new IllegalStateException(message));
			}
			return answer(response, status, (headers) -> headers.setContentType(MediaType.TEXT_PLAIN),
					(message + "\n").getBytes(StandardCharsets.UTF_8));
		}

		/** Replaces whatever response was being prepared with this one. */
		private static Mono<Void> answer(ServerHttpResponse response, HttpStatusCode status,
				Consumer<HttpHeaders> headers, byte[] body) {
			response.setStatusCode(status);
			response.getHeaders().clear();
			headers.accept(response.getHeaders());
			response.getHeaders().setContentLength(body.length);
			if (body.length == 0) {
				return response.setComplete();
			}
			return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
		}

		/** The plugin's response phases, run before the response is committed. */
		private final class PluginResponse implements ResponseHook.Phase {

			private final ServerHttpResponse response;

			PluginResponse(ServerHttpResponse response) {
				this.response = response;
			}

			@Override
			public Mono<Void> write(Publisher<? extends DataBuffer> body,
					Function<Publisher<? extends DataBuffer>, Mono<Void>> next) {
				return responseHeaders(false).flatMap((proceed) -> {
					if (!proceed) {
						return Flux.from(body)
							.doOnNext(DataBufferUtils::release)
							.then(writeLocal(this.response, Run.this.stream.localResponse()));
					}
					if (Run.this.skipped) {
						return next.apply(body);
					}
					Publisher<? extends DataBuffer> out = body;
					if (Run.this.active.responseBody()) {
						// the response is committed when its first bytes (or its end)
						// reach the writer: its length is decided just before
						BodyPhase phase = new BodyPhase(false);
						HttpHeaders headers = this.response.getHeaders();
						out = phase.checked(phase.process(Flux.from(body))
							.doOnNext((chunk) -> phase.frame(headers))
							.doOnComplete(() -> phase.frame(headers)));
					}
					if (Run.this.active.responseTrailers()) {
						out = Flux.<DataBuffer>from(out).concatWith(responseTrailers().then(Mono.empty()));
					}
					return next.apply(out);
				})
					.onErrorResume(StreamSignals.LocalReply.class, (reply) -> writeLocal(this.response, reply.response))
					.onErrorResume(StreamSignals.PluginFailed.class, (failure) -> failedResponse(failure.failure))
					.onErrorResume(StreamSignals.TooLarge.class,
							(tooLarge) -> writeStatus(this.response, HttpStatus.BAD_GATEWAY,
									"response body too large for plugin '" + pluginName() + "'"))
					.onErrorResume(StreamSignals.Timeout.class, (timeout) -> writeTimeout());
			}

			@Override
			public Mono<Void> complete(Supplier<Mono<Void>> next) {
				return responseHeaders(true).flatMap(
						(proceed) -> proceed ? next.get() : writeLocal(this.response, Run.this.stream.localResponse()))
					.onErrorResume(StreamSignals.LocalReply.class, (reply) -> writeLocal(this.response, reply.response))
					.onErrorResume(StreamSignals.PluginFailed.class, (failure) -> failedResponse(failure.failure));
			}

			/**
			 * True to go on with the upstream's response, false when the plugin answered
			 * locally.
			 */
			private Mono<Boolean> responseHeaders(boolean endOfStream) {
				if (!Run.this.active.responseHeaders() || Run.this.skipped) {
					return Mono.just(true);
				}
				return Run.this.thread.call(() -> {
					Run.this.adapter.startResponse();
					long started = System.nanoTime();
					try {
						return Run.this.stream.onResponseHeaders(endOfStream);
					}
					catch (PluginCallException ex) {
						failure(ExchangeObserver.Phase.RESPONSE_HEADERS, ex);
						throw new StreamSignals.PluginFailed(ex);
					}
					finally {
						record(ExchangeObserver.Phase.RESPONSE_HEADERS, started);
					}
				}).flatMap((action) -> switch (action) {
					case LOCAL_RESPONSE -> Mono.just(false);
					case PAUSE -> awaitResume().thenReturn(true);
					default -> Mono.just(true);
				});
			}

			/**
			 * {@code proxy_on_response_trailers} once the body has passed, when the
			 * upstream sent trailers (as Envoy, not called without); the client gets them
			 * as the plugin leaves them ({@link PluginTrailers}).
			 */
			private Mono<Void> responseTrailers() {
				return PluginTrailers.current(Run.this.exchange)
					.filter((trailers) -> !trailers.isEmpty())
					.flatMap((trailers) -> Run.this.thread.call(() -> {
						ListHeaderMap map = new ListHeaderMap();
						trailers.forEach((name, values) -> values.forEach((value) -> map.add(name, value)));
						Run.this.adapter.startResponseTrailers(map);
						long started = System.nanoTime();
						Action action;
						try {
							action = Run.this.stream.onResponseTrailers();
						}
						catch (PluginCallException ex) {
							failure(ExchangeObserver.Phase.RESPONSE_TRAILERS, ex);
							if (WasmPluginFilter.this.failurePolicy == FailurePolicy.FAIL_OPEN) {
								return Action.CONTINUE;
							}
							throw new StreamSignals.PluginFailed(ex);
						}
						finally {
							record(ExchangeObserver.Phase.RESPONSE_TRAILERS, started);
						}
						HttpHeaders edited = new HttpHeaders();
						for (int i = 0; i < map.size(); i++) {
							edited.add(map.name(i), map.value(i));
						}
						Run.this.exchange.getAttributes().put(PluginTrailers.ATTRIBUTE, edited);
						return action;
					}))
					.flatMap((action) -> switch (action) {
						case LOCAL_RESPONSE ->
							Mono.<Void>error(new StreamSignals.LocalReply(Run.this.stream.localResponse()));
						case PAUSE -> awaitResume();
						default -> Mono.<Void>empty();
					});
			}

			private Mono<Void> failedResponse(PluginCallException failure) {
				logUnavailable(failure);
				if (WasmPluginFilter.this.failurePolicy == FailurePolicy.FAIL_OPEN) {
					return Mono.error(failure);
				}
				return writeStatus(this.response, HttpStatus.SERVICE_UNAVAILABLE,
						"plugin '" + pluginName() + "' failed (wasm_fail_stream)");
			}

		}

		/**
		 * A body through the plugin chunk by chunk: a chunk the plugin leaves alone
		 * passes through without a copy; StopIterationAndBuffer collects chunks (up to
		 * the limit) until the plugin continues or the body ends. The receiver is told
		 * the body's real length when it is known before the first byte goes out (the
		 * plugin buffered all of it); otherwise the sender's Content-Length is kept while
		 * the plugin has not changed the size, and dropped (chunked) once it has.
		 */
		private final class BodyPhase {

			private final boolean request;

			private ByteArrayBody buffered;

			/** Bytes taken in from the sender and handed on, so far. */
			private long received;

			private long handedOn;

			private boolean ended;

			private boolean framed;

			/** The Content-Length announced to the receiver, -1 if none. */
			private long announced = -1;

			BodyPhase(boolean request) {
				this.request = request;
			}

			Flux<DataBuffer> process(Flux<? extends DataBuffer> source) {
				return Flux.<DataBuffer>from(source)
					.concatMap((chunk) -> Run.this.thread.call(() -> onChunk(chunk)).flatMapMany((out) -> out))
					.concatWith(Flux.defer(() -> Run.this.thread.call(this::onEnd).flatMapMany((out) -> out)));
			}

			/**
			 * Sets the receiver's framing headers, once, when the first bytes or the end
			 * are ready to go out.
			 */
			void frame(HttpHeaders headers) {
				if (this.framed) {
					return;
				}
				this.framed = true;
				if (this.ended) {
					if (this.received > 0 || this.handedOn > 0) {
						headers.remove(HttpHeaders.TRANSFER_ENCODING);
						headers.setContentLength(this.handedOn);
					}
				}
				else if (this.handedOn != this.received) {
					// said explicitly: without either header Reactor Netty ends the
					// response by closing the connection
					headers.remove(HttpHeaders.CONTENT_LENGTH);
					headers.set(HttpHeaders.TRANSFER_ENCODING, "chunked");
				}
				else {
					this.announced = headers.getContentLength();
				}
			}

			/**
			 * The body as handed on, failing if the plugin resizes it after its length
			 * was announced: the receiver would wait for bytes that never come, or get
			 * bytes it did not expect.
			 */
			Flux<DataBuffer> checked(Flux<DataBuffer> body) {
				return body.doOnNext((chunk) -> {
					if (this.announced >= 0 && this.handedOn > this.announced) {
						DataBufferUtils.release(chunk);
						throw resized();
					}
				})
					.concatWith(Mono.defer(() -> (this.announced >= 0 && this.handedOn != this.announced)
							? Mono.error(resized()) : Mono.empty()));
			}

			private IllegalStateException resized() {
				IllegalStateException failure = new IllegalStateException("Plugin '" + pluginName() + "' on route '"
						+ WasmPluginFilter.this.routeId + "' changed the size of the "
						+ (this.request ? "request" : "response") + " body after its Content-Length (" + this.announced
						+ ") was sent; the plugin should remove content-length in its "
						+ (this.request ? "request" : "response")
						+ " headers callback, or buffer the whole body before changing it");
				logger.error(failure.getMessage());
				return failure;
			}

			private Flux<DataBuffer> onChunk(DataBuffer chunk) {
				this.received += chunk.readableByteCount();
				if (Run.this.skipped) {
					if (this.buffered != null) {
						append(chunk);
						return emitBuffered();
					}
					return passOn(chunk);
				}
				ChunkBody view = null;
				BodyBuffer body;
				if (this.buffered != null) {
					append(chunk);
					body = this.buffered;
				}
				else {
					view = new ChunkBody(chunk);
					body = view;
				}
				Action action = call(body, false, chunk, view);
				if (action == null) {
					return (view != null) ? passOn(chunk) : emitBuffered();
				}
				switch (action) {
					case BUFFER:
						if (view != null) {
							this.buffered = new ByteArrayBody();
							byte[] bytes = view.bytes();
							DataBufferUtils.release(chunk);
							check(bytes.length);
							this.buffered.append(bytes, 0, bytes.length);
						}
						return Flux.empty();
					case PAUSE:
						Flux<DataBuffer> held = emit(view, chunk);
						return awaitResume().thenMany(held);
					case LOCAL_RESPONSE:
						DataBufferUtils.release(chunk);
						return Flux.error(new StreamSignals.LocalReply(Run.this.stream.localResponse()));
					default:
						return emit(view, chunk);
				}
			}

			private Flux<DataBuffer> onEnd() {
				this.ended = true;
				if (Run.this.skipped) {
					return emitBuffered();
				}
				if (this.buffered == null) {
					// empty, but the plugin may still write a last piece of body into it
					this.buffered = new ByteArrayBody();
				}
				Action action = call(this.buffered, true, null, null);
				if (action == Action.LOCAL_RESPONSE) {
					return Flux.error(new StreamSignals.LocalReply(Run.this.stream.localResponse()));
				}
				Flux<DataBuffer> out = emitBuffered();
				return (action == Action.PAUSE) ? awaitResume().thenMany(out) : out;
			}

			/**
			 * Calls the body callback; null when the plugin failed and fail-open skips
			 * it.
			 */
			private Action call(BodyBuffer body, boolean endOfStream, DataBuffer chunk, ChunkBody view) {
				ExchangeObserver.Phase phase = this.request ? ExchangeObserver.Phase.REQUEST_BODY
						: ExchangeObserver.Phase.RESPONSE_BODY;
				long started = System.nanoTime();
				try {
					return this.request ? Run.this.stream.onRequestBody(body, endOfStream)
							: Run.this.stream.onResponseBody(body, endOfStream);
				}
				catch (PluginCallException ex) {
					failure(phase, ex);
					if (WasmPluginFilter.this.failurePolicy == FailurePolicy.FAIL_OPEN) {
						Run.this.skipped = true;
						return null;
					}
					if (chunk != null) {
						DataBufferUtils.release(chunk);
					}
					throw new StreamSignals.PluginFailed(ex);
				}
				finally {
					record(phase, started);
				}
			}

			private void append(DataBuffer chunk) {
				int length = chunk.readableByteCount();
				check(length);
				byte[] bytes = new byte[length];
				chunk.read(bytes);
				DataBufferUtils.release(chunk);
				this.buffered.append(bytes, 0, length);
			}

			private void check(int more) {
				long size = ((this.buffered != null) ? this.buffered.size() : 0) + (long) more;
				if (size > WasmPluginFilter.this.maxBufferedBody) {
					throw new StreamSignals.TooLarge();
				}
			}

			/**
			 * The chunk as the plugin left it; with {@code view} null the chunk went into
			 * the buffered body, which goes out instead.
			 */
			private Flux<DataBuffer> emit(ChunkBody view, DataBuffer chunk) {
				if (view == null) {
					return emitBuffered();
				}
				if (!view.changed()) {
					return passOn(chunk);
				}
				byte[] bytes = view.bytes();
				DataBufferUtils.release(chunk);
				this.handedOn += bytes.length;
				return Flux.just(Run.this.exchange.getResponse().bufferFactory().wrap(bytes));
			}

			private Flux<DataBuffer> passOn(DataBuffer chunk) {
				this.handedOn += chunk.readableByteCount();
				return Flux.just(chunk);
			}

			private Flux<DataBuffer> emitBuffered() {
				ByteArrayBody body = this.buffered;
				this.buffered = null;
				if (body == null || body.size() == 0) {
					return Flux.empty();
				}
				this.handedOn += body.size();
				return Flux.just(Run.this.exchange.getResponse().bufferFactory().wrap(body.bytes()));
			}

		}

	}

	private static boolean hasBody(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

}
