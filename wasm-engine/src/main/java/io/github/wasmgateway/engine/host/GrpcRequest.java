package io.github.wasmgateway.engine.host;

import io.github.wasmgateway.engine.HeaderMap;
import java.time.Duration;

/**
 * One gRPC call or stream a plugin opens.
 *
 * @param plugin the plugin's name, for logs
 * @param target what the plugin passed as {@code grpc_service}: a cluster name or a
 * serialized {@code envoy.config.core.v3.GrpcService}, as bytes
 * @param service the gRPC service, e.g. {@code envoy.service.auth.v3.Authorization}
 * @param method the method, e.g. {@code Check}
 * @param metadata the initial metadata the plugin sends
 * @param timeout the deadline of a call: {@link Duration#ZERO} when the plugin gave none
 * (the cluster's timeout applies), null for a stream (no deadline, as in Envoy)
 */
public record GrpcRequest(String plugin, byte[] target, String service, String method, HeaderMap metadata,
		Duration timeout) {
}
