package io.github.wasmgateway.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How remote plugin sources are fetched.
 *
 * @param connectTimeout longest wait for a connection
 * @param readTimeout longest wait for one whole answer
 * @param retries further attempts after a failed one (connection error, timeout, 5xx,
 * 429)
 * @param retryBackoff wait before the first retry; doubled for each next one, at most
 * {@link #MAX_BACKOFF_FACTOR} times this
 * @param maxBinaryBytes largest binary (or image layer) accepted
 * @param localCopies directory of verified local copies; null for none
 * @param sslContext trust for https sources and registries; null for the JVM's default
 * @param plainHttpLoopback whether {@code http:} and OCI registries on a loopback address
 * may be used without TLS (never for any other address)
 * @param registries credentials per registry host ({@code host} or {@code host:port})
 */
public record SourceSettings(Duration connectTimeout, Duration readTimeout, int retries, Duration retryBackoff,
		long maxBinaryBytes, Path localCopies, SSLContext sslContext, boolean plainHttpLoopback,
		Map<String, Credentials> registries) {

	/** The longest backoff, as a multiple of the first. */
	public static final int MAX_BACKOFF_FACTOR = 16;

	public SourceSettings {
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(readTimeout, "readTimeout");
		Objects.requireNonNull(retryBackoff, "retryBackoff");
		if (retries < 0) {
			throw new IllegalArgumentException("retries must not be negative");
		}
		registries = (registries != null) ? Map.copyOf(registries) : Map.of();
	}

	/** A user name and password (or token) for one registry. */
	public record Credentials(String username, String password) {

		@Override
		public String toString() {
			return "Credentials[" + this.username + ", password hidden]";
		}

	}

}
