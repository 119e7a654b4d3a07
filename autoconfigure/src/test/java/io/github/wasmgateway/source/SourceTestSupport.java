package io.github.wasmgateway.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** Settings and plugins for the source tests. */
final class SourceTestSupport {

	private SourceTestSupport() {
	}

	/** Short timeouts and backoff (tests never wait on them), no plain http. */
	static Settings settings(Path localCopies) {
		return new Settings(localCopies);
	}

	/** A fixture plugin's bytes. */
	static byte[] fixture(String name) {
		try (InputStream in = SourceTestSupport.class.getResourceAsStream("/fixtures/" + name + ".wasm")) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static final class Settings {

		private final Path localCopies;

		private final Map<String, SourceSettings.Credentials> registries = new HashMap<>();

		private SSLContext trust;

		private boolean plainHttpLoopback;

		private int retries = 2;

		private Duration readTimeout = Duration.ofSeconds(30);

		private long maxBinaryBytes = 64L * 1024 * 1024;

		private Settings(Path localCopies) {
			this.localCopies = localCopies;
		}

		Settings withRegistryCredentials(String registry, String username, String password) {
			this.registries.put(registry, new SourceSettings.Credentials(username, password));
			return this;
		}

		Settings withTrust(SSLContext trust) {
			this.trust = trust;
			return this;
		}

		Settings withPlainHttpLoopback() {
			this.plainHttpLoopback = true;
			return this;
		}

		Settings withRetries(int retries) {
			this.retries = retries;
			return this;
		}

		Settings withReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		Settings withMaxBinaryBytes(long maxBinaryBytes) {
			this.maxBinaryBytes = maxBinaryBytes;
			return this;
		}

		SourceSettings build() {
			return new SourceSettings(Duration.ofSeconds(5), this.readTimeout, this.retries, Duration.ofMillis(1),
					this.maxBinaryBytes, this.localCopies, this.trust, this.plainHttpLoopback, this.registries);
		}

		PluginSources sources() {
			return new PluginSources(build());
		}

	}

}
