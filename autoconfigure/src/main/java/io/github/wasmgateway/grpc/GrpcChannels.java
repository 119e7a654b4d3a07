package io.github.wasmgateway.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * One grpc-java channel per cluster whose URL is a gRPC target: {@code http://} is HTTP/2
 * in clear text (h2c, prior knowledge), {@code https://} TLS with ALPN, trusting the
 * cluster's SSL bundle or the JVM's defaults. Channels are made up front, so that a
 * plugin's first call does not pay for one inside its deadline; each connects on its
 * first call. Replies run on grpc-java's event loop (direct executor) only long enough to
 * be handed to the VM's thread.
 */
final class GrpcChannels implements AutoCloseable {

	private final Map<String, Cluster> clusters;

	private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

	GrpcChannels(Map<String, Cluster> clusters) {
		this.clusters = Map.copyOf(clusters);
		clusters.forEach((name, cluster) -> {
			if (cluster.grpcTarget()) {
				this.channels.put(name, cluster.newChannel());
			}
		});
	}

	/** The configured cluster of {@code name}, or null. */
	Cluster cluster(String name) {
		return this.clusters.get(name);
	}

	/**
	 * The channel of a configured cluster.
	 * @throws IllegalArgumentException when its URL is no gRPC target
	 */
	ManagedChannel channel(String name) {
		ManagedChannel channel = this.channels.get(name);
		if (channel == null) {
			throw new IllegalArgumentException("cluster '" + name + "' has url " + this.clusters.get(name).url()
					+ "; a gRPC target is http://host:port (h2c) or https://host:port (TLS)");
		}
		return channel;
	}

	@Override
	public void close() {
		for (ManagedChannel channel : this.channels.values()) {
			channel.shutdownNow();
		}
		for (ManagedChannel channel : this.channels.values()) {
			try {
				channel.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * A cluster as gRPC calls see it.
	 *
	 * @param name its name under {@code wasm-gateway.clusters}
	 * @param url {@code http://host:port} or {@code https://host:port}
	 * @param timeout the deadline of a call whose plugin gave none
	 * @param trustManagers what TLS trusts (null: the JVM's defaults)
	 * @param keyManagers the client's key for mutual TLS (null: none)
	 */
	record Cluster(String name, String url, Duration timeout, TrustManager[] trustManagers, KeyManager[] keyManagers) {

		/**
		 * Whether the URL is {@code http://host[:port]} or {@code https://host[:port]}.
		 */
		boolean grpcTarget() {
			if (this.url == null) {
				return false;
			}
			try {
				URI uri = new URI(this.url);
				return uri.getHost() != null
						&& ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
			}
			catch (URISyntaxException ex) {
				return false;
			}
		}

		ManagedChannel newChannel() {
			URI uri = URI.create(this.url);
			boolean tls = "https".equalsIgnoreCase(uri.getScheme());
			int port = (uri.getPort() != -1) ? uri.getPort() : (tls ? 443 : 80);
			return NettyChannelBuilder.forAddress(uri.getHost(), port, credentials(tls)).directExecutor().build();
		}

		private ChannelCredentials credentials(boolean tls) {
			if (!tls) {
				return InsecureChannelCredentials.create();
			}
			TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
			if (this.trustManagers != null) {
				builder.trustManager(this.trustManagers);
			}
			if (this.keyManagers != null) {
				builder.keyManager(this.keyManagers);
			}
			return builder.build();
		}

	}

}
