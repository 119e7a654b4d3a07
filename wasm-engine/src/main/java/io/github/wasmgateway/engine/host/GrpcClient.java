package io.github.wasmgateway.engine.host;

/**
 * Opens a plugin's gRPC calls ({@code proxy_grpc_call}) and streams
 * ({@code proxy_grpc_stream}) to clusters named in configuration. Messages travel as the
 * plugin serialized them: the host never parses them. A plugin can never reach an address
 * that configuration does not name.
 */
public interface GrpcClient {

	/**
	 * Opens a call to the target the plugin named ({@link GrpcRequest#target()}), or
	 * refuses it at once. {@code listener} is told what the server answers, on any
	 * thread, in order; the engine hands it back to the VM that asked.
	 */
	Opening open(GrpcRequest request, GrpcListener listener);

	/** A client that knows no cluster: every target is an unknown cluster name. */
	static GrpcClient none() {
		return (request, listener) -> Opening.refused(Refusal.UNKNOWN_CLUSTER);
	}

	/** Why a target was refused; the plugin sees Envoy's status for each. */
	enum Refusal {

		/**
		 * Neither a serialized GrpcService nor the name of a configured cluster: Envoy's
		 * PARSE_FAILURE.
		 */
		UNKNOWN_CLUSTER,

		/**
		 * A serialized GrpcService this host cannot use (no {@code envoy_grpc}, or a
		 * cluster that is not configured): Envoy's BAD_ARGUMENT.
		 */
		UNUSABLE_SERVICE

	}

	/** What {@link #open} did: an open call, or the reason it opened none. */
	record Opening(GrpcCall call, Refusal refusal) {

		public static Opening opened(GrpcCall call) {
			return new Opening(call, null);
		}

		public static Opening refused(Refusal refusal) {
			return new Opening(null, refusal);
		}

	}

}
