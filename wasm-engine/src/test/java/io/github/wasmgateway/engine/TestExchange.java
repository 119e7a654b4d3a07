package io.github.wasmgateway.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link HttpExchange} held in memory, recording what the plugin decided outside its
 * callbacks.
 */
public final class TestExchange implements HttpExchange {

	public final ListHeaderMap requestHeaders;

	public ListHeaderMap requestTrailers;

	public ListHeaderMap responseHeaders;

	public ListHeaderMap responseTrailers;

	public final Map<String, String> properties = new HashMap<>();

	public final List<StreamDirection> resumed = new ArrayList<>();

	public final List<StreamDirection> closed = new ArrayList<>();

	public final List<LocalResponse> responses = new ArrayList<>();

	public final List<PluginCallException> failures = new ArrayList<>();

	/** Every decision the plugin made outside a phase, in order. */
	public final List<Decision> decisions = new ArrayList<>();

	public TestExchange(ListHeaderMap requestHeaders) {
		this.requestHeaders = requestHeaders;
	}

	/** A GET of {@code path} with the usual pseudo-headers, plus the given headers. */
	public static TestExchange get(String path, String... headers) {
		return request("GET", path, headers);
	}

	public static TestExchange request(String method, String path, String... headers) {
		ListHeaderMap map = ListHeaderMap.of(":method", method, ":path", path, ":authority", "example.com", ":scheme",
				"http");
		for (int i = 0; i < headers.length; i += 2) {
			map.add(headers[i], headers[i + 1]);
		}
		TestExchange exchange = new TestExchange(map);
		exchange.properties.put("request.path", path);
		return exchange;
	}

	/** The route id the gateway reports as property {@code route_name}. */
	public TestExchange route(String route) {
		this.properties.put("route_name", route);
		return this;
	}

	/** The upstream the gateway reports as property {@code cluster_name}. */
	public TestExchange cluster(String cluster) {
		this.properties.put("cluster_name", cluster);
		return this;
	}

	public TestExchange authority(String authority) {
		this.requestHeaders.set(":authority", authority);
		return this;
	}

	public TestExchange withResponse(int status, String... headers) {
		this.responseHeaders = ListHeaderMap.of(":status", Integer.toString(status));
		for (int i = 0; i < headers.length; i += 2) {
			this.responseHeaders.add(headers[i], headers[i + 1]);
		}
		return this;
	}

	@Override
	public HeaderMap requestHeaders() {
		return this.requestHeaders;
	}

	@Override
	public HeaderMap requestTrailers() {
		return this.requestTrailers;
	}

	@Override
	public HeaderMap responseHeaders() {
		return this.responseHeaders;
	}

	@Override
	public HeaderMap responseTrailers() {
		return this.responseTrailers;
	}

	@Override
	public byte[] property(String[] path) {
		String value = this.properties.get(String.join(".", path));
		return (value != null) ? value.getBytes(StandardCharsets.UTF_8) : null;
	}

	/** Sorts the plugin's later decisions into the lists above. */
	@Override
	public void decided(Decision decision) {
		this.decisions.add(decision);
		if (decision instanceof Decision.Resume resume) {
			this.resumed.add(resume.direction());
		}
		else if (decision instanceof Decision.Reply reply) {
			this.responses.add(reply.response());
		}
		else if (decision instanceof Decision.Reset reset) {
			this.closed.add(reset.direction());
		}
		else if (decision instanceof Decision.Fail fail) {
			this.failures.add(fail.failure());
		}
	}

}
