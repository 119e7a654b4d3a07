package io.github.wasmgateway.grpc;

import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * gRPC metadata between the plugin's header maps and grpc-java's {@link Metadata}, as
 * they travel on the wire: a {@code -bin} value is base64 in the plugin's map (grpc-java
 * holds it decoded), and the pseudo-header and status entries grpc-java keeps to itself
 * are put back where Envoy's maps have them.
 */
final class GrpcMetadata {

	private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

	private GrpcMetadata() {
	}

	/**
	 * The initial metadata to send: the plugin's pairs (names lower-cased, pseudo-headers
	 * left to grpc-java), then those of the GrpcService.
	 * @throws IllegalArgumentException for a name gRPC does not allow or a {@code -bin}
	 * value that is not base64
	 */
	static Metadata toGrpc(HeaderMap plugin, List<Map.Entry<String, String>> service) {
		Metadata metadata = new Metadata();
		for (int i = 0; i < plugin.size(); i++) {
			put(metadata, plugin.name(i), plugin.value(i));
		}
		for (Map.Entry<String, String> entry : service) {
			put(metadata, entry.getKey(), entry.getValue());
		}
		return metadata;
	}

	private static void put(Metadata metadata, String name, String value) {
		String key = name.toLowerCase(Locale.ROOT);
		if (key.startsWith(":")) {
			return;
		}
		if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
			metadata.put(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER), Base64.getDecoder().decode(value));
		}
		else {
			metadata.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
		}
	}

	/** A server's initial metadata, with the {@code :status} grpc-java consumed. */
	static HeaderMap initial(Metadata headers) {
		ListHeaderMap map = ListHeaderMap.of(":status", "200");
		addAll(map, headers);
		return map;
	}

	/**
	 * Trailing metadata the server sent, with the {@code grpc-status} and
	 * {@code grpc-message} grpc-java consumed (and {@code :status} for a trailers-only
	 * answer, whose trailers are its only headers).
	 */
	static HeaderMap trailing(Metadata trailers, Status status, boolean trailersOnly) {
		ListHeaderMap map = trailersOnly ? ListHeaderMap.of(":status", "200") : new ListHeaderMap();
		addAll(map, trailers);
		map.add("grpc-status", Integer.toString(status.getCode().value()));
		if (status.getDescription() != null) {
			map.add("grpc-message", status.getDescription());
		}
		return map;
	}

	private static void addAll(ListHeaderMap map, Metadata metadata) {
		for (String key : metadata.keys()) {
			if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
				for (byte[] value : metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
					map.add(key, BASE64.encodeToString(value));
				}
			}
			else {
				for (String value : metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
					map.add(key, value);
				}
			}
		}
	}

}
