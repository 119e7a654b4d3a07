package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.Decision.Flow;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.StreamDirection;
import java.time.Duration;
import java.util.function.Supplier;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One direction's body through the plugin, as Envoy's filter manager runs a filter's data
 * callbacks (source/common/http/filter_manager.cc, {@code commonHandleAfterDataCallback}
 * and {@code commonContinue}). Each chunk goes to the plugin as it arrives, with
 * {@code end_of_stream} on the chunk that completes a body of known length (else on an
 * empty call at its end); what the plugin lets through goes on, a chunk it leaves alone
 * without a copy. The headers of the direction are released ({@link #released()}) once
 * the plugin lets them go and the first bytes (or the end) are ready, so that they can
 * tell the body's real length.
 * <p>
 * Everything here runs on the VM's thread; the source's signals are handed over to it.
 */
final class BodyStream extends BaseSubscriber<DataBuffer> {

	/** How the headers callback left the body. */
	enum Start {

		/** Continue: headers go on with the first bytes; chunks go to the plugin. */
		FLOWING,

		/** StopIteration: headers held; chunks go to the plugin, a Continue releases. */
		HEADERS_HELD,

		/**
		 * StopAllIterationAndBuffer: headers and body held; the body is buffered without
		 * the plugin, which gets all of it once it continues.
		 */
		ALL_HELD

	}

	/** What the body needs from the exchange it belongs to. */
	interface Owner {

		/** Calls the plugin's body callback (timed and observed). */
		Decision callBody(StreamDirection direction, BodyBuffer body, boolean endOfStream);

		/**
		 * Applies the failure policy; true when the exchange goes on without the plugin.
		 */
		boolean failsOpen(StreamDirection direction, Decision.Fail failure);

		/** The answer when a held stream is not resumed within the stream timeout. */
		Decision timedOut();

		/** The answer when the body passes the buffer limit. */
		LocalResponse tooLarge(StreamDirection direction);

		/**
		 * The plugin ended the exchange after this direction's headers went on: the
		 * output fails, and the owner answers with {@code decision} if it still can.
		 */
		void abortedAfterRelease(Decision decision);

	}

	private final StreamDirection direction;

	private final Owner owner;

	private final EventLoops.VmThread thread;

	private final DataBufferFactory buffers;

	private final long limit;

	private final Duration timeout;

	/** The sender's Content-Length, -1 when it sent none (chunked). */
	private final long declaredLength;

	private final Sinks.Many<DataBuffer> output = Sinks.many().unicast().onBackpressureBuffer();

	private final Sinks.One<Decision> released = Sinks.one();

	private boolean headersHeld;

	/** Headers StopAllIterationAndBuffer: chunks are buffered without the plugin. */
	private boolean allHeld;

	/**
	 * The plugin stopped the body (StopIterationAndBuffer, NoBuffer) until it continues.
	 */
	private boolean stopped;

	/**
	 * The body kept for the plugin (its StopIterationAndBuffer, or all of it while held).
	 */
	private ByteArrayBody kept;

	private long received;

	private long handedOn;

	/** The sender completed the body. */
	private boolean ended;

	/** The plugin was given end_of_stream. */
	private boolean endDelivered;

	/** Fail-open: the rest of the body passes without the plugin. */
	private boolean skipped;

	private boolean releaseSignalled;

	private boolean finished;

	/** The Content-Length the receiver was told, -1 if none. */
	private long announced = -1;

	private Disposable timer;

	private volatile boolean read;

	BodyStream(StreamDirection direction, Start start, long declaredLength, Owner owner, EventLoops.VmThread thread,
			DataBufferFactory buffers, long limit, Duration timeout) {
		this.direction = direction;
		this.owner = owner;
		this.thread = thread;
		this.buffers = buffers;
		this.limit = limit;
		this.timeout = timeout;
		this.declaredLength = declaredLength;
		this.headersHeld = start != Start.FLOWING;
		this.allHeld = start == Start.ALL_HELD;
	}

	/** Starts reading {@code source}; returns this. */
	BodyStream readFrom(Flux<? extends DataBuffer> source) {
		source.subscribe(this);
		return this;
	}

	/**
	 * Completes with {@link Flow#CONTINUE} when the headers may go on (the body's first
	 * bytes or its end are ready), or with the decision that ended the exchange first
	 * (local response, reset, failure, timeout, too large).
	 */
	Mono<Decision> released() {
		return this.released.asMono();
	}

	/** The body as it goes on, from its first bytes; one subscriber, after release. */
	Flux<DataBuffer> body() {
		return this.output.asFlux().doOnSubscribe((subscription) -> this.read = true).doOnRequest((n) -> {
			if (n > 0) {
				request(n);
			}
		}).doOnCancel(this::cancel);
	}

	/**
	 * Sets the receiver's framing headers, at release: the body's length when it is known
	 * before its first byte goes out; chunked when the plugin already changed its size;
	 * otherwise the sender's framing.
	 */
	void frame(HttpHeaders current, Supplier<HttpHeaders> writable) {
		// the plugin has had all of the body (end of stream, or the sender's whole
		// length)
		if (this.ended || this.endDelivered) {
			if (this.received > 0 || this.handedOn > 0) {
				HttpHeaders headers = writable.get();
				headers.remove(HttpHeaders.TRANSFER_ENCODING);
				headers.setContentLength(this.handedOn);
			}
		}
		else if (this.handedOn != this.received) {
			// said explicitly: without either header Reactor Netty ends a response by
			// closing the connection
			HttpHeaders headers = writable.get();
			headers.remove(HttpHeaders.CONTENT_LENGTH);
			headers.set(HttpHeaders.TRANSFER_ENCODING, "chunked");
		}
		else {
			this.announced = current.getContentLength();
		}
	}

	/** Whether the body still takes decisions (it has not ended). */
	boolean open() {
		return !this.finished;
	}

	/** Lets go of what nobody read (the exchange ended before the body was sent). */
	void discardUnread() {
		cancel();
		if (!this.read) {
			this.read = true;
			this.output.asFlux().subscribe(DataBufferUtils::release, (error) -> {
			});
		}
		this.thread.run(this::cancelTimer);
	}

	// ---- the sender's body, handed to the VM's thread

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		subscription.request(1);
	}

	@Override
	protected void hookOnNext(DataBuffer chunk) {
		if (this.thread.isCurrent()) {
			onChunk(chunk);
		}
		else {
			this.thread.run(() -> onChunk(chunk));
		}
	}

	@Override
	protected void hookOnComplete() {
		this.thread.run(this::onEnd);
	}

	@Override
	protected void hookOnError(Throwable failure) {
		this.thread.run(() -> {
			if (this.finished) {
				return;
			}
			this.finished = true;
			cancelTimer();
			if (this.releaseSignalled) {
				this.output.tryEmitError(failure);
			}
			else {
				this.releaseSignalled = true;
				this.released.tryEmitError(failure);
			}
		});
	}

	private void onChunk(DataBuffer chunk) {
		if (this.finished) {
			DataBufferUtils.release(chunk);
			return;
		}
		int size = chunk.readableByteCount();
		this.received += size;
		if (this.skipped) {
			passOn(chunk);
			return;
		}
		if (this.allHeld) {
			keep(chunk);
			request(1);
			return;
		}
		boolean endOfStream = this.declaredLength >= 0 && this.received >= this.declaredLength;
		if (this.kept != null) {
			keep(chunk);
			if (!this.finished) {
				deliver(this.kept, null, endOfStream);
			}
		}
		else {
			deliver(new ChunkBody(chunk), chunk, endOfStream);
		}
	}

	private void onEnd() {
		if (this.finished) {
			return;
		}
		this.ended = true;
		if (this.skipped) {
			emitKept();
			complete();
		}
		else if (this.allHeld) {
			holdUntilResumed();
		}
		else if (!this.endDelivered) {
			// the end came apart from the data: an empty call with end_of_stream, into
			// which
			// the plugin may still write a last piece of body
			if (this.kept == null) {
				this.kept = new ByteArrayBody();
			}
			deliver(this.kept, null, true);
		}
		else if (this.stopped || this.headersHeld) {
			holdUntilResumed();
		}
		else {
			complete();
		}
	}

	/**
	 * Gives the plugin a body call: a {@link ChunkBody} view over {@code chunk}, or the
	 * kept body (everything so far) when {@code chunk} is null.
	 */
	private void deliver(BodyBuffer body, DataBuffer chunk, boolean endOfStream) {
		Decision decision = this.owner.callBody(this.direction, body, endOfStream);
		if (endOfStream) {
			this.endDelivered = true;
		}
		if (decision == Flow.CONTINUE) {
			this.stopped = false;
			this.headersHeld = false;
			if (chunk != null) {
				emit((ChunkBody) body, chunk);
			}
			else {
				emitKept();
			}
			afterDelivery();
		}
		else if (decision == Flow.STOP_AND_BUFFER) {
			if (chunk != null) {
				ChunkBody view = (ChunkBody) body;
				byte[] bytes = view.bytes();
				DataBufferUtils.release(chunk);
				if (!fits(bytes.length)) {
					return;
				}
				this.kept = new ByteArrayBody(bytes);
			}
			this.stopped = true;
			afterDelivery();
		}
		else if (decision instanceof Flow) {
			// StopIterationNoBuffer: a chunk given alone goes no further; kept data stays
			if (chunk != null) {
				DataBufferUtils.release(chunk);
			}
			this.stopped = true;
			afterDelivery();
		}
		else {
			if (chunk != null) {
				// the plugin's failure leaves the chunk as it came, for fail-open
				if (decision instanceof Decision.Fail fail && this.owner.failsOpen(this.direction, fail)) {
					skip();
					passOn(chunk);
					afterDelivery();
					return;
				}
				DataBufferUtils.release(chunk);
			}
			decided(decision);
		}
	}

	/** After a body call: read on, or wait at the end for the plugin to continue. */
	private void afterDelivery() {
		if (this.finished) {
			return;
		}
		if (!this.ended) {
			request(1);
		}
		else if (this.stopped || this.headersHeld) {
			holdUntilResumed();
		}
		else {
			complete();
		}
	}

	// ---- what the plugin decides outside a body call

	/**
	 * A decision for this direction (from {@link PluginExchange}, on the VM's thread): a
	 * resume lets go of what is held; a local response, a reset or a failure ends the
	 * body.
	 */
	void decided(Decision decision) {
		if (this.finished) {
			return;
		}
		if (decision instanceof Decision.Resume) {
			if (this.allHeld) {
				resumeAllHeld();
			}
			else if (this.stopped || this.headersHeld) {
				cancelTimer();
				this.stopped = false;
				this.headersHeld = false;
				emitKept();
				afterDelivery();
			}
		}
		else if (decision instanceof Decision.Fail fail && this.owner.failsOpen(this.direction, fail)) {
			skip();
			if (this.ended) {
				complete();
			}
			else {
				request(1);
			}
		}
		else if (decision != Flow.CONTINUE) {
			end(decision);
		}
	}

	/**
	 * After StopAllIterationAndBuffer: the headers go on and the plugin gets everything
	 * buffered so far in one call (Envoy continues at this filter with the buffered
	 * data).
	 */
	private void resumeAllHeld() {
		cancelTimer();
		this.allHeld = false;
		this.headersHeld = false;
		if (this.kept != null || this.ended) {
			if (this.kept == null) {
				this.kept = new ByteArrayBody();
			}
			deliver(this.kept, null, this.ended);
		}
		else {
			request(1);
		}
	}

	private void skip() {
		this.skipped = true;
		this.stopped = false;
		this.headersHeld = false;
		this.allHeld = false;
		cancelTimer();
		emitKept();
	}

	// ---- output

	private void emit(ChunkBody view, DataBuffer chunk) {
		if (!view.changed()) {
			passOn(chunk);
			return;
		}
		byte[] bytes = view.bytes();
		DataBufferUtils.release(chunk);
		emitBytes(bytes);
	}

	private void emitKept() {
		ByteArrayBody body = this.kept;
		this.kept = null;
		if (body != null && body.size() > 0) {
			emitBytes(body.bytes());
		}
	}

	private void emitBytes(byte[] bytes) {
		passOn(this.buffers.wrap(bytes));
	}

	private void passOn(DataBuffer chunk) {
		this.handedOn += chunk.readableByteCount();
		if (this.announced >= 0 && this.handedOn > this.announced) {
			DataBufferUtils.release(chunk);
			resized();
			return;
		}
		this.output.tryEmitNext(chunk);
		signalReleased();
	}

	private void complete() {
		if (this.finished) {
			return;
		}
		signalReleased();
		if (this.announced >= 0 && this.handedOn != this.announced) {
			resized();
			return;
		}
		this.finished = true;
		cancelTimer();
		this.output.tryEmitComplete();
	}

	private void signalReleased() {
		if (!this.releaseSignalled && !this.headersHeld && !this.allHeld) {
			this.releaseSignalled = true;
			this.released.tryEmitValue(Flow.CONTINUE);
		}
	}

	/**
	 * The plugin changed the body's size after its Content-Length went out: the receiver
	 * would wait for bytes that never come, or get bytes it did not expect.
	 */
	private void resized() {
		this.finished = true;
		cancel();
		cancelTimer();
		String side = (this.direction == StreamDirection.REQUEST) ? "request" : "response";
		this.output.tryEmitError(new IllegalStateException("the plugin changed the size of the " + side
				+ " body after its Content-Length (" + this.announced + ") was sent; it should remove content-length in"
				+ " its " + side + " headers callback, or buffer the whole body before changing it"));
	}

	// ---- holding and ending

	private void keep(DataBuffer chunk) {
		int size = chunk.readableByteCount();
		if (!fits(size)) {
			DataBufferUtils.release(chunk);
			return;
		}
		byte[] bytes = new byte[size];
		chunk.read(bytes);
		DataBufferUtils.release(chunk);
		if (this.kept == null) {
			this.kept = new ByteArrayBody();
		}
		this.kept.append(bytes, 0, size);
	}

	/** Whether {@code more} bytes may be kept; ends the body (413 / 500) when not. */
	private boolean fits(int more) {
		long size = ((this.kept != null) ? this.kept.size() : 0) + (long) more;
		if (size <= this.limit) {
			return true;
		}
		end(new Decision.Reply(this.owner.tooLarge(this.direction)));
		return false;
	}

	/** All of the body is in and the plugin holds it: wait for it, within the timeout. */
	private void holdUntilResumed() {
		if (this.timer == null) {
			this.timer = this.thread.schedule(() -> {
				this.timer = null;
				end(this.owner.timedOut());
			}, this.timeout);
		}
	}

	private void cancelTimer() {
		Disposable current = this.timer;
		this.timer = null;
		if (current != null) {
			current.dispose();
		}
	}

	/** Ends the body with {@code decision} (a local response, reset, failure). */
	private void end(Decision decision) {
		if (this.finished) {
			return;
		}
		this.finished = true;
		this.kept = null;
		cancel();
		cancelTimer();
		if (!this.releaseSignalled) {
			this.releaseSignalled = true;
			this.released.tryEmitValue(decision);
		}
		else {
			this.owner.abortedAfterRelease(decision);
			this.output.tryEmitError(new ExchangeAborted());
		}
	}

	/**
	 * Ends an exchange whose headers already went on, because the plugin answered, reset
	 * or failed.
	 */
	static final class ExchangeAborted extends RuntimeException {

		ExchangeAborted() {
			super("the wasm plugin ended the exchange", null, false, false);
		}

	}

}
