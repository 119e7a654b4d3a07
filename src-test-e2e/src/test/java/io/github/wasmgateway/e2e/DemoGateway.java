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

/**
 * The packaged demo gateway ({@code java -jar demo-app/target/demo.jar}) as a separate
 * process on free loopback ports, its output kept for assertions.
 */
final class DemoGateway implements AutoCloseable {

	final int port;

	final int echoPort;

	final int grpcPort;

	final Path output;

	private final Process process;

	private DemoGateway(List<String> arguments) throws IOException {
		this.port = freePort();
		this.echoPort = freePort();
		this.grpcPort = freePort();
		this.output = Files.createTempFile("demo-gateway", ".log");
		List<String> command = new ArrayList<>(
				List.of(javaBinary(), "-jar", jar(), "--server.port=" + this.port, "--demo.echo.port=" + this.echoPort,
						"--demo.grpc.port=" + this.grpcPort, "--wasm-gateway.compile-cache="));
		command.addAll(arguments);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.output.toFile())
			.start();
	}

	/** Starts the gateway and waits until it answers. */
	static DemoGateway start(String... arguments) throws Exception {
		DemoGateway gateway = new DemoGateway(List.of(arguments));
		HttpClient client = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (!gateway.process.isAlive()) {
				throw new IllegalStateException("the demo gateway exited:\n" + gateway.log());
			}
			try {
				client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/as/ready"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
				return gateway;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		gateway.close();
		throw new IllegalStateException("the demo gateway did not answer within 60 s:\n" + gateway.log());
	}

	/** Runs the gateway expecting it to fail at start-up; returns its exit code. */
	static Failed failToStart(String... arguments) throws Exception {
		DemoGateway gateway = new DemoGateway(List.of(arguments));
		if (!gateway.process.waitFor(60, TimeUnit.SECONDS)) {
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

	private static String jar() {
		String jar = System.getProperty("demo.jar", "../demo-app/target/demo.jar");
		if (!Files.isRegularFile(Path.of(jar))) {
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
