package io.github.wasmgateway.source;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

/**
 * A plugin pulled from an OCI registry. A reference by digest is that image forever; a
 * reference by tag is resolved at every fetch (a manifest request), and only a new digest
 * downloads the layer again, so a re-check of an unchanged tag costs one small request.
 */
final class OciPluginSource implements RemoteSource {

	private static final Log logger = LogFactory.getLog(OciPluginSource.class);

	private final String name;

	private final String location;

	private final OciReference reference;

	private final String sha256;

	private final OciRegistryClient client;

	private final LocalCopies copies;

	private final long maxBytes;

	private volatile FetchedBinary last;

	OciPluginSource(String name, String location, String sha256, OciRegistryClient client, LocalCopies copies,
			long maxBytes) {
		this.name = name;
		this.location = location;
		this.reference = OciReference.parse(location);
		this.sha256 = (sha256 != null && !sha256.isBlank()) ? sha256.trim().toLowerCase() : null;
		this.client = client;
		this.copies = copies;
		this.maxBytes = maxBytes;
	}

	@Override
	public String location() {
		return this.location;
	}

	@Override
	public FetchedBinary fetch() {
		FetchedBinary previous = this.last;
		try {
			OciRegistryClient.Manifest manifest = this.client.manifest(this.reference, this.reference.reference(),
					this.location);
			if (previous != null && previous.version().equals(manifest.digest())) {
				return previous;
			}
			JsonNode image = WasmImage.parse(manifest.body(), this.location);
			if (WasmImage.isIndex(image)) {
				String chosen = WasmImage.choose(image, this.location);
				image = WasmImage.parse(this.client.manifest(this.reference, chosen, this.location).body(),
						this.location);
			}
			byte[] module = WasmImage.extract(image,
					(digest) -> this.client.blob(this.reference, digest, this.location), this.maxBytes, this.location);
			FetchedBinary fetched = FetchedBinary.of(module, manifest.digest());
			if (this.sha256 != null && !this.sha256.equals(fetched.sha256())) {
				throw PluginSourceException.refused(this.location + " (" + manifest.digest() + ") holds a plugin with "
						+ "sha256 " + fetched.sha256() + ", not the pinned " + this.sha256);
			}
			if (previous != null) {
				logger.info("Wasm plugin '" + this.name + "': " + this.location + " now resolves to "
						+ manifest.digest() + " (was " + previous.version() + ")");
			}
			this.last = fetched;
			if (this.copies != null) {
				this.copies.store(this.name, this.location, fetched);
			}
			return fetched;
		}
		catch (PluginSourceException ex) {
			return standIn(ex, previous);
		}
	}

	private FetchedBinary standIn(PluginSourceException failure, FetchedBinary previous) {
		FetchedBinary binary = LocalCopies.standIn(this.copies, this.name, this.location, failure, previous,
				this.sha256, this.reference.digest());
		this.last = binary;
		return binary;
	}

}
