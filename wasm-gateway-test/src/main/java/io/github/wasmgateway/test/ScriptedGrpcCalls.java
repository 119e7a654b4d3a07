package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.host.GrpcClient;
import io.github.wasmgateway.engine.host.GrpcListener;
import io.github.wasmgateway.engine.host.GrpcRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The plugin's gRPC calls ({@code proxy_grpc_call}) and streams
 * ({@code proxy_grpc_stream}), answered by the test. A cluster with a scripted reply
 * answers once the plugin has sent everything (a call's one message, a stream's last
 * message or its close), at once or, in {@link #hold()} mode, when the test releases it;
 * a cluster answered message by message ({@link #answerEachMessage}) answers every
 * message as it is sent, as a bidirectional service does. A cluster without either is
 * unknown, as a name the gateway has not configured: the plugin's call fails at once with
 * PARSE_FAILURE, as in Envoy. Targets are cluster names; a serialized {@code GrpcService}
 * is refused as unusable (BAD_ARGUMENT). Every call is recorded.
 */
public final class ScriptedGrpcCalls implements GrpcClient {

	private final Map<String, Function<GrpcCall, GrpcReply>> replies = new ConcurrentHashMap<>();

	private final Map<String, UnaryOperator<String>> messageAnswers = new ConcurrentHashMap<>();

	private final List<GrpcCall> calls = new CopyOnWriteArrayList<>();

	private final HeldAnswers held = new HeldAnswers();

	/** Calls and streams to {@code cluster} get {@code reply}. */
	public ScriptedGrpcCalls reply(String cluster, GrpcReply reply) {
		return answer(cluster, (call) -> reply);
	}

	/**
	 * Calls and streams to {@code cluster} get what {@code responder} makes of each, once
	 * the plugin has sent everything ({@link GrpcCall#sentText()} holds it).
	 */
	public ScriptedGrpcCalls answer(String cluster, Function<GrpcCall, GrpcReply> responder) {
		this.messageAnswers.remove(cluster);
		this.replies.put(cluster, responder);
		return this;
	}

	/**
	 * Every message the plugin sends to {@code cluster} gets one message back at once
	 * (UTF-8 text; the first after the initial metadata {@code :status: 200}); the server
	 * closes with OK when the plugin has sent everything.
	 */
	public ScriptedGrpcCalls answerEachMessage(String cluster, UnaryOperator<String> responder) {
		this.replies.remove(cluster);
		this.messageAnswers.put(cluster, responder);
		return this;
	}

	/**
	 * Keeps the answers until {@link PluginTester#release()}: the plugin waits meanwhile.
	 */
	public ScriptedGrpcCalls hold() {
		this.held.holding(true);
		return this;
	}

	/** Answers at once again (the default). */
	public ScriptedGrpcCalls immediately() {
		this.held.holding(false);
		return this;
	}

	/** Every call and stream the plugin opened to a known cluster, oldest first. */
	public List<GrpcCall> calls() {
		return List.copyOf(this.calls);
	}

	/** The answers held back so far. */
	public int held() {
		return this.held.count();
	}

	@Override
	public Opening open(GrpcRequest request, GrpcListener listener) {
		byte[] target = request.target();
		if (target.length > 0 && target[0] == 0x0a) {
			// a serialized GrpcService (field 1, envoy_grpc): the kit knows clusters by
			// name
			return Opening.refused(Refusal.UNUSABLE_SERVICE);
		}
		String cluster = new String(target, StandardCharsets.UTF_8);
		Function<GrpcCall, GrpcReply> responder = this.replies.get(cluster);
		UnaryOperator<String> messageResponder = this.messageAnswers.get(cluster);
		if (responder == null && messageResponder == null) {
			return Opening.refused(Refusal.UNKNOWN_CLUSTER);
		}
		GrpcCall call = new GrpcCall(cluster, request.service(), request.method(), Headers.entries(request.metadata()),
				request.timeout());
		this.calls.add(call);
		return Opening.opened(new Opened(call, listener, responder, messageResponder));
	}

	/** Answers the held calls, oldest first. */
	void release() {
		this.held.release();
	}

	/**
	 * The server's side of one call: what the plugin sends is recorded, and the answer
	 * goes to the engine's listener in the order grpc-java delivers one (docs/grpc.md).
	 */
	private final class Opened implements io.github.wasmgateway.engine.host.GrpcCall {

		private final GrpcCall call;

		private final GrpcListener listener;

		private final Function<GrpcCall, GrpcReply> responder;

		private final UnaryOperator<String> messageResponder;

		private boolean headersSent;

		Opened(GrpcCall call, GrpcListener listener, Function<GrpcCall, GrpcReply> responder,
				UnaryOperator<String> messageResponder) {
			this.call = call;
			this.listener = listener;
			this.responder = responder;
			this.messageResponder = messageResponder;
		}

		@Override
		public void send(byte[] message, boolean endOfStream) {
			if (this.call.cancelled() || this.call.halfClosed()) {
				return;
			}
			this.call.sent(message);
			if (this.messageResponder != null) {
				String answer = this.messageResponder.apply(new String(message, StandardCharsets.UTF_8));
				ScriptedGrpcCalls.this.held.deliver(() -> message(answer.getBytes(StandardCharsets.UTF_8)));
			}
			if (endOfStream) {
				halfClose();
			}
		}

		@Override
		public void halfClose() {
			if (this.call.cancelled() || this.call.halfClosed()) {
				return;
			}
			this.call.halfClose();
			GrpcReply reply = (this.responder != null) ? this.responder.apply(this.call) : GrpcReply.of();
			ScriptedGrpcCalls.this.held.deliver(() -> answer(reply));
		}

		@Override
		public void cancel() {
			this.call.cancel();
		}

		private void message(byte[] message) {
			if (this.call.cancelled()) {
				return;
			}
			if (!this.headersSent) {
				this.headersSent = true;
				this.listener.onHeaders(ListHeaderMap.of(":status", "200"));
			}
			this.listener.onMessage(message);
		}

		private void answer(GrpcReply reply) {
			if (this.call.cancelled()) {
				return;
			}
			if (!reply.fromServer()) {
				this.listener.onClose(reply.status(), reply.message(), new ListHeaderMap());
				return;
			}
			boolean trailersOnly = !this.headersSent && reply.trailersOnly();
			if (!this.headersSent) {
				this.headersSent = true;
				this.listener.onHeaders(trailersOnly ? new ListHeaderMap() : metadata(reply));
			}
			for (byte[] message : reply.messages()) {
				this.listener.onMessage(message);
			}
			ListHeaderMap trailers = trailersOnly ? ListHeaderMap.of(":status", "200") : new ListHeaderMap();
			reply.trailers().forEach((entry) -> trailers.add(entry.getKey(), entry.getValue()));
			trailers.add("grpc-status", Integer.toString(reply.status()));
			if (!reply.message().isEmpty()) {
				trailers.add("grpc-message", reply.message());
			}
			this.listener.onClose(reply.status(), reply.message(), trailers);
		}

		private static ListHeaderMap metadata(GrpcReply reply) {
			ListHeaderMap metadata = ListHeaderMap.of(":status", "200");
			reply.metadata().forEach((entry) -> metadata.add(entry.getKey(), entry.getValue()));
			return metadata;
		}

	}

}
