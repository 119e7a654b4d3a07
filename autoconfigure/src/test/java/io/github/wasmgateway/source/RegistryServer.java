package io.github.wasmgateway.source;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The CNCF distribution registry (Debian's docker-registry package) on a free loopback
 * port with its own configuration and storage, as a test's real OCI registry. A test that
 * needs it fails when it cannot start: install the package (.ci/run does).
 */
final class RegistryServer implements AutoCloseable {

	static final Path BINARY = Path.of("/usr/bin/docker-registry");

	/** bcrypt (cost 4) of {@link #PASSWORD}, for the htpasswd file. */
	static final String PASSWORD_BCRYPT = "$2b$04$kle/q.lpZXXbgnpD612VZ.Y7vXKK2dUQ6q4mUXuR/UONP0XR0JSeG";

	static final String USER = "alice";

	static final String PASSWORD = "plugin-secret";

	private final Process process;

	private final Path log;

	final int port;

	final boolean tls;

	private RegistryServer(Process process, Path log, int port, boolean tls) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.tls = tls;
	}

	/** An anonymous registry over plain http. */
	static RegistryServer anonymous(Path directory) throws Exception {
		return start(directory, "", null);
	}

	/** A registry that asks for Basic credentials ({@link #USER}, {@link #PASSWORD}). */
	static RegistryServer basic(Path directory) throws Exception {
		Path htpasswd = Files.createDirectories(directory).resolve("htpasswd");
		Files.writeString(htpasswd, USER + ":" + PASSWORD_BCRYPT + "\n");
		return start(directory, "auth:\n  htpasswd:\n    realm: test\n    path: " + htpasswd + "\n", null);
	}

	/** A registry that trusts tokens from {@code tokens}. */
	static RegistryServer token(Path directory, TokenServer tokens) throws Exception {
		return start(directory,
				"auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + TokenServer.SERVICE
						+ "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: "
						+ tokens.certificate().certificatePem + "\n",
				null);
	}

	/** An anonymous registry over TLS with {@code certificate}. */
	static RegistryServer tls(Path directory, TestCertificate certificate) throws Exception {
		return start(directory, "", certificate);
	}

	private static RegistryServer start(Path directory, String auth, TestCertificate certificate) throws Exception {
		if (!Files.isExecutable(BINARY)) {
			throw new IllegalStateException(BINARY + " is missing: install Debian's docker-registry package");
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Path storage = Files.createDirectories(directory.resolve("storage"));
		String tls = (certificate != null)
				? "  tls:\n    certificate: " + certificate.certificatePem + "\n    key: " + certificate.keyPem + "\n"
				: "";
		Path config = directory.resolve("config.yml");
		Files.writeString(config,
				"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
						+ "    rootdirectory: " + storage + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:"
						+ port + "\n" + tls + auth);
		Path log = directory.resolve("registry.log");
		Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		RegistryServer server = new RegistryServer(process, log, port, certificate != null);
		server.awaitReady(certificate);
		return server;
	}

	private void awaitReady(TestCertificate certificate) throws Exception {
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
		if (certificate != null) {
			builder.sslContext(certificate.clientContext());
		}
		HttpClient client = builder.build();
		URI uri = URI.create(base() + "/v2/");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("docker-registry exited: " + output());
			}
			try {
				int status = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
					.statusCode();
				if (status == 200 || status == 401) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(50);
		}
		close();
		throw new IllegalStateException("docker-registry did not answer within 60 s: " + output());
	}

	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	/** host:port, as an image reference names the registry. */
	String host() {
		return "127.0.0.1:" + this.port;
	}

	String base() {
		return (this.tls ? "https://" : "http://") + host();
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
