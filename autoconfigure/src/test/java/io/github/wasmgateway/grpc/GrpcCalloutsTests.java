package io.github.wasmgateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.StreamDirection;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.HostServices;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exerciser fixture (fixtures/README.md, "gRPC") calling real grpc-java servers
 * through {@link GrpcCallouts}, compiled and interpreted: unary calls, the three kinds of
 * streams, cancel, deadlines, failures, TLS, and the names a plugin may give. The VM runs
 * on its own worker thread, as on a gateway's event loop; the server's answers reach it
 * from grpc-java's threads.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = ExecutionMode.class, names = { "AOT", "INTERPRETER" })
class GrpcCalloutsTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	static final Map<ExecutionMode, CompiledPlugin> compiled = new LinkedHashMap<>();

	static TestGrpcServer server;

	static TestGrpcServer tlsServer;

	static int closedPort;

	@Parameter
	ExecutionMode mode;

	ExecutorService worker;

	GrpcCallouts callouts;

	Plugin plugin;

	PluginConfiguration configuration;

	@BeforeAll
	static void startServers() throws IOException {
		server = TestGrpcServer.start();
		tlsServer = TestGrpcServer.start(true);
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
	}

	@AfterAll
	static void stopServers() throws InterruptedException {
		server.close();
		tlsServer.close();
	}

	@BeforeEach
	void startPlugin() throws Exception {
		this.worker = Executors.newSingleThreadExecutor((task) -> new Thread(task, "vm-worker"));
		Map<String, GrpcChannels.Cluster> clusters = new LinkedHashMap<>();
		clusters.put("echo", cluster("echo", "http://127.0.0.1:" + server.port(), null));
		clusters.put("secure", cluster("secure", "https://127.0.0.1:" + tlsServer.port(), testTrust()));
		clusters.put("down", cluster("down", "http://127.0.0.1:" + closedPort, null));
		this.callouts = new GrpcCallouts(new GrpcChannels(clusters));
		HostServices services = HostServices.builder().withGrpc(this.callouts).withWorkers(() -> this.worker).build();
		CompiledPlugin code = compiled.computeIfAbsent(this.mode, (mode) -> engine.compile(exerciserBinary(), mode));
		this.plugin = engine.createPlugin(code, PluginSettings.builder("exerciser").build(), services);
		this.configuration = this.plugin.configure(new byte[0]);
		server.calls.clear();
	}

	@AfterEach
	void stopPlugin() throws Exception {
		this.worker.submit(this.plugin::close).get();
		this.worker.shutdown();
		this.callouts.close();
	}

	// ---- unary calls

	@Test
	void unaryCallReachesTheServerAndItsAnswerResumesTheRequest() throws Exception {
		Result result = run("grpc-call", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Echo",
				"x-value", "hello", "x-grpc-metadata", "x-tenant=blue");
		assertThat(result.action).isEqualTo(Decision.Flow.STOP_ITERATION);
		assertThat(result.resumed).isTrue();
		assertThat(result.header("x-grpc-message")).isEqualTo("echo:hello");
		assertThat(result.header("x-grpc-events")).isEqualTo("message:10");

		TestGrpcServer.Call call = server.nextCall();
		assertThat(call.method()).isEqualTo("Echo");
		assertThat(call.header("x-from-exerciser")).isEqualTo("1");
		assertThat(call.header("x-tenant")).isEqualTo("blue");
		// the plugin's timeout travels as the gRPC deadline
		assertThat(call.header("grpc-timeout")).isNotNull();
	}

	@Test
	void statusTheServerAnswersReachesThePluginWithItsMessage() throws Exception {
		Result result = run("grpc-call", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Deny");
		assertThat(result.header("x-grpc-status")).isEqualTo("7");
		assertThat(result.header("x-grpc-status-message")).isEqualTo("not for you");
		assertThat(result.header("x-grpc-get-status-code")).isEqualTo("7");
	}

	@Test
	void callPastItsDeadlineClosesWithDeadlineExceeded() throws Exception {
		Result result = run("grpc-call", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Slow",
				"x-timeout", "100");
		assertThat(result.header("x-grpc-status")).isEqualTo("4");
		assertThat(result.header("x-grpc-events")).isEqualTo("close:4");
		// the server learned that the caller gave up
		assertThat(server.slowCallCancelled()).isTrue();
	}

	@Test
	void cancelledCallIsCancelledAtTheServerAndNeverAnswered() throws Exception {
		Exchange exchange = exchange("grpc-call", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method",
				"Slow");
		HttpStream stream = runOnWorker(() -> this.plugin.openStream(this.configuration, exchange));
		assertThat(runOnWorker(() -> stream.onRequestHeaders(true))).isEqualTo(Decision.Flow.STOP_ITERATION);
		String token = runOnWorker(() -> exchange.headers.get("x-result"));
		assertThat(server.nextCall().method()).isEqualTo("Slow");

		assertThat(run("grpc-cancel:" + token).status()).isEqualTo("0");

		assertThat(server.slowCallCancelled()).isTrue();
		runOnWorker(() -> {
			stream.finish();
			return null;
		});
		assertThat(exchange.done.getCount()).isOne();
		assertThat(runOnWorker(this::statsEvents)).isEqualTo("0");
	}

	@Test
	void clusterNobodyConfiguredIsRefusedAsEnvoyDoes() throws Exception {
		Result result = run("grpc-call", "x-cluster", "evil.example.com:443");
		// PARSE_FAILURE: neither a GrpcService nor a configured cluster
		assertThat(result.status()).isEqualTo("4");
		assertThat(result.action).isEqualTo(Decision.Flow.CONTINUE);
		Result proto = run("grpc-call", "x-grpc-service-proto", "evil");
		assertThat(proto.status()).isEqualTo("2");
	}

	@Test
	void serverThatIsDownClosesTheCallUnavailable() throws Exception {
		Result result = run("grpc-call", "x-cluster", "down", "x-grpc-service", "test.Echo", "x-grpc-method", "Echo");
		assertThat(result.header("x-grpc-status")).isEqualTo("14");
		assertThat(result.header("x-grpc-status-message")).isNotEmpty();
	}

	@Test
	void grpcServiceProtoNamesTheClusterTheAuthorityAndMoreMetadata() throws Exception {
		Result result = run("grpc-call", "x-grpc-service-proto", "echo", "x-grpc-authority", "auth.internal",
				"x-grpc-service-header", "x-from-service=yes", "x-grpc-service", "test.Echo", "x-grpc-method", "Echo",
				"x-value", "via proto");
		assertThat(result.header("x-grpc-message")).isEqualTo("echo:via proto");
		TestGrpcServer.Call call = server.nextCall();
		assertThat(call.authority()).isEqualTo("auth.internal");
		assertThat(call.header("x-from-service")).isEqualTo("yes");
	}

	@Test
	void higressClusterNameFindsTheClusterByItsHost() throws Exception {
		Result result = run("grpc-call", "x-cluster", "outbound|50051||echo.default.svc.cluster.local",
				"x-grpc-service", "test.Echo", "x-grpc-method", "Echo", "x-value", "higress");
		assertThat(result.header("x-grpc-message")).isEqualTo("echo:higress");
	}

	@Test
	void tlsClusterIsCalledOverTls() throws Exception {
		Result result = run("grpc-call", "x-cluster", "secure", "x-grpc-service", "test.Echo", "x-grpc-method", "Echo",
				"x-value", "secret");
		assertThat(result.header("x-grpc-message")).isEqualTo("echo:secret");
	}

	// ---- streams

	@Test
	void serverStreamingDeliversEveryMessageBetweenTheMetadata() throws Exception {
		Result result = run("grpc-stream", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Count",
				"x-grpc-messages", "3", "x-end-stream", "1");
		assertThat(result.action).isEqualTo(Decision.Flow.STOP_ITERATION);
		assertThat(result.header("x-grpc-received")).isEqualTo("1|2|3");
		assertThat(result.header("x-grpc-events"))
			.matches("headers:\\d+,message:1,message:1,message:1,trailers:\\d+,close:0");
		assertThat(result.header("x-grpc-initial-metadata")).startsWith(":status=200").contains("x-server=initial");
		assertThat(result.header("x-grpc-trailing-metadata")).contains("x-server-trailer=done")
			.endsWith("grpc-status=0");
		assertThat(result.header("x-grpc-release-status")).isEqualTo("0");
	}

	@Test
	void clientStreamingSendsEveryMessageThenHalfCloses() throws Exception {
		Result result = run("grpc-stream", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Join",
				"x-grpc-messages", "a,b,c", "x-end-stream", "1");
		assertThat(result.header("x-status-send")).isEqualTo("0,0,0");
		assertThat(result.header("x-grpc-received")).isEqualTo("a+b+c");
		assertThat(result.header("x-grpc-status")).isEqualTo("0");
	}

	@Test
	void bidirectionalStreamAnswersEachMessageTheCallbackSends() throws Exception {
		Result result = run("grpc-stream", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Chat",
				"x-grpc-messages", "x,y,z", "x-grpc-mode", "ping-pong", "x-end-stream", "1");
		assertThat(result.header("x-grpc-received")).isEqualTo("echo:x|echo:y|echo:z");
		assertThat(result.header("x-grpc-status")).isEqualTo("0");
	}

	@Test
	void streamClosedByProxyGrpcCloseStillHearsTheServer() throws Exception {
		Result result = run("grpc-stream", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Chat",
				"x-grpc-messages", "one,two", "x-grpc-close", "1");
		assertThat(result.header("x-status-close")).isEqualTo("0");
		assertThat(result.header("x-grpc-received")).isEqualTo("echo:one|echo:two");
		assertThat(result.header("x-grpc-status")).isEqualTo("0");
	}

	@Test
	void trailersOnlyFailureOfAStreamHasEmptyInitialMetadata() throws Exception {
		Result result = run("grpc-stream", "x-cluster", "echo", "x-grpc-service", "test.Echo", "x-grpc-method", "Deny",
				"x-end-stream", "1");
		// as Envoy's client: empty initial metadata, then the trailers, then the close
		assertThat(result.header("x-grpc-events")).matches("headers:0,trailers:\\d+,close:7");
		assertThat(result.header("x-grpc-trailing-metadata")).contains("grpc-status=7")
			.contains("grpc-message=not for you");
	}

	@Test
	void streamToAServerThatIsDownClosesWithEmptyTrailers() throws Exception {
		Result result = run("grpc-stream", "x-cluster", "down", "x-grpc-service", "test.Echo", "x-grpc-method", "Chat");
		assertThat(result.header("x-grpc-events")).isEqualTo("trailers:0,close:14");
	}

	// ---- the harness

	/** What one request saw. */
	record Result(Decision action, boolean resumed, ListHeaderMap headers, LocalResponse localResponse) {

		String header(String name) {
			return this.headers.get(name);
		}

		String status() {
			return header("x-status");
		}

	}

	/**
	 * Runs the op in the request headers on the VM's worker and, when the plugin paused,
	 * waits until it resumes or answers the request.
	 */
	Result run(String op, String... inputs) throws Exception {
		Exchange exchange = exchange(op, inputs);
		ListHeaderMap headers = exchange.headers;
		HttpStream stream = runOnWorker(() -> this.plugin.openStream(this.configuration, exchange));
		Decision action = runOnWorker(() -> stream.onRequestHeaders(true));
		boolean resumed = false;
		if (action == Decision.Flow.STOP_ITERATION) {
			assertThat(exchange.done.await(10, TimeUnit.SECONDS)).as("the plugin resumed or answered").isTrue();
			resumed = exchange.resumed;
		}
		ListHeaderMap seen = runOnWorker(() -> {
			stream.finish();
			return ListHeaderMap.copyOf(headers);
		});
		assertThat(exchange.failure).isNull();
		return new Result(action, resumed, seen, exchange.response);
	}

	/**
	 * A GET of {@code /} asking the exerciser for {@code op}, its inputs as headers; a
	 * call's deadline is 10 s unless {@code x-timeout} says otherwise.
	 */
	static Exchange exchange(String op, String... inputs) {
		ListHeaderMap headers = ListHeaderMap.of(":method", "GET", ":path", "/", ":authority", "gateway", "x-op", op);
		for (int i = 0; i < inputs.length; i += 2) {
			headers.add(inputs[i], inputs[i + 1]);
		}
		if (headers.get("x-timeout") == null) {
			headers.add("x-timeout", "10000");
		}
		return new Exchange(headers);
	}

	<T> T runOnWorker(Callable<T> work) throws Exception {
		return this.worker.submit(work).get(10, TimeUnit.SECONDS);
	}

	private String statsEvents() {
		Exchange exchange = exchange("stats");
		HttpStream stream = this.plugin.openStream(this.configuration, exchange);
		stream.onRequestHeaders(true);
		stream.finish();
		return exchange.headers.get("x-result-grpc-events");
	}

	/** The request side of one exchange; counts down when the plugin lets it go on. */
	static final class Exchange implements HttpExchange {

		final ListHeaderMap headers;

		final CountDownLatch done = new CountDownLatch(1);

		volatile boolean resumed;

		volatile LocalResponse response;

		volatile PluginCallException failure;

		Exchange(ListHeaderMap headers) {
			this.headers = headers;
		}

		@Override
		public HeaderMap requestHeaders() {
			return this.headers;
		}

		@Override
		public void decided(Decision decision) {
			if (decision instanceof Decision.Resume) {
				this.resumed = true;
			}
			else if (decision instanceof Decision.Reply reply) {
				this.response = reply.response();
			}
			else if (decision instanceof Decision.Fail fail) {
				this.failure = fail.failure();
			}
			this.done.countDown();
		}

	}

	static GrpcChannels.Cluster cluster(String name, String url, TrustManager[] trust) {
		return new GrpcChannels.Cluster(name, url, Duration.ofSeconds(5), trust, null);
	}

	/** Trusts the test certificate {@code grpc/server.crt}. */
	static TrustManager[] testTrust() throws Exception {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		try (InputStream cert = GrpcCalloutsTests.class.getClassLoader().getResourceAsStream("grpc/server.crt")) {
			store.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(cert));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory.getTrustManagers();
	}

	static PluginBinary exerciserBinary() {
		try (InputStream in = GrpcCalloutsTests.class.getResourceAsStream("/fixtures/exerciser.wasm")) {
			return PluginBinary.of(in.readAllBytes(), "fixtures/exerciser.wasm");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
