package io.github.wasmgateway.gateway;

import java.util.ArrayList;
import java.util.List;
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
 * as Envoy runs encoder filters.
 */
final class ResponseHook extends ServerHttpResponseDecorator {

	static final String ATTRIBUTE = ResponseHook.class.getName();

	private final List<Phase> phases = new ArrayList<>();

	private final List<Runnable> completions = new ArrayList<>();

	ResponseHook(ServerHttpResponse delegate) {
		super(delegate);
	}

	void add(Phase phase) {
		this.phases.add(phase);
	}

	/** Runs {@code task} once the exchange is over, response written or abandoned. */
	synchronized void whenComplete(Runnable task) {
		this.completions.add(task);
	}

	synchronized void complete() {
		for (Runnable task : this.completions) {
			task.run();
		}
		this.completions.clear();
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		return write(this.phases.size() - 1, body);
	}

	private Mono<Void> write(int index, Publisher<? extends DataBuffer> body) {
		if (index < 0) {
			return getDelegate().writeWith(body);
		}
		return this.phases.get(index).write(body, (next) -> write(index - 1, next));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return writeWith(Flux.from(body).concatMap(Flux::from));
	}

	@Override
	public Mono<Void> setComplete() {
		return complete(this.phases.size() - 1);
	}

	private Mono<Void> complete(int index) {
		if (index < 0) {
			return getDelegate().setComplete();
		}
		return this.phases.get(index).complete(() -> complete(index - 1));
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
