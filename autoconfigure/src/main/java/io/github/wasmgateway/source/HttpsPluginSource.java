package io.github.wasmgateway.source;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A plugin served by a web server ({@code https:}, or {@code http:} from a loopback
 * address when allowed), pinned by sha256 as Envoy's remote data sources are. A re-check
 * asks with the last ETag, so an unchanged binary is not downloaded again.
 */
final class HttpsPluginSource implements RemoteSource {

	private final String name;

	private final String location;

	private final String sha256;

	private final HttpFetcher fetcher;

	private final LocalCopies copies;

	private volatile FetchedBinary last;

	private volatile String etag;

	HttpsPluginSource(String name, String location, String sha256, HttpFetcher fetcher, LocalCopies copies) {
		this.name = name;
		this.location = location;
		this.sha256 = (sha256 != null && !sha256.isBlank()) ? sha256.trim().toLowerCase() : null;
		this.fetcher = fetcher;
		this.copies = copies;
	}

	@Override
	public String location() {
		return this.location;
	}

	@Override
	public FetchedBinary fetch() {
		if (this.sha256 == null) {
			throw PluginSourceException.refused("a plugin downloaded from " + this.location
					+ " must have its sha256 pinned: set wasm-gateway.plugins." + this.name + ".sha256");
		}
		URI uri;
		try {
			uri = URI.create(this.location);
		}
		catch (IllegalArgumentException ex) {
			throw PluginSourceException.refused(this.location + " is not a URL: " + ex.getMessage());
		}
		this.fetcher.checkScheme(uri, this.location);
		FetchedBinary previous = this.last;
		Map<String, String> headers = new HashMap<>();
		if (previous != null && this.etag != null) {
			headers.put("If-None-Match", this.etag);
		}
		HttpFetcher.Response response;
		try {
			response = this.fetcher.get(uri, headers, this.fetcher.settings().maxBinaryBytes(), this.location);
		}
		catch (PluginSourceException ex) {
			return standIn(ex, previous);
		}
		if (response.status() == 304 && previous != null) {
			return previous;
		}
		if (response.status() != 200) {
			throw PluginSourceException.refused(this.location + " answered HTTP " + response.status()
					+ "; check the URL and that the server serves the plugin without credentials");
		}
		FetchedBinary fetched = FetchedBinary.of(response.body(), Sha256.hex(response.body()));
		if (!fetched.sha256().equals(this.sha256)) {
			throw PluginSourceException.refused(this.location + " served a binary with sha256 " + fetched.sha256()
					+ ", not the pinned " + this.sha256 + "; if the plugin was updated on purpose, pin its new sha256");
		}
		this.etag = response.header("etag");
		this.last = fetched;
		if (this.copies != null && (previous == null || !previous.sha256().equals(fetched.sha256()))) {
			this.copies.store(this.name, this.location, fetched);
		}
		return fetched;
	}

	private FetchedBinary standIn(PluginSourceException failure, FetchedBinary previous) {
		FetchedBinary binary = LocalCopies.standIn(this.copies, this.name, this.location, failure, previous,
				this.sha256, null);
		this.last = binary;
		return binary;
	}

}
