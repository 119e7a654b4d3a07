package io.github.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request for {@link PluginTester#send}: its headers (pseudo-headers included), body
 * chunks and trailers, the properties the gateway gives the plugin ({@code route_name}
 * and the like), and the upstream's response, if the request gets that far.
 * <p>
 * Without {@link #upstream(int, String...)} the exchange ends after the request phases,
 * as when the test cares only about them.
 */
public final class TestRequest {

	final List<String[]> headers = new ArrayList<>();

	final Map<String, byte[]> properties = new LinkedHashMap<>();

	final List<byte[]> body = new ArrayList<>();

	final List<String[]> trailers = new ArrayList<>();

	Integer upstreamStatus;

	final List<String[]> upstreamHeaders = new ArrayList<>();

	final List<byte[]> upstreamBody = new ArrayList<>();

	final List<String[]> upstreamTrailers = new ArrayList<>();

	private TestRequest() {
	}

	private TestRequest(String method, String path) {
		header(":method", method);
		header(":path", path);
		header(":authority", "example.com");
		header(":scheme", "http");
		property("request.path", path);
	}

	/**
	 * A copy to change (a header, the body) without touching this request, as when one
	 * signed request is sent again tampered with.
	 */
	public TestRequest copy() {
		TestRequest copy = new TestRequest();
		copy.headers.addAll(this.headers);
		copy.properties.putAll(this.properties);
		copy.body.addAll(this.body);
		copy.trailers.addAll(this.trailers);
		copy.upstreamStatus = this.upstreamStatus;
		copy.upstreamHeaders.addAll(this.upstreamHeaders);
		copy.upstreamBody.addAll(this.upstreamBody);
		copy.upstreamTrailers.addAll(this.upstreamTrailers);
		return copy;
	}

	/** A GET of {@code path} with the given headers as name, value pairs. */
	public static TestRequest get(String path, String... headers) {
		return request("GET", path, headers);
	}

	/**
	 * A request with {@code :method}, {@code :path}, {@code :authority} example.com,
	 * {@code :scheme} http, and the given headers as name, value pairs.
	 */
	public static TestRequest request(String method, String path, String... headers) {
		TestRequest request = new TestRequest(method, path);
		return request.headers(headers);
	}

	/** Adds a header (another value when it is there already). */
	public TestRequest header(String name, String value) {
		this.headers.add(new String[] { name, value });
		return this;
	}

	/** Adds headers given as name, value pairs. */
	public TestRequest headers(String... namesAndValues) {
		pairs(namesAndValues, this.headers);
		return this;
	}

	/** Replaces every value of header {@code name} with one. */
	public TestRequest setHeader(String name, String value) {
		this.headers.removeIf((header) -> header[0].equalsIgnoreCase(name));
		return header(name, value);
	}

	/** The {@code :authority} (the domain {@code _match_domain_} rules see). */
	public TestRequest authority(String authority) {
		return setHeader(":authority", authority);
	}

	/** The route id, the property {@code route_name} ({@code _match_route_} rules). */
	public TestRequest route(String route) {
		return property("route_name", route);
	}

	/**
	 * The upstream, the property {@code cluster_name} ({@code _match_service_} rules).
	 */
	public TestRequest cluster(String cluster) {
		return property("cluster_name", cluster);
	}

	/**
	 * A property the gateway answers {@code proxy_get_property} with, by its dotted path
	 * ({@code source.address}, {@code route_name}).
	 */
	public TestRequest property(String path, String value) {
		this.properties.put(path, value.getBytes(StandardCharsets.UTF_8));
		return this;
	}

	/** The request body as these chunks, in order (UTF-8 text). */
	public TestRequest body(String... chunks) {
		for (String chunk : chunks) {
			this.body.add(chunk.getBytes(StandardCharsets.UTF_8));
		}
		return this;
	}

	/** The request body as these chunks, in order. */
	public TestRequest body(byte[]... chunks) {
		this.body.addAll(List.of(chunks));
		return this;
	}

	/** Request trailers as name, value pairs. */
	public TestRequest trailers(String... namesAndValues) {
		pairs(namesAndValues, this.trailers);
		return this;
	}

	/**
	 * The upstream answers the request, once every request phase went on, with
	 * {@code status} and these headers (name, value pairs).
	 */
	public TestRequest upstream(int status, String... namesAndValues) {
		this.upstreamStatus = status;
		pairs(namesAndValues, this.upstreamHeaders);
		return this;
	}

	/** The upstream's response body as these chunks (UTF-8 text). */
	public TestRequest upstreamBody(String... chunks) {
		for (String chunk : chunks) {
			this.upstreamBody.add(chunk.getBytes(StandardCharsets.UTF_8));
		}
		return this;
	}

	/** The upstream's response body as these chunks. */
	public TestRequest upstreamBody(byte[]... chunks) {
		this.upstreamBody.addAll(List.of(chunks));
		return this;
	}

	/** The upstream's response trailers as name, value pairs. */
	public TestRequest upstreamTrailers(String... namesAndValues) {
		pairs(namesAndValues, this.upstreamTrailers);
		return this;
	}

	private static void pairs(String[] namesAndValues, List<String[]> into) {
		if (namesAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("headers come as name, value pairs: " + List.of(namesAndValues));
		}
		for (int i = 0; i < namesAndValues.length; i += 2) {
			into.add(new String[] { namesAndValues[i], namesAndValues[i + 1] });
		}
	}

}
