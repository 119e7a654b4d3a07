package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.host.HttpCalloutClient;
import io.github.wasmgateway.engine.host.HttpCalloutRequest;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The plugin's HTTP calls ({@code proxy_http_call}), answered by the test: a cluster with
 * a scripted reply answers at once (or when released, in {@link #hold()} mode); a cluster
 * without one is unknown, as a cluster the gateway does not know (the plugin's call fails
 * with BAD_ARGUMENT). Every call is recorded.
 */
public final class ScriptedHttpCalls implements HttpCalloutClient {

	private final Map<String, Function<HttpCall, HttpReply>> replies = new ConcurrentHashMap<>();

	private final List<HttpCall> calls = new CopyOnWriteArrayList<>();

	private final HeldAnswers held = new HeldAnswers();

	/** Calls to {@code cluster} get {@code reply}. */
	public ScriptedHttpCalls reply(String cluster, HttpReply reply) {
		return answer(cluster, (call) -> reply);
	}

	/** Calls to {@code cluster} get what {@code responder} makes of each. */
	public ScriptedHttpCalls answer(String cluster, Function<HttpCall, HttpReply> responder) {
		this.replies.put(cluster, responder);
		return this;
	}

	/**
	 * Keeps the replies until {@link PluginTester#release()}: the plugin waits meanwhile.
	 */
	public ScriptedHttpCalls hold() {
		this.held.holding(true);
		return this;
	}

	/** Replies at once again (the default). */
	public ScriptedHttpCalls immediately() {
		this.held.holding(false);
		return this;
	}

	/** Every call the plugin made to a known cluster, oldest first. */
	public List<HttpCall> calls() {
		return List.copyOf(this.calls);
	}

	/** The replies held back so far. */
	public int held() {
		return this.held.count();
	}

	@Override
	public boolean dispatch(HttpCalloutRequest request, Consumer<HttpCalloutResponse> completion) {
		Function<HttpCall, HttpReply> responder = this.replies.get(request.cluster());
		if (responder == null) {
			return false;
		}
		HttpCall call = new HttpCall(request.cluster(), Headers.entries(request.headers()), request.body(),
				request.timeout());
		this.calls.add(call);
		HttpCalloutResponse response = response(responder.apply(call));
		this.held.deliver(() -> completion.accept(response));
		return true;
	}

	/** Answers the held calls, oldest first. */
	void release() {
		this.held.release();
	}

	private static HttpCalloutResponse response(HttpReply reply) {
		if (reply.failure() != null) {
			return HttpCalloutResponse.failed(reply.failure());
		}
		ListHeaderMap headers = ListHeaderMap.of(":status", Integer.toString(reply.status()));
		reply.headers().forEach((header) -> headers.add(header.getKey(), header.getValue()));
		return HttpCalloutResponse.of(headers, reply.body());
	}

}
