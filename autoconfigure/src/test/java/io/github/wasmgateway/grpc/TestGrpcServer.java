package io.github.wasmgateway.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real grpc-java server on a free loopback port (h2c, or TLS with the test certificate
 * {@code grpc/server.crt}, self-signed for 127.0.0.1), serving {@code test.Echo} with
 * plain UTF-8 messages:
 * <ul>
 * <li>{@code Echo} (unary): {@code echo:<message>}</li>
 * <li>{@code Say} (unary): the message itself</li>
 * <li>{@code Deny} (unary): PERMISSION_DENIED "not for you", trailers only</li>
 * <li>{@code Slow} (unary): never answers; {@link #cancelled} gets a permit when the
 * caller gives up</li>
 * <li>{@code Count} (server streaming): {@code 1} to {@code <message>}</li>
 * <li>{@code Join} (client streaming): the messages joined with {@code +}</li>
 * <li>{@code Chat} (bidirectional): {@code echo:<message>} for each message</li>
 * </ul>
 * Every answer carries the initial metadata {@code x-server: initial} and the trailer
 * {@code x-server-trailer: done}; what each call arrived with is kept in {@link #calls}.
 */
final class TestGrpcServer implements AutoCloseable {

	static final String SERVICE = "test.Echo";

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

	private static final Metadata.Key<String> SERVER = Metadata.Key.of("x-server", Metadata.ASCII_STRING_MARSHALLER);

	private static final Metadata.Key<String> SERVER_TRAILER = Metadata.Key.of("x-server-trailer",
			Metadata.ASCII_STRING_MARSHALLER);

	/** What a call arrived with. */
	record Call(String method, String authority, Metadata headers) {

		String header(String name) {
			return this.headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
		}

	}

	final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

	final Semaphore cancelled = new Semaphore(0);

	private final Server server;

	private TestGrpcServer(boolean tls) throws IOException {
		NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
		if (tls) {
			try (InputStream cert = resource("grpc/server.crt"); InputStream key = resource("grpc/server.key")) {
				builder.sslContext(GrpcSslContexts.forServer(cert, key).build());
			}
		}
		this.server = builder.addService(ServerInterceptors.intercept(service(), new Recorder())).build().start();
	}

	static TestGrpcServer start() {
		return start(false);
	}

	static TestGrpcServer start(boolean tls) {
		try {
			return new TestGrpcServer(tls);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the test gRPC server did not start", ex);
		}
	}

	/** Whether a {@code Slow} call was given up by its caller within ten seconds. */
	boolean slowCallCancelled() throws InterruptedException {
		return this.cancelled.tryAcquire(10, TimeUnit.SECONDS);
	}

	int port() {
		return this.server.getPort();
	}

	/** The next call the server received. */
	Call nextCall() throws InterruptedException {
		Call call = this.calls.poll(10, TimeUnit.SECONDS);
		if (call == null) {
			throw new AssertionError("the gRPC server received no call");
		}
		return call;
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private static InputStream resource(String name) {
		return TestGrpcServer.class.getClassLoader().getResourceAsStream(name);
	}

	private ServerServiceDefinition service() {
		return ServerServiceDefinition.builder(SERVICE)
			.addMethod(method("Echo", MethodDescriptor.MethodType.UNARY),
					ServerCalls.asyncUnaryCall((String message, StreamObserver<String> answer) -> {
						answer.onNext("echo:" + message);
						answer.onCompleted();
					}))
			.addMethod(method("Say", MethodDescriptor.MethodType.UNARY),
					ServerCalls.asyncUnaryCall((String message, StreamObserver<String> answer) -> {
						answer.onNext(message);
						answer.onCompleted();
					}))
			.addMethod(method("Deny", MethodDescriptor.MethodType.UNARY),
					ServerCalls.asyncUnaryCall((String message, StreamObserver<String> answer) -> answer
						.onError(Status.PERMISSION_DENIED.withDescription("not for you").asRuntimeException())))
			.addMethod(method("Slow", MethodDescriptor.MethodType.UNARY),
					ServerCalls.asyncUnaryCall((String message, StreamObserver<String> answer) -> {
					}))
			.addMethod(method("Count", MethodDescriptor.MethodType.SERVER_STREAMING),
					ServerCalls.asyncServerStreamingCall((String message, StreamObserver<String> answer) -> {
						for (int i = 1; i <= Integer.parseInt(message); i++) {
							answer.onNext(Integer.toString(i));
						}
						answer.onCompleted();
					}))
			.addMethod(method("Join", MethodDescriptor.MethodType.CLIENT_STREAMING),
					ServerCalls.asyncClientStreamingCall((StreamObserver<String> answer) -> new Collect(answer, true)))
			.addMethod(method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING),
					ServerCalls.asyncBidiStreamingCall((StreamObserver<String> answer) -> new Collect(answer, false)))
			.build();
	}

	private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
		return MethodDescriptor.newBuilder(TEXT, TEXT)
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
			.build();
	}

	/** Join: one answer at the end; Chat: an answer per message. */
	private static final class Collect implements StreamObserver<String> {

		private final StreamObserver<String> answer;

		private final boolean join;

		private final List<String> messages = new ArrayList<>();

		Collect(StreamObserver<String> answer, boolean join) {
			this.answer = answer;
			this.join = join;
		}

		@Override
		public void onNext(String message) {
			if (this.join) {
				this.messages.add(message);
			}
			else {
				this.answer.onNext("echo:" + message);
			}
		}

		@Override
		public void onError(Throwable error) {
		}

		@Override
		public void onCompleted() {
			if (this.join) {
				this.answer.onNext(String.join("+", this.messages));
			}
			this.answer.onCompleted();
		}

	}

	/** Keeps what each call arrived with; adds the server's metadata to every answer. */
	private final class Recorder implements ServerInterceptor {

		@Override
		public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
				ServerCallHandler<Q, A> next) {
			String method = call.getMethodDescriptor().getBareMethodName();
			if (method.equals("Slow")) {
				// the call's context ends when the caller cancels, even before its
				// message
				Context.current().addListener((context) -> TestGrpcServer.this.cancelled.release(), Runnable::run);
			}
			TestGrpcServer.this.calls.add(new Call(method, call.getAuthority(), headers));
			return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
				@Override
				public void sendHeaders(Metadata metadata) {
					metadata.put(SERVER, "initial");
					super.sendHeaders(metadata);
				}

				@Override
				public void close(Status status, Metadata trailers) {
					trailers.put(SERVER_TRAILER, "done");
					super.close(status, trailers);
				}
			}, headers);
		}

	}

}
