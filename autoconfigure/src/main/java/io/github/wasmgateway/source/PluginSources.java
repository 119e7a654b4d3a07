package io.github.wasmgateway.source;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote sources of a gateway's plugins: {@code https:} (and {@code http:} from a
 * loopback address, when allowed) and {@code oci://}. One source per plugin, kept while
 * its location and pin stay the same, so that a re-check knows what it fetched last.
 */
public final class PluginSources {

	private final SourceSettings settings;

	private final HttpFetcher fetcher;

	private final OciRegistryClient registryClient;

	private final Map<String, PluginSource> sources = new ConcurrentHashMap<>();

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

	PluginSource source(String name, String location, String sha256) {
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

	private PluginSource create(String name, String location, String sha256) {
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
