package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.Decision.Flow;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.StreamDirection;
import io.github.wasmgateway.gateway.ExchangeObserver.Phase;
import io.micrometer.observation.Observation;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One exchange through one plugin, as one filter of Envoy's chain: the stream opens on
 * the VM of the request's event loop; the request headers go to the plugin, then the
 * request goes upstream (its body through the plugin when the plugin takes part in it: a
 * {@link BodyStream}); the response runs through the plugin's {@link ResponsePhases};
 * {@code proxy_on_log}, {@code proxy_on_done} and {@code proxy_on_delete} end the stream
 * when the exchange is over. Each phase answers a {@link Decision}; what the plugin
 * decides later arrives through {@link #decided}; the failure policy is applied in
 * {@link #failsOpen} and every answer in the plugin's place is written by
 * {@link LocalReplies}. Everything runs on the VM's thread.
 */
final class PluginExchange implements BodyStream.Owner {

	private static final Log logger = LogFactory.getLog(PluginExchange.class);

	private final WasmPluginFilter filter;

	private final RouteBinding.Active plugin;

	private final ExchangeObserver.RouteObserver observer;

	/** Null when plugin calls are not observed. */
	private final PluginCallObservations.Route observations;

	private final ServerWebExchange exchange;

	private final GatewayFilterChain chain;

	private final EventLoops.VmThread thread;

	private final ExchangeView view;

	private HttpStream stream;

	/** Fail-open: the plugin failed and has no further part in this exchange. */
	private boolean skipped;

	/** A local response, reset or failure decided while nothing was held. */
	private Decision pending;

	/** What waits for the plugin's next decision in a held direction, if anything. */
	private Consumer<Decision> holder;

	private StreamDirection held;

	private Disposable holdTimer;

	private BodyStream requestBody;

	private BodyStream responseBody;

	/** What ended the exchange after the request went upstream. */
	private Decision abortedWith;

	/** Time spent inside the plugin for this request, all phases. */
	private long pluginNanos;

	/** The observation of the call in progress, when calls are observed. */
	private Observation call;

	/** The request's server observation, looked up at the first observed call. */
	private Observation requestObservation;

	private boolean finished;

	PluginExchange(WasmPluginFilter filter, RouteBinding binding, ExchangeObserver.RouteObserver observer,
			PluginCallObservations.Route observations, ServerWebExchange exchange, GatewayFilterChain chain,
			EventLoops.VmThread thread) {
		this.filter = filter;
		// the plugin version this exchange runs on, start to end, even across a reload
		this.plugin = binding.active();
		this.observer = observer;
		this.observations = observations;
		this.exchange = exchange;
		this.chain = chain;
		this.thread = thread;
		this.view = new ExchangeView(exchange, binding, this);
	}

	// ---- the request

	Mono<Void> start() {
		try {
			this.stream = this.plugin.plugin().openStream(this.plugin.configuration(), this.view);
		}
		catch (PluginCallException ex) {
			this.observer.failure(Phase.REQUEST_HEADERS, kind(ex));
			return whenDone(requestAnswer(new Decision.Fail(ex)));
		}
		boolean hasBody = hasBody(this.exchange.getRequest());
		long started = begin(Phase.REQUEST_HEADERS);
		Decision decision = observed(Phase.REQUEST_HEADERS, started, this.stream.onRequestHeaders(!hasBody));
		return whenDone(afterRequestHeaders(decision, hasBody));
	}

	/**
	 * What the request headers' decision means for the request: it goes upstream at once
	 * (Continue), with its headers held while the plugin reads the body (StopIteration),
	 * or once the plugin continues (any stop without a body to read), else it is answered
	 * in the plugin's place.
	 */
	private Mono<Void> afterRequestHeaders(Decision decision, boolean hasBody) {
		if (decision == Flow.CONTINUE) {
			return sendRequest((hasBody && this.plugin.requestBody()) ? BodyStream.Start.FLOWING : null);
		}
		if (decision == Flow.STOP_ITERATION && hasBody) {
			return sendRequest(BodyStream.Start.HEADERS_HELD);
		}
		if (decision == Flow.STOP_ALL_AND_BUFFER && hasBody) {
			return sendRequest(BodyStream.Start.ALL_HELD);
		}
		if (decision instanceof Flow) {
			// held without a body to read (StopAllIterationAndWatermark reads none): wait
			return await(StreamDirection.REQUEST).flatMap((next) -> (next instanceof Decision.Resume)
					? afterRequestHeaders(Flow.CONTINUE, hasBody) : requestAnswer(next));
		}
		return requestAnswer(decision);
	}

	/**
	 * Sends the request on with the plugin's header edits; with {@code body} its body
	 * goes through the plugin first, and the request leaves once the plugin lets the
	 * headers go and the body's first bytes (or its end) are ready, so that its headers
	 * can tell the body's real length.
	 */
	private Mono<Void> sendRequest(BodyStream.Start body) {
		RequestHeaderView headers = this.view.requestHeaderView();
		if (body == null) {
			return this.chain.filter(withResponsePhases(headers.applyTo(this.exchange)));
		}
		ServerHttpRequest request = this.exchange.getRequest();
		BodyStream requestBody = new BodyStream(StreamDirection.REQUEST, body, request.getHeaders().getContentLength(),
				this, this.thread, this.exchange.getResponse().bufferFactory(), this.filter.maxBufferedBody(),
				this.filter.streamTimeout())
			.readFrom(request.getBody());
		this.requestBody = requestBody;
		return requestBody.released().flatMap((decision) -> {
			if (decision != Flow.CONTINUE) {
				// the body applied the failure policy already: a failure here is
				// fail-closed
				return answer(decision, this.exchange.getResponse());
			}
			requestBody.frame(headers.headers(), headers::writableHeaders);
			return this.chain.filter(withResponsePhases(headers.applyTo(this.exchange, requestBody.body())))
				.onErrorResume(BodyStream.ExchangeAborted.class, (aborted) -> (this.abortedWith != null)
						? answer(this.abortedWith, this.exchange.getResponse()) : Mono.error(aborted));
		}).doFinally((signal) -> requestBody.discardUnread());
	}

	/** An answer in the upstream's place, before the request went upstream. */
	private Mono<Void> requestAnswer(Decision decision) {
		if (decision instanceof Decision.Fail fail && failsOpen(StreamDirection.REQUEST, fail)) {
			return this.chain.filter(this.exchange);
		}
		return answer(decision, this.exchange.getResponse());
	}

	/**
	 * Registers the plugin's response phases when it takes part in the response; they run
	 * before the gateway's response writer commits the response.
	 */
	private ServerWebExchange withResponsePhases(ServerWebExchange next) {
		if (!this.plugin.responseHeaders() && !this.plugin.responseBody() && !this.plugin.responseTrailers()) {
			return next;
		}
		ResponseHook hook = ResponseHook.of(next.getResponse());
		if (hook == null) {
			// no gateway response writer ahead of us (a bare filter chain): decorate here
			hook = new ResponseHook(next.getResponse());
			next = next.mutate().response(hook).build();
		}
		hook.add(new ResponsePhases(this, hook.getDelegate()));
		return next;
	}

	// ---- what the plugin decides, and the answers in its place

	/**
	 * What the plugin decided outside a phase (on the VM's thread, once it is idle): it
	 * goes to whatever holds that direction; a local response, reset or failure with
	 * nothing held waits for the next phase; a resume with nothing held is nothing to do
	 * (Envoy's {@code continueDecoding} on a filter that is not stopped).
	 */
	void decided(Decision decision) {
		if (this.finished || this.skipped) {
			return;
		}
		if (decision instanceof Decision.Reply reply) {
			this.observer.localResponse(reply.response().status());
		}
		StreamDirection direction = (decision instanceof Decision.Resume resume) ? resume.direction()
				: (decision instanceof Decision.Reset reset) ? reset.direction() : null;
		if (this.holder != null && (direction == null || direction == this.held)) {
			release(decision);
			return;
		}
		BodyStream body = bodyFor(direction);
		if (body != null) {
			body.decided(decision);
		}
		else if (!(decision instanceof Decision.Resume)) {
			this.pending = decision;
		}
	}

	/** The body a decision for {@code direction} (null: whichever runs) goes to. */
	private BodyStream bodyFor(StreamDirection direction) {
		if (direction != StreamDirection.REQUEST && this.responseBody != null && this.responseBody.open()) {
			return this.responseBody;
		}
		if (direction != StreamDirection.RESPONSE && this.requestBody != null && this.requestBody.open()) {
			return this.requestBody;
		}
		return null;
	}

	/**
	 * Waits for the plugin's next decision for {@code direction}, at most the stream
	 * timeout (then a 504 in the plugin's place).
	 */
	Mono<Decision> await(StreamDirection direction) {
		Decision decided = takePending();
		if (decided != null) {
			return Mono.just(decided);
		}
		return Mono.create((sink) -> {
			this.holder = sink::success;
			this.held = direction;
			this.holdTimer = this.thread.schedule(() -> release(timedOut()), this.filter.streamTimeout());
		});
	}

	private void release(Decision decision) {
		Consumer<Decision> waiting = this.holder;
		this.holder = null;
		cancelHoldTimer();
		if (waiting != null) {
			waiting.accept(decision);
		}
	}

	private void cancelHoldTimer() {
		Disposable timer = this.holdTimer;
		this.holdTimer = null;
		if (timer != null) {
			timer.dispose();
		}
	}

	/** A local response, reset or failure that arrived while nothing was held, once. */
	Decision takePending() {
		Decision decided = this.pending;
		this.pending = null;
		return decided;
	}

	/**
	 * The failure policy, applied here for every phase: fail-open leaves the plugin out
	 * of the rest of this exchange and tells the caller to go on as if it were not on the
	 * route; fail-closed lets the caller answer with {@link LocalReplies#failed}.
	 */
	@Override
	public boolean failsOpen(StreamDirection direction, Decision.Fail fail) {
		PluginCallException failure = fail.failure();
		if (failure.kind() == PluginFailure.Kind.VM_UNAVAILABLE && logger.isWarnEnabled()) {
			// traps are logged with their stack where they happen; this one is not
			logger.warn("Plugin '" + name() + "' on route '" + routeId() + "' could not take the request: "
					+ failure.failure().message());
		}
		if (this.filter.failurePolicy() != FailurePolicy.FAIL_OPEN) {
			return false;
		}
		logger.warn("Plugin '" + name() + "' failed on route '" + routeId() + "' in the "
				+ direction.name().toLowerCase() + " phases; it is left out of the rest of this exchange (fail-open)");
		this.skipped = true;
		this.holder = null;
		cancelHoldTimer();
		return true;
	}

	/**
	 * Answers the client in the plugin's place with what {@code decision} says: its local
	 * response, 502 for a reset, 503 for a failure (fail-closed).
	 */
	Mono<Void> answer(Decision decision, ServerHttpResponse response) {
		LocalResponse local;
		if (decision instanceof Decision.Reply reply) {
			local = reply.response();
		}
		else if (decision instanceof Decision.Reset) {
			local = LocalReplies.reset(name());
		}
		else {
			local = LocalReplies.failed(name());
		}
		return LocalReplies.write(response, local);
	}

	@Override
	public Decision timedOut() {
		return new Decision.Reply(LocalReplies.timedOut(name(), this.filter.streamTimeout()));
	}

	@Override
	public LocalResponse tooLarge(StreamDirection direction) {
		return (direction == StreamDirection.REQUEST) ? LocalReplies.requestTooLarge(name())
				: LocalReplies.responseTooLarge(name());
	}

	@Override
	public void abortedAfterRelease(Decision decision) {
		this.abortedWith = decision;
		logger.warn("Plugin '" + name() + "' on route '" + routeId()
				+ "' ended the exchange after its headers went on (" + decision + ")");
	}

	// ---- calls into the plugin

	@Override
	public Decision callBody(StreamDirection direction, BodyBuffer body, boolean endOfStream) {
		if (direction == StreamDirection.REQUEST) {
			long started = begin(Phase.REQUEST_BODY);
			return observed(Phase.REQUEST_BODY, started, this.stream.onRequestBody(body, endOfStream));
		}
		long started = begin(Phase.RESPONSE_BODY);
		return observed(Phase.RESPONSE_BODY, started, this.stream.onResponseBody(body, endOfStream));
	}

	Decision callResponseHeaders(boolean endOfStream) {
		this.view.startResponse();
		long started = begin(Phase.RESPONSE_HEADERS);
		return observed(Phase.RESPONSE_HEADERS, started, this.stream.onResponseHeaders(endOfStream));
	}

	Decision callResponseTrailers() {
		long started = begin(Phase.RESPONSE_TRAILERS);
		return observed(Phase.RESPONSE_TRAILERS, started, this.stream.onResponseTrailers());
	}

	/**
	 * A call into the plugin in {@code phase} begins: its observation starts, when calls
	 * are observed.
	 * @return the time it began, for {@link #observed}
	 */
	private long begin(Phase phase) {
		if (this.observations != null) {
			if (this.requestObservation == null) {
				this.requestObservation = PluginCallObservations.requestObservation(this.exchange);
			}
			this.call = this.observations.start(phase, this.exchange, this.requestObservation);
		}
		return System.nanoTime();
	}

	/** Records the call's time, its failure or local response; ends its observation. */
	private Decision observed(Phase phase, long started, Decision decision) {
		long nanos = System.nanoTime() - started;
		this.observer.call(phase, nanos);
		this.pluginNanos += nanos;
		PluginCallException failure = null;
		if (decision instanceof Decision.Fail fail) {
			failure = fail.failure();
			this.observer.failure(phase, kind(failure));
		}
		else if (decision instanceof Decision.Reply reply) {
			this.observer.localResponse(reply.response().status());
		}
		endCall(failure);
		return decision;
	}

	/** Ends the observation of the call that returned, if it is observed. */
	private void endCall(PluginCallException failure) {
		Observation call = this.call;
		this.call = null;
		if (call != null) {
			if (failure != null) {
				call.error(failure);
			}
			call.stop();
		}
	}

	private static String kind(PluginCallException failure) {
		return failure.kind().name().toLowerCase();
	}

	BodyStream responseBody(BodyStream.Start start, long declaredLength, Flux<? extends DataBuffer> source) {
		this.responseBody = new BodyStream(StreamDirection.RESPONSE, start, declaredLength, this, this.thread,
				this.exchange.getResponse().bufferFactory(), this.filter.maxBufferedBody(), this.filter.streamTimeout())
			.readFrom(source);
		return this.responseBody;
	}

	// ---- the end of the stream

	/**
	 * Ends the stream (log, done, delete) once the whole exchange is over: after the
	 * response went through the plugin, which happens after this filter's chain
	 * completes, or when the client went away.
	 */
	private Mono<Void> whenDone(Mono<Void> exchangeDone) {
		ResponseHook hook = ResponseHook.of(this.exchange.getResponse());
		if (hook != null) {
			hook.whenComplete(this::finishOnThread);
			return exchangeDone;
		}
		return exchangeDone.doFinally((signal) -> finishOnThread());
	}

	private void finishOnThread() {
		this.thread.run(this::finish);
	}

	private void finish() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		this.holder = null;
		cancelHoldTimer();
		if (this.responseBody != null) {
			this.responseBody.discardUnread();
		}
		if (this.stream != null) {
			long started = begin(Phase.LOG);
			this.stream.finish();
			long nanos = System.nanoTime() - started;
			this.observer.call(Phase.LOG, nanos);
			this.observer.request(this.pluginNanos + nanos, this.stream.cpuNanos());
			endCall(null);
		}
	}

	// ---- for the response phases

	EventLoops.VmThread thread() {
		return this.thread;
	}

	ServerWebExchange exchange() {
		return this.exchange;
	}

	ExchangeView view() {
		return this.view;
	}

	RouteBinding.Active plugin() {
		return this.plugin;
	}

	boolean skipped() {
		return this.skipped;
	}

	String name() {
		return this.filter.pluginName();
	}

	String routeId() {
		return this.view.routeId();
	}

	/** A request has a body when it says so (a length above 0, or chunked encoding). */
	private static boolean hasBody(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

	/** Runs {@code phase} on the VM's thread. */
	<T> Mono<T> onThread(Supplier<Mono<T>> phase) {
		return this.thread.isCurrent() ? phase.get() : this.thread.onThread(phase);
	}

}
