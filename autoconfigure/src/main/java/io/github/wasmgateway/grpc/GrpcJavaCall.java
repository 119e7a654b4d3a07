package io.github.wasmgateway.grpc;

import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.host.GrpcCall;
import io.github.wasmgateway.engine.host.GrpcListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * One plugin call on a grpc-java {@link ClientCall} of raw bytes: what the plugin sends
 * goes out as is, what the server answers goes to the engine's {@link GrpcListener} as
 * Envoy's gRPC client reports it (a trailers-only answer has empty initial metadata, a
 * close has trailing metadata). The call is used only from its VM's thread; grpc-java
 * calls the listener from its event loop, one callback at a time.
 */
final class GrpcJavaCall implements GrpcCall {

	private final ClientCall<byte[], byte[]> call;

	private GrpcJavaCall(ClientCall<byte[], byte[]> call) {
		this.call = call;
	}

	/** Starts {@code call} with {@code metadata}, reporting to {@code listener}. */
	static GrpcJavaCall start(ClientCall<byte[], byte[]> call, Metadata metadata, Answers answers) {
		call.start(answers, metadata);
		// the engine takes every message as it comes, as Envoy's client does
		call.request(Integer.MAX_VALUE);
		return new GrpcJavaCall(call);
	}

	@Override
	public void send(byte[] message, boolean endOfStream) {
		this.call.sendMessage(message);
		if (endOfStream) {
			this.call.halfClose();
		}
	}

	@Override
	public void halfClose() {
		this.call.halfClose();
	}

	@Override
	public void cancel() {
		this.call.cancel("cancelled by the plugin", null);
	}

	/**
	 * What the server answers, to the engine. Also a stream tracer, which alone learns
	 * whether trailers came from the server (grpc-java's listener sees a trailers-only
	 * answer and a local failure alike).
	 */
	static final class Answers extends ClientCall.Listener<byte[]> {

		private final GrpcListener listener;

		private volatile boolean headers;

		private volatile boolean serverTrailers;

		Answers(GrpcListener listener) {
			this.listener = listener;
		}

		/** The call options that let this listener see the server's trailers. */
		CallOptions traced(CallOptions options) {
			return options.withStreamTracerFactory(new ClientStreamTracer.Factory() {
				@Override
				public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata metadata) {
					return new ClientStreamTracer() {
						@Override
						public void inboundTrailers(Metadata trailers) {
							Answers.this.serverTrailers = true;
						}
					};
				}
			});
		}

		@Override
		public void onHeaders(Metadata metadata) {
			this.headers = true;
			this.listener.onHeaders(GrpcMetadata.initial(metadata));
		}

		@Override
		public void onMessage(byte[] message) {
			this.listener.onMessage(message);
		}

		@Override
		public void onClose(Status status, Metadata trailers) {
			if (this.serverTrailers) {
				boolean trailersOnly = !this.headers;
				if (trailersOnly) {
					this.listener.onHeaders(new ListHeaderMap());
				}
				this.listener.onClose(status.getCode().value(), message(status),
						GrpcMetadata.trailing(trailers, status, trailersOnly));
			}
			else {
				// the server never closed it: refused, reset, deadline
				this.listener.onClose(status.getCode().value(), message(status), new ListHeaderMap());
			}
		}

		private static String message(Status status) {
			String description = (status.getDescription() != null) ? status.getDescription() : "";
			Throwable cause = status.getCause();
			if (cause == null || cause.getMessage() == null) {
				return description;
			}
			return description.isEmpty() ? cause.getMessage() : description + ": " + cause.getMessage();
		}

	}

}
