package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.Decision.Flow;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.StreamDirection;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The plugin's part in the response, run on the VM's thread before the response is
 * committed: {@code proxy_on_response_headers} (with {@code :status}), the body through a
 * {@link BodyStream} when the plugin takes part in it, and
 * {@code proxy_on_response_trailers} after the body when the upstream sent trailers. A
 * failure with fail-open lets the upstream's response through unchanged.
 */
final class ResponsePhases implements ResponseHook.Phase {

	private final PluginExchange run;

	/** Where answers in the plugin's place go (past the later plugins' phases). */
	private final ServerHttpResponse response;

	ResponsePhases(PluginExchange run, ServerHttpResponse response) {
		this.run = run;
		this.response = response;
	}

	@Override
	public Mono<Void> write(Publisher<? extends DataBuffer> body,
			Function<Publisher<? extends DataBuffer>, Mono<Void>> next) {
		if (this.run.thread().isCurrent()) {
			return headers(body, next, null);
		}
		return this.run.onThread(() -> headers(body, next, null));
	}

	@Override
	public Mono<Void> complete(Supplier<Mono<Void>> next) {
		return this.run.onThread(() -> headers(null, null, next));
	}

	/**
	 * The response headers phase; {@code body} and {@code next} for a response with a
	 * body, {@code complete} for one without.
	 */
	private Mono<Void> headers(Publisher<? extends DataBuffer> body,
			Function<Publisher<? extends DataBuffer>, Mono<Void>> next, Supplier<Mono<Void>> complete) {
		if (this.run.skipped()) {
			return passOn(body, next, complete);
		}
		Decision pending = this.run.takePending();
		if (pending != null) {
			return settle(pending, body, next, complete);
		}
		// the sender's length, before the plugin may edit it
		long declared = this.response.getHeaders().getContentLength();
		boolean endOfStream = body == null || declared == 0;
		Decision decision = this.run.callResponseHeaders(endOfStream);
		return afterHeaders(decision, declared, endOfStream, body, next, complete);
	}

	private Mono<Void> afterHeaders(Decision decision, long declared, boolean endOfStream,
			Publisher<? extends DataBuffer> body, Function<Publisher<? extends DataBuffer>, Mono<Void>> next,
			Supplier<Mono<Void>> complete) {
		if (decision == Flow.CONTINUE) {
			return proceed(BodyStream.Start.FLOWING, declared, body, next, complete);
		}
		if (decision == Flow.STOP_ITERATION && !endOfStream) {
			return proceed(BodyStream.Start.HEADERS_HELD, declared, body, next, complete);
		}
		if (decision == Flow.STOP_ALL_AND_BUFFER && !endOfStream) {
			return proceed(BodyStream.Start.ALL_HELD, declared, body, next, complete);
		}
		if (decision instanceof Flow) {
			return this.run.await(StreamDirection.RESPONSE)
				.flatMap((after) -> (after instanceof Decision.Resume)
						? afterHeaders(Flow.CONTINUE, declared, endOfStream, body, next, complete)
						: settle(after, body, next, complete));
		}
		return settle(decision, body, next, complete);
	}

	/** The response goes on, its body through the plugin when it takes part in it. */
	private Mono<Void> proceed(BodyStream.Start start, long declared, Publisher<? extends DataBuffer> body,
			Function<Publisher<? extends DataBuffer>, Mono<Void>> next, Supplier<Mono<Void>> complete) {
		if (body == null) {
			return complete.get();
		}
		if (start == BodyStream.Start.FLOWING && !this.run.plugin().responseBody()) {
			return next.apply(withTrailers(Flux.from(body)));
		}
		BodyStream stream = this.run.responseBody(start, declared, Flux.from(body));
		return stream.released().flatMap((decision) -> {
			if (decision != Flow.CONTINUE) {
				return this.run.answer(decision, this.response);
			}
			// the response is committed when its first bytes (or its end) reach the
			// writer: its framing is decided now
			HttpHeaders headers = this.response.getHeaders();
			stream.frame(headers, () -> headers);
			return next.apply(withTrailers(stream.body()));
		});
	}

	/**
	 * A local response, reset or failure in the response phases, before the response is
	 * committed: the upstream's body is let go and the plugin's answer replaces it; with
	 * fail-open the upstream's response goes on unchanged.
	 */
	private Mono<Void> settle(Decision decision, Publisher<? extends DataBuffer> body,
			Function<Publisher<? extends DataBuffer>, Mono<Void>> next, Supplier<Mono<Void>> complete) {
		if (decision instanceof Decision.Fail fail && this.run.failsOpen(StreamDirection.RESPONSE, fail)) {
			return passOn(body, next, complete);
		}
		Mono<Void> answer = this.run.answer(decision, this.response);
		return (body != null) ? Flux.from(body).doOnNext(DataBufferUtils::release).then(answer) : answer;
	}

	private Mono<Void> passOn(Publisher<? extends DataBuffer> body,
			Function<Publisher<? extends DataBuffer>, Mono<Void>> next, Supplier<Mono<Void>> complete) {
		return (body != null) ? next.apply(body) : complete.get();
	}

	private Flux<DataBuffer> withTrailers(Flux<? extends DataBuffer> body) {
		Flux<DataBuffer> out = Flux.from(body);
		return this.run.plugin().responseTrailers() ? out.concatWith(trailers().then(Mono.empty())) : out;
	}

	/**
	 * {@code proxy_on_response_trailers} once the body has passed, when the upstream sent
	 * trailers (as Envoy, not called without); the client gets them as the plugin leaves
	 * them ({@link PluginTrailers}). The response is committed by then: a local response
	 * or a failure (fail-closed) aborts it.
	 */
	private Mono<Void> trailers() {
		return PluginTrailers.current(this.run.exchange())
			.filter((trailers) -> !trailers.isEmpty())
			.flatMap((trailers) -> this.run.onThread(() -> {
				if (this.run.skipped()) {
					return Mono.empty();
				}
				ListHeaderMap map = new ListHeaderMap();
				trailers.forEach((name, values) -> values.forEach((value) -> map.add(name, value)));
				this.run.view().startResponseTrailers(map);
				Decision decision = this.run.callResponseTrailers();
				if (decision instanceof Decision.Fail fail && this.run.failsOpen(StreamDirection.RESPONSE, fail)) {
					return Mono.empty();
				}
				HttpHeaders edited = new HttpHeaders();
				for (int i = 0; i < map.size(); i++) {
					edited.add(map.name(i), map.value(i));
				}
				this.run.exchange().getAttributes().put(PluginTrailers.ATTRIBUTE, edited);
				if (decision == Flow.CONTINUE) {
					return Mono.empty();
				}
				Mono<Decision> after = (decision instanceof Flow) ? this.run.await(StreamDirection.RESPONSE)
						: Mono.just(decision);
				return after.flatMap((settled) -> (settled instanceof Decision.Resume) ? Mono.<Void>empty()
						: this.run.answer(settled, this.response));
			}));
	}

}
