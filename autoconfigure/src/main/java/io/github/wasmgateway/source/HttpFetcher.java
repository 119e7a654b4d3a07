package io.github.wasmgateway.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * GETs with the sources' timeouts, bounded retries with exponential backoff and a size
 * cap, on the JDK's HTTP client (the fetch runs at start-up and on the re-check thread,
 * never on an event loop, so a blocking client is the simple one).
 */
final class HttpFetcher {

	/** An IPv4 or IPv6 literal (InetAddress parses these without asking DNS). */
	private static final Pattern IP_LITERAL = Pattern
		.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private final HttpClient client;

	private final SourceSettings settings;

	HttpFetcher(SourceSettings settings) {
		this.settings = settings;
		HttpClient.Builder builder = HttpClient.newBuilder()
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NORMAL);
		if (settings.sslContext() != null) {
			builder.sslContext(settings.sslContext());
		}
		this.client = builder.build();
	}

	SourceSettings settings() {
		return this.settings;
	}

	/**
	 * Refuses a plain-http URI unless it is a loopback address and the settings allow it.
	 */
	void checkScheme(URI uri, String location) {
		if ("https".equalsIgnoreCase(uri.getScheme())) {
			return;
		}
		if (!"http".equalsIgnoreCase(uri.getScheme())) {
			throw PluginSourceException.refused(location + ": only https (and http to a loopback address) is fetched");
		}
		if (!isLoopback(uri.getHost())) {
			throw PluginSourceException.refused(location + ": plain http is refused for " + uri.getHost()
					+ "; plugins are fetched over https (plain http only from a loopback address, with "
					+ "wasm-gateway.sources.plain-http-loopback=true)");
		}
		if (!this.settings.plainHttpLoopback()) {
			throw PluginSourceException.refused(location + ": plain http is off; set "
					+ "wasm-gateway.sources.plain-http-loopback=true to fetch from a loopback address without TLS");
		}
	}

	static boolean isLoopback(String host) {
		if (host == null) {
			return false;
		}
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (bare.equalsIgnoreCase("localhost")) {
			return true;
		}
		if (!IP_LITERAL.matcher(bare).matches()) {
			return false; // a name other than localhost: never resolved here, so never
							// loopback
		}
		try {
			return InetAddress.getByName(bare).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * GET {@code uri}; retried on connection errors, timeouts, 5xx and 429.
	 * @throws PluginSourceException unreachable when every attempt failed
	 */
	Response get(URI uri, Map<String, String> headers, long maxBytes, String location) {
		int attempt = 0;
		while (true) {
			String failure;
			Throwable cause = null;
			try {
				Response response = once(uri, headers, maxBytes, location);
				if (response.status() < 500 && response.status() != 429) {
					return response;
				}
				failure = "HTTP " + response.status();
			}
			catch (HttpTimeoutException ex) {
				failure = "no answer within " + this.settings.readTimeout().toMillis() + " ms";
				cause = ex;
			}
			catch (IOException ex) {
				failure = ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
				cause = ex;
			}
			if (attempt >= this.settings.retries()) {
				throw PluginSourceException.unreachable(location + ": " + failure + " from " + withoutQuery(uri)
						+ " (after " + (attempt + 1) + " attempts)", cause);
			}
			sleep(backoff(attempt));
			attempt++;
		}
	}

	Duration backoff(int attempt) {
		long factor = Math.min(1L << Math.min(attempt, 30), SourceSettings.MAX_BACKOFF_FACTOR);
		return this.settings.retryBackoff().multipliedBy(factor);
	}

	private Response once(URI uri, Map<String, String> headers, long maxBytes, String location) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(this.settings.readTimeout()).GET();
		headers.forEach(request::header);
		HttpResponse<InputStream> response;
		try {
			response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		try (InputStream body = response.body()) {
			long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
			if (declared > maxBytes) {
				throw PluginSourceException.refused(location + ": " + withoutQuery(uri) + " is " + declared
						+ " bytes, more than the " + maxBytes + " allowed (wasm-gateway.max-binary-size)");
			}
			byte[] bytes = body.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
			if (bytes.length > maxBytes) {
				throw PluginSourceException.refused(location + ": " + withoutQuery(uri) + " is more than the "
						+ maxBytes + " bytes allowed (wasm-gateway.max-binary-size)");
			}
			return new Response(response.statusCode(), response.headers(), bytes);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw PluginSourceException.unreachable("interrupted while waiting to retry", ex);
		}
	}

	/** The URI for messages: no user info, no query (either may carry a secret). */
	static String withoutQuery(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "")
				+ uri.getRawPath();
	}

	/** One answer. */
	record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

}
