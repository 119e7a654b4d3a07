package io.github.wasmgateway.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The packaged demo gateway ({@code java -jar demo-app/target/demo.jar}) as a separate
 * process on free loopback ports, its output kept for assertions.
 */
final class DemoGateway implements AutoCloseable {

	/**
	 * How long a start may take before the test gives up: a guard against a hung process,
	 * not a performance claim (on a busy shared machine a start takes well over a
	 * minute).
	 */
	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	final int port;

	final int echoPort;

	final int grpcPort;

	final Path output;

	private final Process process;

	private final HttpClient client = HttpClient.newHttpClient();

	private DemoGateway(List<String> jvmOptions, List<String> arguments) throws IOException {
		this.port = freePort();
		this.echoPort = freePort();
		this.grpcPort = freePort();
		this.output = Files.createTempFile("demo-gateway", ".log");
		List<String> command = new ArrayList<>(List.of(javaBinary()));
		command.addAll(jvmOptions);
		command
			.addAll(List.of("-jar", jar().toString(), "--server.port=" + this.port, "--demo.echo.port=" + this.echoPort,
					"--demo.grpc.port=" + this.grpcPort, "--wasm-gateway.compile-cache="));
		command.addAll(arguments);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.output.toFile())
			.start();
	}

	/**
	 * The README's command, {@code java -jar demo-app/target/demo.jar} from the
	 * repository root, without arguments: the ports come from PORT, ECHO_PORT and
	 * GRPC_PORT, as the README says.
	 */
	private DemoGateway() throws IOException {
		this.port = freePort();
		this.echoPort = freePort();
		this.grpcPort = freePort();
		this.output = Files.createTempFile("demo-gateway", ".log");
		Path root = jar().getParent().getParent().getParent();
		ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", root.relativize(jar()).toString())
			.directory(root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.output.toFile());
		builder.environment().put("PORT", Integer.toString(this.port));
		builder.environment().put("ECHO_PORT", Integer.toString(this.echoPort));
		builder.environment().put("GRPC_PORT", Integer.toString(this.grpcPort));
		this.process = builder.start();
	}

	/** Starts the gateway and waits until it answers. */
	static DemoGateway start(String... arguments) throws Exception {
		return start(List.of(), arguments);
	}

	/** Starts the gateway with JVM options and waits until it answers. */
	static DemoGateway start(List<String> jvmOptions, String... arguments) throws Exception {
		return new DemoGateway(jvmOptions, List.of(arguments)).await("/as/ready", (status) -> true);
	}

	/**
	 * Starts the gateway as the README does and waits until it is ready (its readiness
	 * health group answers 200: start-up is over); what {@code /actuator/health} says
	 * then is for the test to check.
	 */
	static DemoGateway startAsTheReadmeSays() throws Exception {
		return new DemoGateway().await("/actuator/health/readiness", (status) -> status == 200);
	}

	private DemoGateway await(String path, IntPredicate ready) throws Exception {
		String last = "no answer";
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("the demo gateway exited:\n" + log());
			}
			try {
				HttpResponse<String> response = this.client.send(
						HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (ready.test(response.statusCode())) {
					return this;
				}
				last = response.statusCode() + " " + response.body();
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		String log = log();
		close();
		throw new IllegalStateException("the demo gateway did not answer " + path + " within "
				+ START_TIMEOUT.toSeconds() + " s (last answer: " + last + "):\n" + log);
	}

	/** Runs the gateway expecting it to fail at start-up; returns its exit code. */
	static Failed failToStart(String... arguments) throws Exception {
		return failToStart(List.of(), arguments);
	}

	/**
	 * Runs the gateway with JVM options expecting it to fail at start-up; returns its
	 * exit code.
	 */
	static Failed failToStart(List<String> jvmOptions, String... arguments) throws Exception {
		DemoGateway gateway = new DemoGateway(jvmOptions, List.of(arguments));
		if (!gateway.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			gateway.close();
			throw new IllegalStateException("the demo gateway started although it should not have");
		}
		return new Failed(gateway.process.exitValue(), gateway.log());
	}

	record Failed(int exitCode, String output) {
	}

	String log() throws IOException {
		return Files.readString(this.output);
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	/** GET on the gateway, with header name/value pairs (30 s at most: a hang guard). */
	HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() throws IOException {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Files.deleteIfExists(this.output);
	}

	private static Path jar() {
		Path jar = Path.of(System.getProperty("demo.jar", "../demo-app/target/demo.jar")).toAbsolutePath().normalize();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it with ./mvnw -Pquick install");
		}
		return jar;
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
