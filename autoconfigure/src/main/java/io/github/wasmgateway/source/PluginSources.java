package io.github.wasmgateway.source;

import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.gateway.PluginDefinition;
import io.github.wasmgateway.gateway.PluginSource;
import io.github.wasmgateway.gateway.WasmPluginException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote sources of a gateway's plugins: {@code https:} (and {@code http:} from a
 * loopback address, when allowed) and {@code oci://}. One source per plugin, kept while
 * its location and pin stay the same, so that a re-check knows what it fetched last.
 */
public final class PluginSources implements PluginSource {

	private final SourceSettings settings;

	private final HttpFetcher fetcher;

	private final OciRegistryClient registryClient;

	private final Map<String, RemoteSource> sources = new ConcurrentHashMap<>();

	private final Map<String, String> keys = new ConcurrentHashMap<>();

	private volatile LocalCopies copies;

	public PluginSources(SourceSettings settings) {
		this.settings = settings;
		this.fetcher = new HttpFetcher(settings);
		this.registryClient = new OciRegistryClient(this.fetcher);
	}

	/** Whether {@code location} is fetched by a source rather than read as a resource. */
	public static boolean isRemote(String location) {
		return location != null && (location.startsWith("https:") || location.startsWith("http:")
				|| location.startsWith(OciReference.SCHEME));
	}

	/**
	 * Whether the binary at {@code location} can change while its configuration does not.
	 */
	public static boolean isMovable(String location) {
		return location != null && location.startsWith(OciReference.SCHEME) && !location.contains("@sha256:");
	}

	/**
	 * Fetches plugin {@code name}'s binary from {@code location}.
	 * @param sha256 the pinned sha256, or null (required for https)
	 * @throws PluginSourceException with a message naming the location and the cause
	 */
	public FetchedBinary fetch(String name, String location, String sha256) {
		return source(name, location, sha256).fetch();
	}

	/**
	 * The binary of a remote location (null for any other); a failure names the plugin.
	 */
	@Override
	public PluginBinary read(PluginDefinition definition) {
		String location = definition.location();
		if (!isRemote(location)) {
			return null;
		}
		try {
			return PluginBinary.of(fetch(definition.name(), location, definition.sha256()).bytes(), location);
		}
		catch (PluginSourceException ex) {
			throw new WasmPluginException(definition.name(), null, ex.getMessage(), "Check wasm-gateway.plugins."
					+ definition.name() + ".location and wasm-gateway.sources.* (see docs/plugin-sources.md).", ex);
		}
	}

	RemoteSource source(String name, String location, String sha256) {
		String key = location + "#" + Objects.toString(sha256, "");
		if (!key.equals(this.keys.get(name))) {
			this.sources.put(name, create(name, location, sha256));
			this.keys.put(name, key);
		}
		return this.sources.get(name);
	}

	/** Forgets plugin {@code name} (no longer declared). */
	public void forget(String name) {
		this.sources.remove(name);
		this.keys.remove(name);
	}

	private RemoteSource create(String name, String location, String sha256) {
		if (location.startsWith(OciReference.SCHEME)) {
			return new OciPluginSource(name, location, sha256, this.registryClient, copies(),
					this.settings.maxBinaryBytes());
		}
		return new HttpsPluginSource(name, location, sha256, this.fetcher, copies());
	}

	private LocalCopies copies() {
		if (this.settings.localCopies() == null) {
			return null;
		}
		LocalCopies current = this.copies;
		if (current == null) {
			synchronized (this) {
				if (this.copies == null) {
					this.copies = new LocalCopies(this.settings.localCopies());
				}
				current = this.copies;
			}
		}
		return current;
	}

}
