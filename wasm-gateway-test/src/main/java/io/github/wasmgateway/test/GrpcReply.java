package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the server of a plugin's gRPC call answers, as a test scripts it: initial
 * metadata, messages and a status with trailing metadata; or a status without the server
 * (the call was refused, reset or ran past its deadline). The plugin sees each part
 * through its gRPC callbacks in that order, as the gateway delivers a grpc-java answer.
 *
 * @param metadata the initial metadata after {@code :status: 200}
 * @param messages the messages, as the plugin reads them (serialized)
 * @param status the gRPC status code (0 OK, 1-16)
 * @param message the status message, empty for none
 * @param trailers the trailing metadata before {@code grpc-status}
 * @param fromServer false when the call ended without the server: no metadata, no
 * trailers
 */
public record GrpcReply(List<Map.Entry<String, String>> metadata, List<byte[]> messages, int status, String message,
		List<Map.Entry<String, String>> trailers, boolean fromServer) {

	public GrpcReply {
		metadata = List.copyOf(metadata);
		messages = List.copyOf(messages);
		trailers = List.copyOf(trailers);
		if (status < 0 || status > 16) {
			throw new IllegalArgumentException("a gRPC status is 0 to 16, not " + status);
		}
	}

	/** Status OK with these messages (UTF-8 text; a real service's are protobuf). */
	public static GrpcReply of(String... messages) {
		List<byte[]> bytes = new ArrayList<>();
		for (String message : messages) {
			bytes.add(message.getBytes(StandardCharsets.UTF_8));
		}
		return new GrpcReply(List.of(), bytes, 0, "", List.of(), true);
	}

	/** Status OK with these serialized messages. */
	public static GrpcReply ofBytes(byte[]... messages) {
		return new GrpcReply(List.of(), List.of(messages), 0, "", List.of(), true);
	}

	/**
	 * The server answers only a status (a trailers-only answer, as a service that refuses
	 * the call sends): {@code status(7, "not for you")}.
	 */
	public static GrpcReply status(int status, String message) {
		return new GrpcReply(List.of(), List.of(), status, message, List.of(), true);
	}

	/**
	 * The call ends without the server: {@code failed(14, "connection refused")},
	 * {@code failed(4, "deadline exceeded")}.
	 */
	public static GrpcReply failed(int status, String message) {
		return new GrpcReply(List.of(), List.of(), status, message, List.of(), false);
	}

	/** The same answer with initial metadata, as name, value pairs. */
	public GrpcReply withMetadata(String... pairs) {
		return new GrpcReply(Headers.pairs(pairs), this.messages, this.status, this.message, this.trailers,
				this.fromServer);
	}

	/** The same answer with trailing metadata, as name, value pairs. */
	public GrpcReply withTrailers(String... pairs) {
		return new GrpcReply(this.metadata, this.messages, this.status, this.message, Headers.pairs(pairs),
				this.fromServer);
	}

	/** The same messages and metadata, closed with another status. */
	public GrpcReply withStatus(int status, String message) {
		return new GrpcReply(this.metadata, this.messages, status, message, this.trailers, this.fromServer);
	}

	/** Whether the server sends no initial metadata and no message, only its status. */
	boolean trailersOnly() {
		return this.metadata.isEmpty() && this.messages.isEmpty() && this.status != 0;
	}

}
