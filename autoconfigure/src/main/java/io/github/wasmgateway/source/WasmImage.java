package io.github.wasmgateway.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the plugin in an image, in the two formats Istio and Higress pull (Istio's
 * {@code pkg/wasm/imagefetcher.go}, the Wasm image specification it follows): the Wasm
 * OCI artifact, whose layer of media type
 * {@code application/vnd.module.wasm.content.layer.v1+wasm} is the module itself (what
 * {@code oras push} makes), and the Docker or OCI image whose last layer is a tar.gz
 * holding {@code plugin.wasm} (what {@code docker build} of {@code FROM scratch} +
 * {@code COPY plugin.wasm} makes). An image index picks the manifest for
 * {@code wasi/wasm}, else {@code linux/amd64}, else the only one.
 */
final class WasmImage {

	static final String WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";

	static final String OCI_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

	static final String DOCKER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

	static final String PLUGIN_FILE = "plugin.wasm";

	private static final JsonMapper json = JsonMapper.builder().build();

	private WasmImage() {
	}

	static JsonNode parse(byte[] manifest, String location) {
		try {
			JsonNode node = json.readTree(manifest);
			if (node == null || !node.isObject()) {
				throw PluginSourceException.refused(location + ": the registry's manifest is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw PluginSourceException.refused(location + ": the registry's manifest is not JSON");
		}
	}

	/** Whether {@code manifest} is an image index (a list of manifests per platform). */
	static boolean isIndex(JsonNode manifest) {
		String mediaType = manifest.path("mediaType").asString("");
		return mediaType.equals(OciRegistryClient.OCI_INDEX) || mediaType.equals(OciRegistryClient.DOCKER_LIST)
				|| (manifest.has("manifests") && !manifest.has("layers"));
	}

	/** The digest of the manifest an index holds for the plugin's platform. */
	static String choose(JsonNode index, String location) {
		JsonNode manifests = index.path("manifests");
		if (!manifests.isArray() || manifests.isEmpty()) {
			throw PluginSourceException.refused(location + ": the image index lists no manifest");
		}
		String chosen = null;
		int rank = Integer.MAX_VALUE;
		for (JsonNode entry : manifests) {
			String os = entry.path("platform").path("os").asString("");
			String architecture = entry.path("platform").path("architecture").asString("");
			int entryRank = (architecture.equals("wasm")) ? 0
					: (os.equals("linux") && architecture.equals("amd64")) ? 1 : 2;
			if (entryRank < rank && entry.path("digest").isString()) {
				chosen = entry.path("digest").asString();
				rank = entryRank;
			}
		}
		if (chosen == null || (rank == 2 && manifests.size() > 1)) {
			throw PluginSourceException.refused(location + ": the image index has no wasm or linux/amd64 manifest");
		}
		return chosen;
	}

	/**
	 * The plugin module of the image {@code manifest}; {@code blobs} gives a layer's
	 * bytes by digest.
	 */
	static byte[] extract(JsonNode manifest, Function<String, byte[]> blobs, long maxBytes, String location) {
		JsonNode layers = manifest.path("layers");
		if (!layers.isArray() || layers.isEmpty()) {
			throw PluginSourceException.refused(location + ": the image has no layers; push the plugin as a Wasm OCI "
					+ "artifact (layer " + WASM_LAYER + ") or an image whose layer holds " + PLUGIN_FILE);
		}
		List<String> mediaTypes = new ArrayList<>();
		JsonNode wasm = null;
		for (JsonNode layer : layers) {
			String mediaType = layer.path("mediaType").asString("");
			mediaTypes.add(mediaType);
			if (mediaType.equals(WASM_LAYER)) {
				if (wasm != null) {
					throw PluginSourceException
						.refused(location + ": the image has more than one " + WASM_LAYER + " layer");
				}
				wasm = layer;
			}
		}
		if (wasm != null) {
			checkSize(wasm, maxBytes, location);
			return blobs.apply(wasm.path("digest").asString(null));
		}
		JsonNode last = layers.get(layers.size() - 1);
		String mediaType = last.path("mediaType").asString("");
		if (mediaType.equals(OCI_TAR_GZIP) || mediaType.equals(DOCKER_TAR_GZIP)) {
			checkSize(last, maxBytes, location);
			byte[] archive = blobs.apply(last.path("digest").asString(null));
			return TarGz.extract(archive, PLUGIN_FILE, maxBytes, location);
		}
		throw PluginSourceException
			.refused(location + ": the image has no layer this gateway can read a plugin from " + "(its layers are "
					+ mediaTypes + "; expected " + WASM_LAYER + ", or a tar.gz layer holding " + PLUGIN_FILE + ")");
	}

	private static void checkSize(JsonNode layer, long maxBytes, String location) {
		long size = layer.path("size").asLong(0);
		if (size > maxBytes) {
			throw PluginSourceException.refused(location + ": the plugin layer is " + size + " bytes, more than the "
					+ maxBytes + " allowed (wasm-gateway.max-binary-size)");
		}
	}

}
