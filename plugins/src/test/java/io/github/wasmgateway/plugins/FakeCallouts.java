package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.host.HttpCalloutClient;
import io.github.wasmgateway.engine.host.HttpCalloutRequest;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Callouts answered in memory: cluster "upstream" answers 200 with body "pong:<request
 * body>" and echoes header x-echo; cluster "broken" fails (as a refused connection);
 * other clusters are unknown.
 */
final class FakeCallouts implements HttpCalloutClient {

	final List<HttpCalloutRequest> requests = new CopyOnWriteArrayList<>();

	@Override
	public boolean dispatch(HttpCalloutRequest request, Consumer<HttpCalloutResponse> completion) {
		switch (request.cluster()) {
			case "upstream" -> {
				this.requests.add(request);
				String echo = request.headers().get("x-echo");
				ListHeaderMap headers = ListHeaderMap.of(":status", "200", "x-echo", (echo != null) ? echo : "");
				completion.accept(
						HttpCalloutResponse.of(headers, ("pong:" + new String(request.body(), StandardCharsets.UTF_8))
							.getBytes(StandardCharsets.UTF_8)));
				return true;
			}
			case "broken" -> {
				this.requests.add(request);
				completion.accept(HttpCalloutResponse.failed("connection refused"));
				return true;
			}
			default -> {
				return false;
			}
		}
	}

}
