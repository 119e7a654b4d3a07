package io.github.wasmgateway.grpc;

import io.github.wasmgateway.engine.host.GrpcClient;
import io.github.wasmgateway.engine.host.GrpcListener;
import io.github.wasmgateway.engine.host.GrpcRequest;
import io.github.wasmgateway.gateway.ClusterNames;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A plugin's gRPC calls and streams through grpc-java, to clusters named in configuration
 * ({@code wasm-gateway.clusters}). The plugin names one by its name (or a Higress name
 * that {@link ClusterNames} resolves) or by a serialized GrpcService whose
 * {@code envoy_grpc.cluster_name} is one; anything else is refused, so no plugin reaches
 * an address of its own making. Messages are raw bytes both ways: the plugin serialized
 * them.
 */
public final class GrpcCallouts implements GrpcClient, AutoCloseable {

	private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	};

	private final GrpcChannels channels;

	GrpcCallouts(GrpcChannels channels) {
		this.channels = channels;
		warmUp();
	}

	@Override
	public Opening open(GrpcRequest request, GrpcListener listener) {
		Target target = target(request.target());
		if (target.refusal != null) {
			return Opening.refused(target.refusal);
		}
		ManagedChannel channel = this.channels.channel(target.cluster.name());
		return Opening.opened(start(channel, request, target, listener));
	}

	private static GrpcJavaCall start(Channel channel, GrpcRequest request, Target target, GrpcListener listener) {
		MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
			.setType(MethodDescriptor.MethodType.UNKNOWN)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(request.service(), request.method()))
			.build();
		GrpcJavaCall.Answers answers = new GrpcJavaCall.Answers(listener);
		CallOptions options = answers.traced(CallOptions.DEFAULT);
		if (target.authority != null) {
			options = options.withAuthority(target.authority);
		}
		if (request.timeout() != null) {
			Duration deadline = request.timeout().isZero() ? target.cluster.timeout() : request.timeout();
			options = options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
		}
		ClientCall<byte[], byte[]> call = channel.newCall(method, options);
		return GrpcJavaCall.start(call, GrpcMetadata.toGrpc(request.metadata(), target.metadata), answers);
	}

	/**
	 * Loads the classes a call runs through, so that a plugin's first call does not pay
	 * for them inside its deadline (hundreds of milliseconds in a cold JVM): a
	 * GrpcService is read, and a call to nowhere (127.0.0.1, port 0) made and cancelled.
	 */
	private static void warmUp() {
		byte[] service = { 0x0a, 0x03, 0x0a, 0x01, 'w' };
		GrpcServiceConfig config = GrpcServiceConfig.decode(service);
		ManagedChannel nowhere = NettyChannelBuilder.forAddress("127.0.0.1", 0, InsecureChannelCredentials.create())
			.directExecutor()
			.build();
		try {
			GrpcChannels.Cluster cluster = new GrpcChannels.Cluster(config.cluster(), "http://127.0.0.1:0",
					Duration.ofSeconds(1), null, null);
			GrpcRequest request = new GrpcRequest("warm-up", service, "warm.Up", "Call", ListHeaderMap.of("x-w", "1"),
					Duration.ZERO);
			GrpcJavaCall call = start(nowhere, request, new Target(cluster, null, config.initialMetadata(), null),
					new GrpcListener() {
						@Override
						public void onHeaders(HeaderMap metadata) {
						}

						@Override
						public void onMessage(byte[] message) {
						}

						@Override
						public void onClose(int status, String message, HeaderMap trailers) {
						}
					});
			call.send(service, true);
			call.cancel();
		}
		finally {
			nowhere.shutdownNow();
		}
	}

	/**
	 * What the plugin's {@code grpc_service} names: a configured cluster by name first;
	 * else a GrpcService, as Envoy reads it (whose cluster must be configured too).
	 */
	private Target target(byte[] grpcService) {
		GrpcChannels.Cluster cluster = cluster(new String(grpcService, StandardCharsets.UTF_8));
		if (cluster != null) {
			return new Target(cluster, null, List.of(), null);
		}
		GrpcServiceConfig config = GrpcServiceConfig.decode(grpcService);
		if (config == null) {
			return new Target(null, null, null, Refusal.UNKNOWN_CLUSTER);
		}
		cluster = (config.cluster() != null) ? cluster(config.cluster()) : null;
		if (cluster == null) {
			return new Target(null, null, null, Refusal.UNUSABLE_SERVICE);
		}
		return new Target(cluster, config.authority(), config.initialMetadata(), null);
	}

	private GrpcChannels.Cluster cluster(String name) {
		for (String candidate : ClusterNames.candidates(name)) {
			GrpcChannels.Cluster cluster = this.channels.cluster(candidate);
			if (cluster != null) {
				return cluster;
			}
		}
		return null;
	}

	@Override
	public void close() {
		this.channels.close();
	}

	private record Target(GrpcChannels.Cluster cluster, String authority, List<Map.Entry<String, String>> metadata,
			Refusal refusal) {
	}

}
