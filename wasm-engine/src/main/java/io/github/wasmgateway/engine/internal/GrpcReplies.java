package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ExportFunction;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.PluginCallException;

/**
 * What arrives for a VM's gRPC calls and streams, delivered on the VM's thread to the
 * root context that opened them, as Envoy's {@code Context::onGrpc*Wrapper} do
 * (source/extensions/common/wasm/context.cc): initial metadata (map 4), each message
 * (buffer 5), trailing metadata (map 5), then the close with its status for
 * {@code proxy_get_status}. A call is forgotten after its message or its close, a stream
 * after the server and the plugin both closed it. What arrives for a call the plugin
 * cancelled, or on a VM that failed or closed, is dropped.
 */
public final class GrpcReplies {

	private final PluginVm vm;

	GrpcReplies(PluginVm vm) {
		this.vm = vm;
	}

	/** The server's initial metadata for a stream. */
	public void initialMetadata(int token, HeaderMap metadata) {
		metadata(token, metadata, false);
	}

	/** A message of a stream, or the answer of a call (which ends it). */
	public void message(int token, byte[] message) {
		GrpcCallout callout = open(token);
		if (callout == null) {
			return;
		}
		CallbackData data = this.vm.callbackData();
		data.grpcMessage(message);
		try {
			deliver(callout, "proxy_on_grpc_receive", this.vm.callbacks().grpcReceive, message.length);
		}
		finally {
			data.grpcMessage(null);
			if (!callout.stream()) {
				this.vm.contexts().forgetGrpcCallout(callout);
			}
		}
	}

	/** The server's trailing metadata for a stream, right before its close. */
	public void trailingMetadata(int token, HeaderMap trailers) {
		metadata(token, trailers, true);
	}

	private void metadata(int token, HeaderMap metadata, boolean trailing) {
		GrpcCallout callout = open(token);
		if (callout == null) {
			return;
		}
		CallbackData data = this.vm.callbackData();
		Callbacks callbacks = this.vm.callbacks();
		try {
			if (trailing) {
				data.grpcTrailingMetadata(metadata);
				deliver(callout, "proxy_on_grpc_receive_trailing_metadata", callbacks.grpcReceiveTrailingMetadata,
						metadata.size());
			}
			else {
				data.grpcInitialMetadata(metadata);
				deliver(callout, "proxy_on_grpc_receive_initial_metadata", callbacks.grpcReceiveInitialMetadata,
						metadata.size());
			}
		}
		finally {
			data.grpcTrailingMetadata(null);
			data.grpcInitialMetadata(null);
		}
	}

	/**
	 * The end of a call that failed, or of a stream: the status code stays for
	 * {@code proxy_get_status}, the message only during the callback.
	 */
	public void close(int token, int status, String message) {
		GrpcCallout callout = open(token);
		if (callout == null) {
			return;
		}
		callout.closedRemotely();
		ExportFunction callback = this.vm.callbacks().grpcClose;
		try {
			if (callback != null) {
				callout.root.status(status, message);
				deliver(callout, "proxy_on_grpc_close", callback, status);
			}
		}
		finally {
			callout.root.clearStatusMessage();
			if (callout.over()) {
				this.vm.contexts().forgetGrpcCallout(callout);
			}
		}
	}

	/** The call or stream of {@code token} while the VM serves, else null. */
	private GrpcCallout open(int token) {
		GrpcCallout callout = this.vm.contexts().grpcCallout(token);
		return (callout != null && this.vm.serving()) ? callout : null;
	}

	/** Cancels every open call and stream: the VM failed or closes. */
	void cancelAll() {
		for (GrpcCallout callout : this.vm.contexts().takeGrpcCallouts()) {
			try {
				callout.cancel();
			}
			catch (RuntimeException ex) {
				// the call is gone either way
			}
		}
	}

	/** {@code callback(root, token, value)} with the opening root context effective. */
	private void deliver(GrpcCallout callout, String name, ExportFunction callback, long value) {
		if (callback == null) {
			return;
		}
		this.vm.contexts().enterRoot(callout.root);
		try {
			this.vm.calls().invoke(name, callback, callout.root.id, callout.token, value);
		}
		catch (PluginCallException ex) {
			// recorded and logged by failed(); every open stream of the VM was told
		}
		this.vm.afterAsync();
	}

}
