package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.Decision.Flow;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.Plugin;
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
 * resume or reply, as Envoy's filter manager treats the codes (docs/gateway.md): headers
 * StopIteration still delivers the body, StopAllIteration holds it until the plugin
 * resumes. The only class of the kit that speaks the engine's stream API
 * ({@link HttpStream}, the engine's {@code Decision}, {@link HttpExchange}): when that
 * API changes, only this class does.
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

	/** Every decision of each phase, in order (a body phase decides once per chunk). */
	private final Map<Phase, List<Decision>> decisions = new EnumMap<>(Phase.class);

	/** Body bytes the plugin held (BUFFER) and will see again with the next chunk. */
	private ByteArrayBody pending;

	private final ByteArrayOutputStream forwardedRequestBody = new ByteArrayOutputStream();

	private final ByteArrayOutputStream forwardedResponseBody = new ByteArrayOutputStream();

	/** Whether the last body call was its direction's end of stream. */
	private boolean bodyEnded;

	/** Which direction the pending body belongs to. */
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
			this.resumed = false;
			io.github.wasmgateway.engine.Decision decision = call(step);
			if (decision instanceof io.github.wasmgateway.engine.Decision.Fail fail) {
				this.failure = fail.failure().getMessage();
				end();
				return;
			}
			this.decisions.computeIfAbsent(step.phase(), (phase) -> new ArrayList<>()).add(decision(decision));
			if (decision instanceof io.github.wasmgateway.engine.Decision.Reply reply) {
				this.reply = reply(reply.response());
			}
			else if (decision instanceof io.github.wasmgateway.engine.Decision.Reset reset) {
				this.closed = reset.direction();
			}
			if (this.closed != null || this.failure != null || this.reply != null) {
				end();
			}
			else if (waits(step.phase(), decision)) {
				settlePause();
			}
		}
	}

	/**
	 * Whether the stream waits for the plugin after this phase: headers StopIteration
	 * only when no body follows (the body still goes to the plugin, and its Continue
	 * releases both), StopAllIteration and trailers that stop always, a body that stops
	 * only at its end of stream.
	 */
	private boolean waits(Phase phase, io.github.wasmgateway.engine.Decision decision) {
		if (decision == Flow.CONTINUE) {
			return false;
		}
		return switch (phase) {
			case REQUEST_HEADERS, RESPONSE_HEADERS -> decision != Flow.STOP_ITERATION || endsDirection(phase);
			case REQUEST_BODY, RESPONSE_BODY -> this.bodyEnded;
			default -> true;
		};
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

	private io.github.wasmgateway.engine.Decision call(Step step) {
		return switch (step.phase()) {
			case REQUEST_HEADERS -> this.stream.onRequestHeaders(endsDirection(Phase.REQUEST_HEADERS));
			case REQUEST_BODY -> body(this.request.body.get(step.chunk()), endsDirection(Phase.REQUEST_BODY),
					this.forwardedRequestBody, true);
			case REQUEST_TRAILERS -> this.stream.onRequestTrailers();
			case RESPONSE_HEADERS -> {
				this.responseHeaders = ListHeaderMap.of(":status", Integer.toString(this.request.upstreamStatus));
				this.request.upstreamHeaders.forEach((header) -> this.responseHeaders.add(header[0], header[1]));
				if (!this.request.upstreamTrailers.isEmpty()) {
					this.responseTrailers = map(this.request.upstreamTrailers);
				}
				yield this.stream.onResponseHeaders(endsDirection(Phase.RESPONSE_HEADERS));
			}
			case RESPONSE_BODY -> body(this.request.upstreamBody.get(step.chunk()), endsDirection(Phase.RESPONSE_BODY),
					this.forwardedResponseBody, false);
			case RESPONSE_TRAILERS -> this.stream.onResponseTrailers();
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
	 * One body chunk; after StopIterationAndBuffer the plugin gets everything kept so far
	 * with the next chunk, after StopIterationNoBuffer the chunk goes no further, and
	 * what it lets go on is forwarded.
	 */
	private io.github.wasmgateway.engine.Decision body(byte[] chunk, boolean endOfStream,
			ByteArrayOutputStream forwarded, boolean request) {
		ByteArrayBody delivered;
		if (this.pending != null) {
			this.pending.append(chunk, 0, chunk.length);
			delivered = this.pending;
		}
		else {
			delivered = new ByteArrayBody(chunk);
		}
		io.github.wasmgateway.engine.Decision decision = request ? this.stream.onRequestBody(delivered, endOfStream)
				: this.stream.onResponseBody(delivered, endOfStream);
		this.pending = null;
		this.bodyEnded = endOfStream;
		this.heldIsRequest = request;
		if (decision == Flow.CONTINUE) {
			forwarded.writeBytes(delivered.bytes());
		}
		else if (decision == Flow.STOP_AND_BUFFER) {
			this.pending = delivered;
		}
		return decision;
	}

	private void forwardHeld() {
		ByteArrayBody body = this.pending;
		if (body != null) {
			(this.heldIsRequest ? this.forwardedRequestBody : this.forwardedResponseBody).writeBytes(body.bytes());
		}
		this.pending = null;
	}

	/** The engine's decision as the kit reports it. */
	private static Decision decision(io.github.wasmgateway.engine.Decision decision) {
		if (decision instanceof Flow flow) {
			return switch (flow) {
				case CONTINUE -> Decision.CONTINUE;
				case STOP_AND_BUFFER -> Decision.BUFFER;
				case STOP_ALL_AND_BUFFER, STOP_ALL_AND_WATERMARK -> Decision.PAUSE_ALL;
				default -> Decision.PAUSE;
			};
		}
		return (decision instanceof io.github.wasmgateway.engine.Decision.Reset) ? Decision.RESET : Decision.REPLY;
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

	List<Decision> decisions(Phase phase) {
		return List.copyOf(this.decisions.getOrDefault(phase, List.of()));
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
	public void decided(io.github.wasmgateway.engine.Decision decision) {
		if (decision instanceof io.github.wasmgateway.engine.Decision.Resume) {
			this.resumed = true;
		}
		else if (decision instanceof io.github.wasmgateway.engine.Decision.Reply reply) {
			this.reply = reply(reply.response());
		}
		else if (decision instanceof io.github.wasmgateway.engine.Decision.Reset reset) {
			this.closed = reset.direction();
		}
		else if (decision instanceof io.github.wasmgateway.engine.Decision.Fail fail) {
			this.failure = fail.failure().getMessage();
		}
	}

}
