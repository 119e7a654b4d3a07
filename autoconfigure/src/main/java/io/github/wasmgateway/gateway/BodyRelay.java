package io.github.wasmgateway.gateway;

import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs a request body through the plugin ahead of the upstream request: it pulls until
 * the first bytes (or the end) come out, says so ({@link #ready()}), and hands everything
 * from the first bytes on to whoever sends the request ({@link #body()}), demand-driven
 * from then on. The request's headers can so be decided knowing how the body starts.
 */
final class BodyRelay extends BaseSubscriber<DataBuffer> {

	private final Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();

	private final Sinks.Empty<Void> ready = Sinks.empty();

	private volatile boolean started;

	private volatile boolean read;

	static BodyRelay of(Flux<DataBuffer> processed) {
		BodyRelay relay = new BodyRelay();
		processed.subscribe(relay);
		return relay;
	}

	/**
	 * Completes when the first bytes or the end are there; errors if the body failed
	 * first.
	 */
	Mono<Void> ready() {
		return this.ready.asMono();
	}

	/** The body from its first bytes on; one subscriber. */
	Flux<DataBuffer> body() {
		return this.body.asFlux().doOnSubscribe((subscription) -> this.read = true).doOnRequest((n) -> {
			if (n > 0) {
				request(n);
			}
		}).doOnCancel(this::cancel);
	}

	/** Lets go of a body nobody read (the request ended before it was sent). */
	void discardUnread() {
		cancel();
		if (!this.read) {
			this.read = true;
			this.body.asFlux().subscribe(DataBufferUtils::release, (error) -> {
			});
		}
	}

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		subscription.request(1);
	}

	@Override
	protected void hookOnNext(DataBuffer chunk) {
		if (this.body.tryEmitNext(chunk).isFailure()) {
			DataBufferUtils.release(chunk);
		}
		start();
	}

	@Override
	protected void hookOnComplete() {
		this.body.tryEmitComplete();
		start();
	}

	@Override
	protected void hookOnError(Throwable failure) {
		if (this.started) {
			this.body.tryEmitError(failure);
		}
		else {
			this.started = true;
			this.ready.tryEmitError(failure);
		}
	}

	private void start() {
		if (!this.started) {
			this.started = true;
			this.ready.tryEmitEmpty();
		}
	}

}
