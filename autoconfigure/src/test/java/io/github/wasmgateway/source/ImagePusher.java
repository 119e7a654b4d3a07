package io.github.wasmgateway.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * Pushes plugin images to a registry over the distribution API (blob uploads, then the
 * manifest), in the formats Higress and Istio pull: the Wasm OCI artifact (what
 * {@code oras push} makes) and images whose layer is a tar.gz holding plugin.wasm (what
 * {@code docker build} makes), with Docker or OCI media types.
 */
final class ImagePusher {

	private final RegistryServer registry;

	private final HttpClient client;

	private final RegistryAuth auth;

	private final String repository;

	private String authorization;

	ImagePusher(RegistryServer registry, String repository, SSLContext trust) {
		this.registry = registry;
		this.repository = repository;
		HttpClient.Builder builder = HttpClient.newBuilder();
		if (trust != null) {
			builder.sslContext(trust);
		}
		this.client = builder.build();
		SourceSettings settings = SourceTestSupport.settings(null)
			.withPlainHttpLoopback()
			.withRegistryCredentials(registry.host(), RegistryServer.USER, RegistryServer.PASSWORD)
			.withTrust(trust)
			.build();
		this.auth = new RegistryAuth(new HttpFetcher(settings));
	}

	/** A Wasm OCI artifact: one layer, the module itself. Returns the manifest digest. */
	String pushWasmArtifact(String tag, byte[] wasm) throws Exception {
		String config = blob("{}".getBytes(StandardCharsets.UTF_8));
		String layer = blob(wasm);
		String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OciRegistryClient.OCI_MANIFEST + "\","
				+ "\"artifactType\":\"application/vnd.module.wasm.config.v1+json\","
				+ "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + config
				+ "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + WasmImage.WASM_LAYER + "\",\"digest\":\"" + layer
				+ "\",\"size\":" + wasm.length
				+ ",\"annotations\":{\"org.opencontainers.image.title\":\"plugin.wasm\"}}]}";
		return manifest(tag, OciRegistryClient.OCI_MANIFEST, manifest);
	}

	/** A Docker image (schema 2) whose layer is a tar.gz holding {@code path}. */
	String pushDockerImage(String tag, String path, byte[] wasm) throws Exception {
		return pushImage(tag, path, wasm, OciRegistryClient.DOCKER_MANIFEST,
				"application/vnd.docker.container.image.v1+json", WasmImage.DOCKER_TAR_GZIP);
	}

	/** An OCI image whose layer is a tar.gz holding plugin.wasm. */
	String pushOciImage(String tag, byte[] wasm) throws Exception {
		return pushImage(tag, "plugin.wasm", wasm, OciRegistryClient.OCI_MANIFEST,
				"application/vnd.oci.image.config.v1+json", WasmImage.OCI_TAR_GZIP);
	}

	/** A Docker image with one layer of another media type. */
	String pushImageWithoutPlugin(String tag) throws Exception {
		String config = blob("{}".getBytes(StandardCharsets.UTF_8));
		byte[] data = "not a plugin".getBytes(StandardCharsets.UTF_8);
		String layer = blob(data);
		return manifest(tag, OciRegistryClient.OCI_MANIFEST,
				"{\"schemaVersion\":2,\"mediaType\":\"" + OciRegistryClient.OCI_MANIFEST
						+ "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + config
						+ "\",\"size\":2},\"layers\":[{\"mediaType\":\"text/plain\",\"digest\":\"" + layer
						+ "\",\"size\":" + data.length + "}]}");
	}

	private String pushImage(String tag, String path, byte[] wasm, String manifestType, String configType,
			String layerType) throws Exception {
		byte[] tar = tar(Map.of("README.md", "a plugin".getBytes(StandardCharsets.UTF_8), path, wasm));
		byte[] layer = gzip(tar);
		String layerDigest = blob(layer);
		byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
				+ "\"diff_ids\":[\"sha256:" + Sha256.hex(tar) + "\"]}}")
			.getBytes(StandardCharsets.UTF_8);
		String configDigest = blob(config);
		return manifest(tag, manifestType,
				"{\"schemaVersion\":2,\"mediaType\":\"" + manifestType + "\",\"config\":{\"mediaType\":\"" + configType
						+ "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
						+ "},\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + layerDigest
						+ "\",\"size\":" + layer.length + "}]}");
	}

	private String blob(byte[] data) throws Exception {
		String digest = "sha256:" + Sha256.hex(data);
		HttpResponse<String> started = send(
				HttpRequest.newBuilder(uri("/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
		if (started.statusCode() != 202) {
			throw new IllegalStateException("upload not started: " + started.statusCode() + " " + started.body());
		}
		String location = started.headers().firstValue("location").orElseThrow();
		URI upload = URI.create(this.registry.base()).resolve(location);
		String separator = (upload.getRawQuery() != null) ? "&" : "?";
		HttpResponse<String> done = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
			.header("Content-Type", "application/octet-stream")
			.PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
		if (done.statusCode() != 201) {
			throw new IllegalStateException("upload failed: " + done.statusCode() + " " + done.body());
		}
		return digest;
	}

	private String manifest(String tag, String mediaType, String manifest) throws Exception {
		byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/manifests/" + tag))
			.header("Content-Type", mediaType)
			.PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
		if (response.statusCode() != 201) {
			throw new IllegalStateException("manifest refused: " + response.statusCode() + " " + response.body());
		}
		return "sha256:" + Sha256.hex(bytes);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		if (this.authorization != null) {
			request.setHeader("Authorization", this.authorization);
		}
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 401) {
			OciReference image = OciReference.parse("oci://" + this.registry.host() + "/" + this.repository);
			this.authorization = this.auth.authorize(response.headers().firstValue("www-authenticate").orElse(null),
					image, "push");
			request.setHeader("Authorization", this.authorization);
			response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		return response;
	}

	private URI uri(String path) {
		return URI.create(this.registry.base() + "/v2/" + this.repository + path);
	}

	/** A ustar archive of regular files. */
	static byte[] tar(Map<String, byte[]> files) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Map.Entry<String, byte[]> file : new java.util.TreeMap<>(files).entrySet()) {
			byte[] header = new byte[512];
			put(header, 0, file.getKey());
			put(header, 100, "0000644");
			put(header, 108, "0000000");
			put(header, 116, "0000000");
			put(header, 124, String.format("%011o", file.getValue().length));
			put(header, 136, "00000000000");
			header[156] = '0';
			put(header, 257, "ustar");
			put(header, 263, "00");
			for (int i = 148; i < 156; i++) {
				header[i] = ' ';
			}
			int sum = 0;
			for (byte b : header) {
				sum += b & 0xFF;
			}
			put(header, 148, String.format("%06o", sum));
			header[154] = 0;
			out.write(header);
			out.write(file.getValue());
			out.write(new byte[(512 - file.getValue().length % 512) % 512]);
		}
		out.write(new byte[1024]);
		return out.toByteArray();
	}

	static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(data);
		}
		return out.toByteArray();
	}

	private static void put(byte[] header, int offset, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		System.arraycopy(bytes, 0, header, offset, bytes.length);
	}

}
