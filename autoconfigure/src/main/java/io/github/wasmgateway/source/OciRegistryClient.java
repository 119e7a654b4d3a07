package io.github.wasmgateway.source;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pull side of the OCI distribution API: a manifest by tag or digest, a blob by
 * digest, each checked against its digest, with the registry's authentication answered by
 * {@link RegistryAuth}. Plain http only to a loopback registry, and only when the
 * settings allow it.
 */
final class OciRegistryClient {

	static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

	static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

	static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

	static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

	private static final String ACCEPT = String.join(", ", OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST);

	/** Manifests are small; a larger one is not a plugin image. */
	static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

	private final HttpFetcher fetcher;

	private final RegistryAuth auth;

	/** Authorization per registry and repository, reused until refused. */
	private final Map<String, String> authorizations = new ConcurrentHashMap<>();

	OciRegistryClient(HttpFetcher fetcher) {
		this.fetcher = fetcher;
		this.auth = new RegistryAuth(fetcher);
	}

	/** The manifest {@code reference} (a tag or a digest) names, with its digest. */
	Manifest manifest(OciReference image, String reference, String location) {
		HttpFetcher.Response response = get(image, "manifests/" + reference, Map.of("Accept", ACCEPT),
				MAX_MANIFEST_BYTES, location);
		if (response.status() == 404) {
			throw PluginSourceException.refused(location + ": the registry has no " + image.repository() + " "
					+ reference + "; check the repository and the tag or digest");
		}
		if (response.status() != 200) {
			throw PluginSourceException.refused(
					location + ": the registry answered HTTP " + response.status() + " for the manifest " + reference);
		}
		String digest = "sha256:" + Sha256.hex(response.body());
		String announced = response.header("docker-content-digest");
		if (reference.startsWith("sha256:") && !reference.equals(digest)) {
			throw PluginSourceException.refused(location + ": the registry sent a manifest whose digest is " + digest
					+ ", not the " + reference + " asked for");
		}
		if (announced != null && announced.startsWith("sha256:") && !announced.equals(digest)) {
			throw PluginSourceException.refused(location + ": the manifest's digest " + digest
					+ " differs from the one the registry announced (" + announced + ")");
		}
		return new Manifest(digest, response.header("content-type"), response.body());
	}

	/** The blob {@code digest}, checked against it. */
	byte[] blob(OciReference image, String digest, String location) {
		if (digest == null || !digest.startsWith("sha256:") || !Sha256.isHex(digest.substring(7))) {
			throw PluginSourceException
				.refused(location + ": a layer has digest " + digest + "; only sha256 digests are accepted");
		}
		HttpFetcher.Response response = get(image, "blobs/" + digest, Map.of(),
				this.fetcher.settings().maxBinaryBytes(), location);
		if (response.status() != 200) {
			throw PluginSourceException
				.refused(location + ": the registry answered HTTP " + response.status() + " for the layer " + digest);
		}
		if (!digest.equals("sha256:" + Sha256.hex(response.body()))) {
			throw PluginSourceException
				.refused(location + ": the layer " + digest + " the registry sent does not have that digest");
		}
		return response.body();
	}

	private HttpFetcher.Response get(OciReference image, String path, Map<String, String> headers, long maxBytes,
			String location) {
		boolean plain = HttpFetcher.isLoopback(host(image.registry())) && this.fetcher.settings().plainHttpLoopback();
		URI uri = URI
			.create(((plain) ? "http://" : "https://") + image.registry() + "/v2/" + image.repository() + "/" + path);
		String key = image.registry() + "/" + image.repository();
		Map<String, String> request = new HashMap<>(headers);
		String authorization = this.authorizations.get(key);
		if (authorization != null) {
			request.put("Authorization", authorization);
		}
		HttpFetcher.Response response = this.fetcher.get(uri, request, maxBytes, location);
		if (response.status() != 401) {
			return response;
		}
		authorization = this.auth.authorize(response.header("www-authenticate"), image, location);
		request.put("Authorization", authorization);
		response = this.fetcher.get(uri, request, maxBytes, location);
		if (response.status() == 401 || response.status() == 403) {
			this.authorizations.remove(key);
			throw PluginSourceException
				.refused(location + ": the registry refused access to " + image.repository() + " (HTTP "
						+ response.status() + "); check wasm-gateway.sources.registries.[" + image.registry() + "]");
		}
		this.authorizations.put(key, authorization);
		return response;
	}

	private static String host(String registry) {
		if (registry.startsWith("[")) {
			return registry.substring(0, registry.indexOf(']') + 1);
		}
		int colon = registry.indexOf(':');
		return (colon >= 0) ? registry.substring(0, colon) : registry;
	}

	/** A manifest as served: its digest, media type and bytes. */
	record Manifest(String digest, String mediaType, byte[] body) {
	}

}
