package io.github.wasmgateway.demo;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The demo's gRPC service, {@code demo.Gate}, on its own port ({@code demo.grpc.port},
 * default 8082), which plugins reach as the cluster {@code grpc-demo}. Messages are plain
 * UTF-8 (a gRPC message is any bytes; a real service would speak protobuf):
 * <ul>
 * <li>{@code Check} (unary): {@code allow <name>}, or {@code deny: <name> is not
 * welcome} for a name on the demo's block list</li>
 * <li>{@code Chat} (bidirectional): {@code echo:<message>} for each message</li>
 * </ul>
 */
@Component
public class GateService implements SmartLifecycle {

	static final String SERVICE = "demo.Gate";

	private static final Set<String> BLOCKED = Set.of("mallory", "eve");

	private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	};

	private final int port;

	private Server server;

	public GateService(@Value("${demo.grpc.port}") int port) {
		this.port = port;
	}

	@Override
	public void start() {
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", this.port))
				.addService(definition())
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the demo's gRPC service cannot listen on 127.0.0.1:" + this.port, ex);
		}
	}

	private static ServerServiceDefinition definition() {
		return ServerServiceDefinition.builder(SERVICE)
			.addMethod(method("Check", MethodDescriptor.MethodType.UNARY),
					ServerCalls.asyncUnaryCall((String name, StreamObserver<String> answer) -> {
						answer.onNext(BLOCKED.contains(name) ? "deny: " + name + " is not welcome" : "allow " + name);
						answer.onCompleted();
					}))
			.addMethod(method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING),
					ServerCalls.asyncBidiStreamingCall((StreamObserver<String> answer) -> new StreamObserver<String>() {
						@Override
						public void onNext(String message) {
							answer.onNext("echo:" + message);
						}

						@Override
						public void onError(Throwable error) {
						}

						@Override
						public void onCompleted() {
							answer.onCompleted();
						}
					}))
			.build();
	}

	private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
		return MethodDescriptor.newBuilder(TEXT, TEXT)
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
			.build();
	}

	@Override
	public void stop() {
		if (this.server != null) {
			this.server.shutdownNow();
			try {
				this.server.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.server = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/** Start before the gateway takes traffic. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

}
