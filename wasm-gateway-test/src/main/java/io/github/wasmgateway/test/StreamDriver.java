package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.Action;
import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.StreamDirection;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link TestRequest} through a plugin as the gateway runs a request: the
 * request phases, then, when they all went on and the request has an upstream response,
 * the response phases, then the end of the stream; a paused phase waits for the plugin to
 * resume or reply. The only class of the kit that speaks the engine's stream API
 * ({@link HttpStream}, {@link Action}, {@link HttpExchange}): when that API changes, only
 * this class does.
 */
final class StreamDriver implements HttpExchange {

	private enum State {

		RUNNING, PAUSED, DONE

	}

	private final TestRequest request;

	private final ListHeaderMap requestHeaders = new ListHeaderMap();

	private ListHeaderMap requestTrailers;

	private ListHeaderMap responseHeaders;

	private ListHeaderMap responseTrailers;

	private final HttpStream stream;

	/** The steps still to run: a phase and, for a body phase, the chunk's index. */
	private final List<Step> steps = new ArrayList<>();

	private final Map<Phase, Decision> decisions = new EnumMap<>(Phase.class);

	/** Body bytes the plugin held (BUFFER) and will see again with the next chunk. */
	private ByteArrayBody pending;

	/** The body chunk a paused body phase holds, forwarded once the plugin resumes. */
	private ByteArrayBody held;

	private final ByteArrayOutputStream forwardedRequestBody = new ByteArrayOutputStream();

	private final ByteArrayOutputStream forwardedResponseBody = new ByteArrayOutputStream();

	/** Whether the last body call was its direction's end of stream. */
	private boolean bodyEnded;

	/** Which direction the held or pending body belongs to. */
	private boolean heldIsRequest;

	private State state = State.RUNNING;

	/** Set when the plugin resumed the stream since the current phase call began. */
	private boolean resumed;

	private LocalReply reply;

	private String failure;

	private StreamDirection closed;

	private record Step(Phase phase, int chunk) {
	}

	StreamDriver(Plugin plugin, PluginConfiguration configuration, TestRequest request) {
		this.request = request;
		request.headers.forEach((header) -> this.requestHeaders.add(header[0], header[1]));
		if (!request.trailers.isEmpty()) {
			this.requestTrailers = map(request.trailers);
		}
		this.steps.add(new Step(Phase.REQUEST_HEADERS, -1));
		for (int i = 0; i < request.body.size(); i++) {
			this.steps.add(new Step(Phase.REQUEST_BODY, i));
		}
		if (!request.trailers.isEmpty()) {
			this.steps.add(new Step(Phase.REQUEST_TRAILERS, -1));
		}
		if (request.upstreamStatus != null) {
			this.steps.add(new Step(Phase.RESPONSE_HEADERS, -1));
			for (int i = 0; i < request.upstreamBody.size(); i++) {
				this.steps.add(new Step(Phase.RESPONSE_BODY, i));
			}
			if (!request.upstreamTrailers.isEmpty()) {
				this.steps.add(new Step(Phase.RESPONSE_TRAILERS, -1));
			}
		}
		this.stream = plugin.openStream(configuration, this);
	}

	private static ListHeaderMap map(List<String[]> pairs) {
		ListHeaderMap map = new ListHeaderMap();
		pairs.forEach((pair) -> map.add(pair[0], pair[1]));
		return map;
	}

	/** Runs the steps until the stream ends or pauses. */
	void run() {
		while (this.state == State.RUNNING) {
			if (this.steps.isEmpty()) {
				end();
				return;
			}
			Step step = this.steps.remove(0);
			Decision decision;
			this.resumed = false;
			try {
				decision = call(step);
			}
			catch (PluginCallException ex) {
				this.failure = ex.getMessage();
				end();
				return;
			}
			this.decisions.put(step.phase(), decision);
			if (this.closed != null || this.failure != null) {
				end();
			}
			else if (decision == Decision.REPLY) {
				this.reply = reply(this.stream.localResponse());
				end();
			}
			else if (decision == Decision.PAUSE || (decision == Decision.BUFFER && this.bodyEnded)) {
				// a body held at its end of stream waits for the plugin as a pause does
				settlePause();
			}
		}
	}

	/**
	 * Goes on after the test released replies or moved the clock, if the plugin resumed
	 * or replied meanwhile.
	 */
	void proceed() {
		if (this.state == State.PAUSED) {
			settlePause();
			run();
		}
	}

	/**
	 * A paused phase: goes on when the plugin resumed it already, ends when it replied,
	 * else waits.
	 */
	private void settlePause() {
		if (this.reply != null || this.failure != null || this.closed != null) {
			end();
			return;
		}
		if (this.resumed) {
			this.resumed = false;
			forwardHeld();
			this.state = State.RUNNING;
			return;
		}
		this.state = State.PAUSED;
	}

	private Decision call(Step step) {
		return switch (step.phase()) {
			case REQUEST_HEADERS -> decision(this.stream.onRequestHeaders(endsDirection(Phase.REQUEST_HEADERS)));
			case REQUEST_BODY -> body(this.request.body.get(step.chunk()), endsDirection(Phase.REQUEST_BODY),
					this.forwardedRequestBody, true);
			case REQUEST_TRAILERS -> decision(this.stream.onRequestTrailers());
			case RESPONSE_HEADERS -> {
				this.responseHeaders = ListHeaderMap.of(":status", Integer.toString(this.request.upstreamStatus));
				this.request.upstreamHeaders.forEach((header) -> this.responseHeaders.add(header[0], header[1]));
				if (!this.request.upstreamTrailers.isEmpty()) {
					this.responseTrailers = map(this.request.upstreamTrailers);
				}
				yield decision(this.stream.onResponseHeaders(endsDirection(Phase.RESPONSE_HEADERS)));
			}
			case RESPONSE_BODY -> body(this.request.upstreamBody.get(step.chunk()), endsDirection(Phase.RESPONSE_BODY),
					this.forwardedResponseBody, false);
			case RESPONSE_TRAILERS -> decision(this.stream.onResponseTrailers());
		};
	}

	/** Whether nothing of the same direction follows this phase (its end of stream). */
	private boolean endsDirection(Phase phase) {
		boolean request = phase.compareTo(Phase.RESPONSE_HEADERS) < 0;
		for (Step next : this.steps) {
			if ((next.phase().compareTo(Phase.RESPONSE_HEADERS) < 0) == request) {
				return false;
			}
		}
		return true;
	}

	/**
	 * One body chunk; after BUFFER the plugin gets everything held so far with the next
	 * chunk, and what it lets go on is forwarded.
	 */
	private Decision body(byte[] chunk, boolean endOfStream, ByteArrayOutputStream forwarded, boolean request) {
		ByteArrayBody delivered;
		if (this.pending != null) {
			this.pending.append(chunk, 0, chunk.length);
			delivered = this.pending;
		}
		else {
			delivered = new ByteArrayBody(chunk);
		}
		Decision decision = decision(request ? this.stream.onRequestBody(delivered, endOfStream)
				: this.stream.onResponseBody(delivered, endOfStream));
		this.pending = null;
		this.held = null;
		this.bodyEnded = endOfStream;
		this.heldIsRequest = request;
		switch (decision) {
			case CONTINUE -> forwarded.writeBytes(delivered.bytes());
			case BUFFER -> this.pending = delivered;
			case PAUSE -> this.held = delivered;
			default -> {
			}
		}
		return decision;
	}

	private void forwardHeld() {
		ByteArrayBody body = (this.held != null) ? this.held : this.pending;
		if (body != null) {
			(this.heldIsRequest ? this.forwardedRequestBody : this.forwardedResponseBody).writeBytes(body.bytes());
		}
		this.held = null;
		this.pending = null;
	}

	private static Decision decision(Action action) {
		return switch (action) {
			case CONTINUE -> Decision.CONTINUE;
			case PAUSE -> Decision.PAUSE;
			case BUFFER -> Decision.BUFFER;
			case LOCAL_RESPONSE -> Decision.REPLY;
		};
	}

	private static LocalReply reply(LocalResponse response) {
		return (response != null)
				? new LocalReply(response.status(), response.details(), response.body(), response.headers()) : null;
	}

	private void end() {
		if (this.state != State.DONE) {
			this.state = State.DONE;
			this.stream.finish();
		}
	}

	boolean paused() {
		return this.state == State.PAUSED;
	}

	boolean done() {
		return this.state == State.DONE;
	}

	Decision decision(Phase phase) {
		return this.decisions.get(phase);
	}

	LocalReply localReply() {
		return this.reply;
	}

	String failure() {
		return this.failure;
	}

	StreamDirection closed() {
		return this.closed;
	}

	/**
	 * Whether every phase ran and went on, and the plugin did not answer, fail or close
	 * the stream.
	 */
	boolean passed() {
		return this.state == State.DONE && this.reply == null && this.failure == null && this.closed == null
				&& this.steps.isEmpty();
	}

	HeaderMap forwardedRequestHeaders() {
		return this.requestHeaders;
	}

	HeaderMap forwardedResponseHeaders() {
		return this.responseHeaders;
	}

	HeaderMap forwardedRequestTrailers() {
		return this.requestTrailers;
	}

	HeaderMap forwardedResponseTrailers() {
		return this.responseTrailers;
	}

	byte[] forwardedRequestBody() {
		return this.forwardedRequestBody.toByteArray();
	}

	byte[] forwardedResponseBody() {
		return this.forwardedResponseBody.toByteArray();
	}

	// ---------------------------------------------------------------- HttpExchange

	@Override
	public HeaderMap requestHeaders() {
		return this.requestHeaders;
	}

	@Override
	public HeaderMap requestTrailers() {
		return this.requestTrailers;
	}

	@Override
	public HeaderMap responseHeaders() {
		return this.responseHeaders;
	}

	@Override
	public HeaderMap responseTrailers() {
		return this.responseTrailers;
	}

	@Override
	public byte[] property(String[] path) {
		return this.request.properties.get(String.join(".", path));
	}

	@Override
	public void resume(StreamDirection direction) {
		this.resumed = true;
	}

	@Override
	public void respond(LocalResponse response) {
		this.reply = reply(response);
	}

	@Override
	public void close(StreamDirection direction) {
		this.closed = direction;
	}

	@Override
	public void failed(PluginCallException failure) {
		this.failure = failure.getMessage();
	}

}
