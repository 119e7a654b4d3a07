package io.github.wasmgateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins served by a local https server with a self-signed certificate that the sources
 * are configured to trust.
 */
class HttpsPluginSourceTests {

	private static final byte[] PLUGIN = SourceTestSupport.fixture("go-profile");

	private static final String SHA256 = Sha256.hex(PLUGIN);

	@TempDir
	Path directory;

	private TestCertificate certificate;

	private HttpsServer server;

	/** What the server answers, in order; the last one repeats. */
	private final List<Integer> answers = new ArrayList<>(List.of(200));

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger notModified = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void startServer() throws Exception {
		this.certificate = TestCertificate.shared();
		this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setHttpsConfigurator(new HttpsConfigurator(this.certificate.serverContext()));
		this.server.createContext("/plugin.wasm", this::serve);
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.release.countDown();
		this.server.stop(0);
	}

	private void serve(HttpExchange exchange) throws IOException {
		try (exchange) {
			int index = this.requests.getAndIncrement();
			int status = this.answers.get(Math.min(index, this.answers.size() - 1));
			if (status == 0) {
				this.release.await();
				return;
			}
			if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
				this.notModified.incrementAndGet();
				exchange.sendResponseHeaders(304, -1);
				return;
			}
			if (status != 200) {
				exchange.sendResponseHeaders(status, -1);
				return;
			}
			exchange.getResponseHeaders().add("ETag", "\"v1\"");
			exchange.sendResponseHeaders(200, PLUGIN.length);
			exchange.getResponseBody().write(PLUGIN);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String location() {
		return "https://127.0.0.1:" + this.server.getAddress().getPort() + "/plugin.wasm";
	}

	private SourceTestSupport.Settings settings() throws Exception {
		return SourceTestSupport.settings(this.directory.resolve("copies")).withTrust(this.certificate.clientContext());
	}

	@Test
	void fetchesAndVerifiesTheSha256() throws Exception {
		FetchedBinary fetched = settings().sources().fetch("demo", location(), SHA256.toUpperCase());
		assertThat(fetched.bytes()).isEqualTo(PLUGIN);
		assertThat(fetched.sha256()).isEqualTo(SHA256);
		String wrong = "0".repeat(64);
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().sources().fetch("demo", location(), wrong))
			.withMessageContaining("served a binary with sha256 " + SHA256 + ", not the pinned " + wrong);
	}

	@Test
	void requiresASha256() throws Exception {
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().sources().fetch("demo", location(), null))
			.withMessageContaining("must have its sha256 pinned: set wasm-gateway.plugins.demo.sha256");
		assertThat(this.requests).hasValue(0);
	}

	@Test
	void retriesServerErrorsWithBackoff() throws Exception {
		this.answers.clear();
		this.answers.addAll(List.of(503, 502, 200));
		assertThat(settings().withRetries(2).sources().fetch("demo", location(), SHA256).bytes()).isEqualTo(PLUGIN);
		assertThat(this.requests).hasValue(3);
	}

	@Test
	void givesUpAfterTheConfiguredRetries() throws Exception {
		this.answers.set(0, 503);
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().withRetries(2).sources().fetch("demo", location(), SHA256))
			.withMessageContaining("HTTP 503 from " + location() + " (after 3 attempts)")
			.withMessageContaining("no verified local copy");
		assertThat(this.requests).hasValue(3);
	}

	@Test
	void doesNotRetryANotFound() throws Exception {
		this.answers.set(0, 404);
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().sources().fetch("demo", location(), SHA256))
			.withMessageContaining("answered HTTP 404")
			.satisfies((ex) -> assertThat(ex.isUnreachable()).isFalse());
		assertThat(this.requests).hasValue(1);
	}

	@Test
	void aServerThatDoesNotAnswerTimesOut() throws Exception {
		this.answers.set(0, 0);
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().withRetries(0)
				.withReadTimeout(Duration.ofMillis(200))
				.sources()
				.fetch("demo", location(), SHA256))
			.withMessageContaining("no answer within 200 ms");
	}

	@Test
	void aRecheckAsksWithTheETag() throws Exception {
		PluginSources sources = settings().sources();
		FetchedBinary first = sources.fetch("demo", location(), SHA256);
		FetchedBinary again = sources.fetch("demo", location(), SHA256);
		assertThat(again).isSameAs(first);
		assertThat(this.notModified).hasValue(1);
	}

	@Test
	void serverDownAtStartUsesTheVerifiedLocalCopy() throws Exception {
		settings().sources().fetch("demo", location(), SHA256);
		String location = location();
		this.server.stop(0);
		FetchedBinary restarted = settings().withRetries(0).sources().fetch("demo", location, SHA256);
		assertThat(restarted.fromLocalCopy()).isTrue();
		assertThat(restarted.bytes()).isEqualTo(PLUGIN);
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().withRetries(0).sources().fetch("demo", location, "0".repeat(64)))
			.withMessageContaining("there is no verified local copy to start from");
	}

	@Test
	void theLocalCopiesDirectoryIsOwnerOnly() throws Exception {
		settings().sources().fetch("demo", location(), SHA256);
		assertThat(Files.getPosixFilePermissions(this.directory.resolve("copies")))
			.containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
		assertThat(Files.getPosixFilePermissions(this.directory.resolve("copies/demo.wasm")))
			.containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void plainHttpOnlyToLoopbackAndOnlyWhenAllowed() throws Exception {
		String plain = "http://127.0.0.1:1/plugin.wasm";
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().sources().fetch("demo", plain, SHA256))
			.withMessageContaining("plain http is off; set wasm-gateway.sources.plain-http-loopback=true");
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().withPlainHttpLoopback()
				.sources()
				.fetch("demo", "http://plugins.example.com/plugin.wasm", SHA256))
			.withMessageContaining("plain http is refused for plugins.example.com");
	}

	@Test
	void refusesABinaryLargerThanTheLimit() throws Exception {
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> settings().withMaxBinaryBytes(1000).sources().fetch("demo", location(), SHA256))
			.withMessageContaining("is " + PLUGIN.length + " bytes, more than the 1000 allowed")
			.withMessageContaining("wasm-gateway.max-binary-size");
	}

}
