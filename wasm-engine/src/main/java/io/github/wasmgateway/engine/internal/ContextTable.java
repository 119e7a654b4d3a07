package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.HttpExchange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contexts of one VM: root contexts (one per configuration) and streams, under ids
 * from one counter as in proxy-wasm-cpp-host; the effective context the host functions
 * act on; the callouts and Redis calls waiting for their reply; the gRPC calls and
 * streams of the root contexts; the properties set in root contexts. Touched only on the
 * VM's thread.
 */
public final class ContextTable {

	private int nextContextId = 1;

	/** Accepted root contexts by configuration index. */
	private RootContext[] roots = new RootContext[0];

	private final Map<Integer, RootContext> rootsById = new HashMap<>();

	private final IntMap<StreamContext> streams = new IntMap<>();

	private final Map<Integer, PendingCall> pendingCalls = new HashMap<>();

	private int nextToken = 1;

	private final Map<Integer, GrpcCallout> grpcCallouts = new HashMap<>();

	/** Envoy's numbering: the low two bits say call (1) or stream (2). */
	private int lastGrpcCall = 1;

	private int lastGrpcStream = 2;

	private final Map<String, byte[]> rootProperties = new HashMap<>();

	private StreamContext effectiveStream;

	private RootContext effectiveRoot;

	// ---- root contexts

	/** A new root context of configuration {@code index}, not yet accepted. */
	RootContext newRoot(int index, byte[] configuration) {
		RootContext root = new RootContext(this.nextContextId++, index, configuration);
		this.rootsById.put(root.id, root);
		return root;
	}

	/** The plugin accepted the root's configuration: streams may use it from now on. */
	void accept(RootContext root) {
		if (root.configurationIndex >= this.roots.length) {
			this.roots = Arrays.copyOf(this.roots, root.configurationIndex + 1);
		}
		this.roots[root.configurationIndex] = root;
	}

	/** Forgets the root context of configuration {@code index}; null when none. */
	RootContext removeRoot(int index) {
		if (!hasRoot(index)) {
			return null;
		}
		RootContext root = this.roots[index];
		this.roots[index] = null;
		this.rootsById.remove(root.id);
		return root;
	}

	boolean hasRoot(int index) {
		return index < this.roots.length && this.roots[index] != null;
	}

	RootContext root(int index) {
		return this.roots[index];
	}

	/** The accepted root contexts. */
	List<RootContext> roots() {
		List<RootContext> accepted = new ArrayList<>();
		for (RootContext root : this.roots) {
			if (root != null) {
				accepted.add(root);
			}
		}
		return accepted;
	}

	// ---- streams

	StreamContext newStream(PluginVm vm, RootContext root, HttpExchange exchange) {
		StreamContext stream = new StreamContext(vm, this.nextContextId++, root, exchange);
		this.streams.put(stream.id, stream);
		return stream;
	}

	/**
	 * Forgets a deleted stream and the calls it was waiting for; false when it was gone
	 * already.
	 */
	boolean remove(StreamContext stream) {
		boolean removed = this.streams.remove(stream.id) != null;
		if (!this.pendingCalls.isEmpty()) {
			this.pendingCalls.values().removeIf((call) -> call.stream() == stream);
		}
		return removed;
	}

	StreamContext stream(int contextId) {
		return this.streams.get(contextId);
	}

	List<StreamContext> streams() {
		return this.streams.values();
	}

	// ---- the effective context

	/*
	 * The stores are skipped when nothing changes (every callback of a stream but its
	 * first): storing a reference into this long-lived table costs a GC write barrier
	 * with a memory fence, several callbacks per request.
	 */

	void enterStream(StreamContext stream) {
		if (this.effectiveStream != stream) {
			this.effectiveStream = stream;
		}
		if (this.effectiveRoot != stream.root) {
			this.effectiveRoot = stream.root;
		}
	}

	void enterRoot(RootContext root) {
		if (this.effectiveStream != null) {
			this.effectiveStream = null;
		}
		if (this.effectiveRoot != root) {
			this.effectiveRoot = root;
		}
	}

	public StreamContext effectiveStream() {
		return this.effectiveStream;
	}

	public RootContext effectiveRoot() {
		return this.effectiveRoot;
	}

	/** {@code proxy_set_effective_context}: false for an unknown id. */
	public boolean setEffective(int contextId) {
		StreamContext stream = this.streams.get(contextId);
		if (stream != null) {
			enterStream(stream);
			return true;
		}
		RootContext root = this.rootsById.get(contextId);
		if (root != null) {
			enterRoot(root);
			return true;
		}
		return false;
	}

	// ---- calls waiting for a reply

	/** Registers a call made from the effective context; returns its token. */
	public int registerCall() {
		int token = this.nextToken++;
		this.pendingCalls.put(token, new PendingCall(this.effectiveRoot, this.effectiveStream));
		return token;
	}

	public void forgetCall(int token) {
		this.pendingCalls.remove(token);
	}

	/**
	 * The call a reply is for, or null when its stream is gone (the reply is dropped).
	 */
	PendingCall takeCall(int token) {
		return this.pendingCalls.remove(token);
	}

	// ---- gRPC calls and streams

	/**
	 * A gRPC call or stream opened from the effective context, owned by its root context;
	 * null when no root context is effective (start-up code).
	 */
	public GrpcCallout newGrpcCallout(boolean stream) {
		if (this.effectiveRoot == null) {
			return null;
		}
		int token = stream ? (this.lastGrpcStream += 4) : (this.lastGrpcCall += 4);
		GrpcCallout callout = new GrpcCallout(token, this.effectiveRoot);
		this.grpcCallouts.put(token, callout);
		return callout;
	}

	/** The open call or stream of {@code token}, or null. */
	public GrpcCallout grpcCallout(int token) {
		return this.grpcCallouts.get(token);
	}

	public void forgetGrpcCallout(GrpcCallout callout) {
		this.grpcCallouts.remove(callout.token);
	}

	/** Forgets every gRPC call and stream, returning them. */
	List<GrpcCallout> takeGrpcCallouts() {
		List<GrpcCallout> open = new ArrayList<>(this.grpcCallouts.values());
		this.grpcCallouts.clear();
		return open;
	}

	/** Whether {@code token} is numbered as a gRPC call or stream. */
	public static boolean isGrpcToken(int token) {
		return GrpcCallout.isCall(token) || GrpcCallout.isStream(token);
	}

	public static boolean isGrpcStreamToken(int token) {
		return GrpcCallout.isStream(token);
	}

	// ---- properties set outside any stream

	public byte[] rootProperty(String key) {
		return this.rootProperties.get(key);
	}

	public void setRootProperty(String key, byte[] value) {
		this.rootProperties.put(key, value);
	}

	/** A callout or Redis call waiting for its reply. */
	record PendingCall(RootContext root, StreamContext stream) {
	}

}
