package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.host.GrpcCall;

/**
 * One gRPC call or stream of a plugin, owned by the root context that opened it (as in
 * Envoy, where a call outlives the HTTP stream whose callback made it). Its token says
 * which it is: Envoy numbers calls 5, 9, 13... and streams 6, 10, 14... Touched only on
 * the VM's thread.
 */
public final class GrpcCallout {

	final int token;

	final RootContext root;

	private GrpcCall call;

	/** The plugin sent its last message (end of stream, or proxy_grpc_close). */
	private boolean halfClosed;

	/** proxy_grpc_close on a stream (Envoy's local_closed_). */
	private boolean localClosed;

	/** The server closed the stream (Envoy's remote_closed_). */
	private boolean remoteClosed;

	GrpcCallout(int token, RootContext root) {
		this.token = token;
		this.root = root;
	}

	/** Whether the token is of a call (odd) rather than a stream (even). */
	static boolean isCall(int token) {
		return (token & 3) == 1;
	}

	static boolean isStream(int token) {
		return (token & 3) == 2;
	}

	public int token() {
		return this.token;
	}

	public boolean stream() {
		return isStream(this.token);
	}

	/** The host's call, once opened. */
	public void opened(GrpcCall call) {
		this.call = call;
	}

	/**
	 * {@code proxy_grpc_send}: false when the plugin already ended its side. A message
	 * for a stream the server closed goes nowhere.
	 */
	public boolean send(byte[] message, boolean endOfStream) {
		if (this.halfClosed) {
			return false;
		}
		if (!this.remoteClosed) {
			this.call.send(message, endOfStream);
		}
		this.halfClosed = endOfStream;
		return true;
	}

	/**
	 * {@code proxy_grpc_close} of a stream: ends the plugin's side; the server's answers
	 * still arrive.
	 * @return whether the stream is over (the server closed it too)
	 */
	public boolean closeLocally() {
		if (!this.halfClosed && !this.remoteClosed) {
			this.call.halfClose();
		}
		this.halfClosed = true;
		this.localClosed = true;
		return this.remoteClosed;
	}

	/**
	 * {@code proxy_grpc_cancel}, a call's {@code proxy_grpc_close}, the end of the VM.
	 */
	public void cancel() {
		if (!this.remoteClosed && this.call != null) {
			this.call.cancel();
		}
	}

	/** The server closed (before the plugin hears of it, as Envoy's remote_closed_). */
	void closedRemotely() {
		this.remoteClosed = true;
		this.call = null;
	}

	/**
	 * Whether the host is done with it: a call once the server closed, a stream once the
	 * plugin closed its side too.
	 */
	boolean over() {
		return this.remoteClosed && (!stream() || this.localClosed);
	}

}
