package io.github.wasmgateway.engine.abi;

import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.host.GrpcClient;
import io.github.wasmgateway.engine.host.GrpcListener;
import io.github.wasmgateway.engine.host.GrpcRequest;
import io.github.wasmgateway.engine.internal.ContextTable;
import io.github.wasmgateway.engine.internal.GrpcCallout;
import io.github.wasmgateway.engine.internal.GrpcReplies;
import io.github.wasmgateway.engine.internal.PluginVm;
import java.time.Duration;

/**
 * The gRPC host functions of one VM: {@code proxy_grpc_call}, {@code proxy_grpc_stream},
 * {@code proxy_grpc_send}, {@code proxy_grpc_cancel} and {@code proxy_grpc_close}, with
 * the statuses of proxy-wasm-cpp-host's src/exports.cc and Envoy's
 * {@code Context::grpcCall}, {@code grpcStream}, {@code grpcSend}, {@code grpcCancel},
 * {@code grpcClose} (source/extensions/common/wasm/context.cc). Calls and streams belong
 * to the effective root context; what the server answers comes back through
 * {@link GrpcReplies} on the VM's thread.
 */
final class GrpcAbi {

	/** The status Envoy reports for a call that succeeded without a message. */
	private static final int GRPC_INTERNAL = 13;

	private final PluginVm vm;

	private final GuestMemory memory;

	GrpcAbi(PluginVm vm, GuestMemory memory) {
		this.vm = vm;
		this.memory = memory;
	}

	/**
	 * {@code proxy_grpc_call(service, service_name, method, metadata, message, timeout_ms,
	 * *token)}.
	 */
	long call(long[] a) {
		byte[] target = this.memory.read(a[0], a[1]);
		String service = this.memory.readString(a[2], a[3]);
		String method = this.memory.readString(a[4], a[5]);
		byte[] metadata = this.memory.read(a[6], a[7]);
		byte[] message = this.memory.read(a[8], a[9]);
		if (target == null || service == null || method == null || metadata == null || message == null
				|| !this.memory.inBounds(a[11], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		Duration timeout = Duration.ofMillis(GuestMemory.u32(a[10]));
		return open(false, target, service, method, metadata, timeout, message, a[11]);
	}

	/** {@code proxy_grpc_stream(service, service_name, method, metadata, *token)}. */
	long stream(long[] a) {
		byte[] target = this.memory.read(a[0], a[1]);
		String service = this.memory.readString(a[2], a[3]);
		String method = this.memory.readString(a[4], a[5]);
		byte[] metadata = this.memory.read(a[6], a[7]);
		if (target == null || service == null || method == null || metadata == null || !this.memory.inBounds(a[8], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		return open(true, target, service, method, metadata, null, null, a[8]);
	}

	private long open(boolean stream, byte[] target, String service, String method, byte[] metadataPairs,
			Duration timeout, byte[] message, long tokenPointer) {
		ListHeaderMap metadata = HeaderPairs.parse(metadataPairs);
		if (metadata == null) {
			return Status.BAD_ARGUMENT;
		}
		ContextTable contexts = this.vm.contexts();
		GrpcCallout callout = contexts.newGrpcCallout(stream);
		if (callout == null) {
			return Status.NOT_FOUND;
		}
		int token = callout.token();
		GrpcRequest request = new GrpcRequest(this.vm.core().name(), target, service, method, metadata, timeout);
		GrpcClient.Opening opening;
		try {
			opening = this.vm.core()
				.services()
				.grpc()
				.open(request, stream ? new StreamListener(token) : new CallListener(token));
		}
		catch (RuntimeException ex) {
			contexts.forgetGrpcCallout(callout);
			throw ex;
		}
		if (opening.call() == null) {
			contexts.forgetGrpcCallout(callout);
			// as Envoy: a name that is no cluster is a parse failure of the GrpcService
			return (opening.refusal() == GrpcClient.Refusal.UNUSABLE_SERVICE) ? Status.BAD_ARGUMENT
					: Status.PARSE_FAILURE;
		}
		callout.opened(opening.call());
		if (message != null) {
			callout.send(message, true);
		}
		this.memory.writeU32(tokenPointer, token);
		return Status.OK;
	}

	/** {@code proxy_grpc_send(token, message, end_of_stream)}. */
	long send(long[] a) {
		byte[] message = this.memory.read(a[1], a[2]);
		if (message == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		int token = (int) a[0];
		if (!ContextTable.isGrpcStreamToken(token)) {
			return Status.BAD_ARGUMENT;
		}
		GrpcCallout callout = this.vm.contexts().grpcCallout(token);
		if (callout == null) {
			return Status.NOT_FOUND;
		}
		// a message after the plugin ended its side has nowhere to go
		return callout.send(message, a[3] != 0) ? Status.OK : Status.BAD_ARGUMENT;
	}

	/** {@code proxy_grpc_cancel(token)}: nothing more is sent or delivered. */
	long cancel(long[] a) {
		return end((int) a[0], true);
	}

	/**
	 * {@code proxy_grpc_close(token)}: a call is cancelled; a stream's side is closed and
	 * the server's answers still arrive.
	 */
	long close(long[] a) {
		return end((int) a[0], false);
	}

	private long end(int token, boolean cancel) {
		if (!ContextTable.isGrpcToken(token)) {
			return Status.BAD_ARGUMENT;
		}
		ContextTable contexts = this.vm.contexts();
		GrpcCallout callout = contexts.grpcCallout(token);
		if (callout == null) {
			return Status.NOT_FOUND;
		}
		if (cancel || !callout.stream()) {
			contexts.forgetGrpcCallout(callout);
			callout.cancel();
		}
		else if (callout.closeLocally()) {
			contexts.forgetGrpcCallout(callout);
		}
		return Status.OK;
	}

	/**
	 * A call, as Envoy's unary client: its answer arrives as one message once the server
	 * closed with OK, with no metadata and no close; any other end is a close.
	 */
	private final class CallListener implements GrpcListener {

		private final int token;

		/** The last message (the host's callbacks for one call come one at a time). */
		private byte[] answer;

		CallListener(int token) {
			this.token = token;
		}

		@Override
		public void onHeaders(HeaderMap metadata) {
		}

		@Override
		public void onMessage(byte[] message) {
			this.answer = message;
		}

		@Override
		public void onClose(int status, String message, HeaderMap trailers) {
			byte[] received = this.answer;
			GrpcReplies replies = GrpcAbi.this.vm.grpcReplies();
			if (status == 0 && received != null) {
				GrpcAbi.this.vm.post(() -> replies.message(this.token, received));
			}
			else {
				int code = (status == 0) ? GRPC_INTERNAL : status;
				String text = (status == 0) ? "" : message;
				GrpcAbi.this.vm.post(() -> replies.close(this.token, code, text));
			}
		}

	}

	/** A stream: everything the server sends, as it arrives. */
	private final class StreamListener implements GrpcListener {

		private final int token;

		StreamListener(int token) {
			this.token = token;
		}

		@Override
		public void onHeaders(HeaderMap metadata) {
			GrpcAbi.this.vm.post(() -> GrpcAbi.this.vm.grpcReplies().initialMetadata(this.token, metadata));
		}

		@Override
		public void onMessage(byte[] message) {
			GrpcAbi.this.vm.post(() -> GrpcAbi.this.vm.grpcReplies().message(this.token, message));
		}

		@Override
		public void onClose(int status, String message, HeaderMap trailers) {
			// as Envoy: the trailing metadata (empty when the server sent none), then the
			// close
			GrpcReplies replies = GrpcAbi.this.vm.grpcReplies();
			GrpcAbi.this.vm.post(() -> replies.trailingMetadata(this.token, trailers));
			GrpcAbi.this.vm.post(() -> replies.close(this.token, status, message));
		}

	}

}
