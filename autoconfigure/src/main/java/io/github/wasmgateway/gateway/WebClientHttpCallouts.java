package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.host.HttpCalloutClient;
import io.github.wasmgateway.engine.host.HttpCalloutRequest;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A plugin's {@code proxy_http_call} through WebClient, to an upstream cluster named in
 * configuration ({@code wasm-gateway.clusters}); a cluster that is not named there is
 * refused, so no plugin reaches a URL of its own making.
 */
public final class WebClientHttpCallouts implements HttpCalloutClient {

	private final Map<String, Cluster> clusters;

	private final WebClient client;

	public WebClientHttpCallouts(Map<String, Cluster> clusters, WebClient client) {
		this.clusters = Map.copyOf(clusters);
		this.client = client;
	}

	@Override
	public boolean dispatch(HttpCalloutRequest request, Consumer<HttpCalloutResponse> completion) {
		Cluster cluster = null;
		for (String name : ClusterNames.candidates(request.cluster())) {
			cluster = this.clusters.get(name);
			if (cluster != null) {
				break;
			}
		}
		if (cluster == null) {
			return false;
		}
		HeaderMap headers = request.headers();
		String path = headers.get(":path");
		URI uri = URI.create(stripSlash(cluster.url()) + ((path.startsWith("/")) ? path : "/" + path));
		Duration timeout = (request.timeout() != null && !request.timeout().isZero()) ? request.timeout()
				: cluster.timeout();
		this.client.method(HttpMethod.valueOf(headers.get(":method")))
			.uri(uri)
			.headers((target) -> copyHeaders(headers, target))
			.bodyValue(request.body())
			.exchangeToMono((response) -> response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map((body) -> {
				ListHeaderMap answer = ListHeaderMap.of(":status", Integer.toString(response.statusCode().value()));
				response.headers()
					.asHttpHeaders()
					.forEach((name, values) -> values.forEach((value) -> answer.add(name, value)));
				return HttpCalloutResponse.of(answer, body);
			}))
			.timeout(timeout)
			.subscribe(completion, (error) -> completion
				.accept(HttpCalloutResponse.failed("callout to cluster '" + request.cluster() + "' failed: " + error)));
		return true;
	}

	private static void copyHeaders(HeaderMap from, HttpHeaders target) {
		for (int i = 0; i < from.size(); i++) {
			String name = from.name(i);
			if (name.equals(":authority")) {
				target.set(HttpHeaders.HOST, from.value(i));
			}
			else if (!name.startsWith(":")) {
				target.add(name, from.value(i));
			}
		}
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	/** A named upstream: base URL and default timeout. */
	public record Cluster(String url, Duration timeout) {
	}

}
