package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A gRPC call ({@code proxy_grpc_call}) or stream ({@code proxy_grpc_stream}) a plugin
 * opened, as the test sees it: where it went, the messages the plugin sent so far and
 * whether it ended its side or cancelled.
 */
public final class GrpcCall {

	private final String cluster;

	private final String service;

	private final String method;

	private final List<Map.Entry<String, String>> metadata;

	private final Duration timeout;

	private final List<byte[]> sent = new CopyOnWriteArrayList<>();

	private volatile boolean halfClosed;

	private volatile boolean cancelled;

	GrpcCall(String cluster, String service, String method, List<Map.Entry<String, String>> metadata,
			Duration timeout) {
		this.cluster = cluster;
		this.service = service;
		this.method = method;
		this.metadata = List.copyOf(metadata);
		this.timeout = timeout;
	}

	/** The cluster the plugin named. */
	public String cluster() {
		return this.cluster;
	}

	/** The service, e.g. {@code envoy.service.auth.v3.Authorization}. */
	public String service() {
		return this.service;
	}

	/** The method, e.g. {@code Check}. */
	public String method() {
		return this.method;
	}

	/** The initial metadata the plugin sent, in order. */
	public List<Map.Entry<String, String>> metadata() {
		return this.metadata;
	}

	/** The first metadata value {@code name} (any case), or null. */
	public String metadata(String name) {
		return Headers.first(this.metadata, name);
	}

	/**
	 * A call's deadline ({@link Duration#ZERO} when the plugin gave none), null for a
	 * stream.
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/** Whether this is a stream ({@code proxy_grpc_stream}) rather than a call. */
	public boolean stream() {
		return this.timeout == null;
	}

	/** The messages the plugin sent, oldest first. */
	public List<byte[]> sent() {
		return List.copyOf(this.sent);
	}

	/** The messages the plugin sent as UTF-8 text, oldest first. */
	public List<String> sentText() {
		return this.sent.stream().map((message) -> new String(message, StandardCharsets.UTF_8)).toList();
	}

	/** Whether the plugin ended its side (its last message, or a close). */
	public boolean halfClosed() {
		return this.halfClosed;
	}

	/** Whether the plugin cancelled the call. */
	public boolean cancelled() {
		return this.cancelled;
	}

	void sent(byte[] message) {
		this.sent.add(message);
	}

	void halfClose() {
		this.halfClosed = true;
	}

	void cancel() {
		this.cancelled = true;
	}

}
