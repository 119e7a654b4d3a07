package io.github.wasmgateway.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port: the one on the PATH (Debian's
 * redis-server package), else the binary shipped in the embedded-redis test jar. Tests
 * that need Redis fail when none can be started; they never skip.
 */
final class RedisServer implements AutoCloseable {

	private static volatile Path binary;

	private final int port;

	/** A configuration file given before the arguments, or null. */
	private final Path config;

	private final List<String> arguments;

	private final Path log;

	private final Path directory;

	private Process process;

	private RedisServer(int port, Path config, List<String> arguments) {
		this.port = port;
		this.config = config;
		this.arguments = arguments;
		try {
			this.log = Files.createTempFile("redis-server-" + port, ".log");
			this.directory = Files.createTempDirectory("redis-server-" + port);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A server without authentication. */
	static RedisServer launch(String... extraArguments) {
		RedisServer server = new RedisServer(freePort(), null, List.of(extraArguments));
		server.start();
		return server;
	}

	/**
	 * A node of a Redis Cluster, not yet part of one (its cluster bus port, this port
	 * plus 10000, must be free too).
	 */
	static RedisServer launchClusterNode(String... extraArguments) {
		int port = freeClusterPort();
		List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
				tempFile("nodes-" + port, ".conf").toString(), "--cluster-node-timeout", "2000"));
		arguments.addAll(List.of(extraArguments));
		RedisServer server = new RedisServer(port, null, arguments);
		server.start();
		return server;
	}

	/**
	 * A Sentinel watching the master on {@code masterPort} under the name {@code master}.
	 */
	static RedisServer launchSentinel(String master, int masterPort) {
		Path config = tempFile("sentinel", ".conf");
		try {
			Files.writeString(config,
					"sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 1\n"
							+ "sentinel down-after-milliseconds " + master + " 2000\n" + "sentinel failover-timeout "
							+ master + " 10000\n" + "sentinel resolve-hostnames no\n");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		RedisServer server = new RedisServer(freePort(), config, List.of("--sentinel"));
		server.start();
		return server;
	}

	private static Path tempFile(String prefix, String suffix) {
		try {
			Path file = Files.createTempFile(prefix, suffix);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.port;
	}

	String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Starts (again, after {@link #stop()}) on the same port. */
	synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of(binary().toString()));
		if (this.config != null) {
			command.add(this.config.toString());
		}
		// a directory of its own: a replica's or a test's snapshot must not be loaded by
		// the next server
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--daemonize", "no",
				"--logfile", "", "--dir", this.directory.toString()));
		if (this.config == null) {
			command.addAll(List.of("--save", "", "--appendonly", "no"));
		}
		command.addAll(this.arguments);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (true) {
			try {
				this.process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
					.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("could not run " + command + ": " + ex.getMessage(), ex);
			}
			if (awaitReady(deadline)) {
				return;
			}
			// the port may still be held by the previous process: try again until the
			// deadline
			this.process.destroyForcibly();
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"redis-server did not start on port " + this.port + ": " + command + "\n" + readLog());
			}
			sleep(100);
		}
	}

	/** Stops the server (the port stays reserved for {@link #start()}). */
	synchronized void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/** Sends one command and returns the reply's first line. */
	String command(String... words) {
		return request(false, words);
	}

	/**
	 * Sends one command and returns its reply's text: a bulk string's content, a simple
	 * string, error or integer without its type byte.
	 */
	String text(String... words) {
		return request(true, words);
	}

	/** Sends one command whose reply is an array of bulk strings, and returns them. */
	List<String> array(String... words) {
		try (Socket socket = send(words)) {
			InputStream in = socket.getInputStream();
			String header = readLine(in);
			if (!header.startsWith("*")) {
				throw new IllegalStateException(List.of(words) + " answered " + header);
			}
			List<String> elements = new ArrayList<>();
			for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
				int length = Integer.parseInt(readLine(in).substring(1));
				elements.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
				readLine(in);
			}
			return elements;
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server on port " + this.port + ": " + ex.getMessage(), ex);
		}
	}

	private String request(boolean whole, String... words) {
		try (Socket socket = send(words)) {
			InputStream in = socket.getInputStream();
			String line = readLine(in);
			if (!whole) {
				return line;
			}
			if (line.startsWith("$") && !line.equals("$-1")) {
				byte[] bulk = in.readNBytes(Integer.parseInt(line.substring(1)));
				return new String(bulk, StandardCharsets.UTF_8);
			}
			return line.substring(1);
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server on port " + this.port + ": " + ex.getMessage(), ex);
		}
	}

	/** A connection on which {@code words} were sent as one command. */
	private Socket send(String... words) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
			for (String word : words) {
				request.append('$')
					.append(word.getBytes(StandardCharsets.UTF_8).length)
					.append("\r\n")
					.append(word)
					.append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	private boolean awaitReady(long deadline) {
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				return false;
			}
			try {
				String reply = command("PING");
				// a server that requires a password answers -NOAUTH: it is up all the
				// same
				if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {
					return true;
				}
			}
			catch (IllegalStateException ex) {
				// not listening yet
			}
			sleep(20);
		}
		return false;
	}

	private String readLog() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		stop();
		try (var files = Files.walk(this.directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	/** A free port whose cluster bus port (plus 10000) is free too. */
	static int freeClusterPort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = freePort();
			if (port + 10000 <= 65535 && isFree(port + 10000)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port pair for a Redis Cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * redis-server from the PATH, else the embedded-redis jar's binary for this machine.
	 */
	static Path binary() {
		Path found = binary;
		if (found != null) {
			return found;
		}
		synchronized (RedisServer.class) {
			if (binary == null) {
				binary = locate();
				System.out.println("Redis tests use " + binary + " (" + version(binary) + ")");
			}
			return binary;
		}
	}

	private static String version(Path server) {
		try {
			Process process = new ProcessBuilder(server.toString(), "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			process.waitFor(10, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			return "version unknown: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "version unknown";
		}
	}

	private static Path locate() {
		String path = System.getenv("PATH");
		// -Dredis-server=embedded tries the jar's binary even when one is installed
		if (path != null && !"embedded".equals(System.getProperty("redis-server"))) {
			for (String directory : path.split(File.pathSeparator)) {
				Path candidate = Path.of(directory, "redis-server");
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		String resource;
		if (os.contains("linux")) {
			resource = switch (arch) {
				case "amd64", "x86_64" -> "redis-server-6.2.6-v5-linux-amd64";
				case "aarch64", "arm64" -> "redis-server-6.2.7-linux-arm64";
				default -> "redis-server-6.2.7-linux-386";
			};
		}
		else if (os.contains("mac")) {
			resource = arch.contains("aarch64") || arch.contains("arm") ? "redis-server-6.2.6-v5-darwin-arm64"
					: "redis-server-6.2.6-v5-darwin-amd64";
		}
		else {
			throw new IllegalStateException("no redis-server on the PATH and none shipped for " + os + "/" + arch
					+ ": install redis-server (Debian: apt-get install redis-server)");
		}
		try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("no redis-server on the PATH and no " + resource
						+ " on the class path (com.github.codemonstur:embedded-redis): install redis-server");
			}
			Path file = Files.createTempFile("redis-server", "");
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
			if (!file.toFile().setExecutable(true)) {
				throw new IllegalStateException("cannot make " + file + " executable");
			}
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot extract " + resource + ": " + ex.getMessage(), ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
