package io.github.wasmgateway.gateway;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The response of an exchange whose route runs plugins, installed before the gateway's
 * response writer takes hold of it ({@link ResponseHookFilter}), so that each plugin's
 * response phases see the upstream's response before it is committed. Plugins add their
 * phase as their request phase passes; the response runs through them in reverse order,
 * as Envoy runs encoder filters. Filters find it in the exchange's response
 * ({@link #of}), so it costs the exchange no attribute.
 */
final class ResponseHook extends ServerHttpResponseDecorator {

	private static final Phase[] NO_PHASES = {};

	private static final Runnable[] NO_TASKS = {};

	private Phase[] phases = NO_PHASES;

	/**
	 * Added on the request's thread while the exchange runs, run once by whichever thread
	 * ends it: the exchange's own signals order the two, so no lock is taken.
	 */
	private volatile Runnable[] completions = NO_TASKS;

	private volatile boolean completed;

	ResponseHook(ServerHttpResponse delegate) {
		super(delegate);
	}

	/** The hook of {@code response}, or null when it has none. */
	static ResponseHook of(ServerHttpResponse response) {
		ServerHttpResponse candidate = response;
		while (candidate instanceof ServerHttpResponseDecorator decorator) {
			if (decorator instanceof ResponseHook hook) {
				return hook;
			}
			candidate = decorator.getDelegate();
		}
		return null;
	}

	/** Called on the request's thread, before the response begins. */
	void add(Phase phase) {
		Phase[] grown = Arrays.copyOf(this.phases, this.phases.length + 1);
		grown[this.phases.length] = phase;
		this.phases = grown;
	}

	/** Runs {@code task} once the exchange is over, response written or abandoned. */
	void whenComplete(Runnable task) {
		if (this.completed) {
			task.run();
			return;
		}
		Runnable[] grown = Arrays.copyOf(this.completions, this.completions.length + 1);
		grown[this.completions.length] = task;
		this.completions = grown;
	}

	void complete() {
		this.completed = true;
		Runnable[] tasks = this.completions;
		this.completions = NO_TASKS;
		for (Runnable task : tasks) {
			task.run();
		}
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		return write(this.phases.length - 1, body);
	}

	private Mono<Void> write(int index, Publisher<? extends DataBuffer> body) {
		if (index < 0) {
			return getDelegate().writeWith(body);
		}
		return this.phases[index].write(body, (next) -> write(index - 1, next));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return writeWith(Flux.from(body).concatMap(Flux::from));
	}

	@Override
	public Mono<Void> setComplete() {
		return complete(this.phases.length - 1);
	}

	private Mono<Void> complete(int index) {
		if (index < 0) {
			return getDelegate().setComplete();
		}
		return this.phases[index].complete(() -> complete(index - 1));
	}

	/** One plugin's response phases. */
	interface Phase {

		/** Passes {@code body} (possibly changed) to {@code next}, or answers locally. */
		Mono<Void> write(Publisher<? extends DataBuffer> body,
				Function<Publisher<? extends DataBuffer>, Mono<Void>> next);

		/** A response without a body. */
		Mono<Void> complete(Supplier<Mono<Void>> next);

	}

}
