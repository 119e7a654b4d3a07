package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a request went through: the plugin's decision in each phase, its local reply, and
 * what would go on: the request's headers and body upstream, the response's to the
 * client. A paused request ({@link #paused()}) goes on when the test releases the replies
 * the plugin waits for ({@link PluginTester#release()}) or moves the clock to its tick
 * ({@link PluginTester#advance}); this object then shows the outcome.
 */
public final class TestResult {

	private final StreamDriver driver;

	TestResult(StreamDriver driver) {
		this.driver = driver;
	}

	/**
	 * Every phase ran and went on; the plugin neither answered, failed nor closed the
	 * stream.
	 */
	public boolean passed() {
		return this.driver.passed();
	}

	/** The request waits for the plugin (a callout, a Redis call, a tick). */
	public boolean paused() {
		return this.driver.paused();
	}

	/**
	 * Whether the plugin failed (a trap, a deadline) on this request: see
	 * {@link #failure()}.
	 */
	public boolean failed() {
		return this.driver.failure() != null;
	}

	/** Why the plugin failed, or null. */
	public String failure() {
		return this.driver.failure();
	}

	/** Whether the plugin closed (reset) the stream ({@code proxy_close_stream}). */
	public boolean closed() {
		return this.driver.closed() != null;
	}

	/**
	 * The plugin's decision in the last call of {@code phase}, or null when it did not
	 * run.
	 */
	public Decision decision(Phase phase) {
		List<Decision> decisions = decisions(phase);
		return decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
	}

	/**
	 * Every decision of the plugin in {@code phase}, in order: one per body chunk (BUFFER
	 * for each chunk it kept, then CONTINUE), empty when the phase did not run.
	 */
	public List<Decision> decisions(Phase phase) {
		return this.driver.decisions(phase);
	}

	/** The plugin's local reply, or null. */
	public LocalReply reply() {
		return this.driver.localReply();
	}

	/** The local reply's status, or 0 without one. */
	public int status() {
		LocalReply reply = reply();
		return (reply != null) ? reply.status() : 0;
	}

	/** The local reply's body as text, or null without one. */
	public String body() {
		LocalReply reply = reply();
		return (reply != null) ? reply.bodyText() : null;
	}

	/** A header of the local reply, or null. */
	public String responseHeader(String name) {
		LocalReply reply = reply();
		return (reply != null) ? reply.header(name) : null;
	}

	/** A request header as it goes upstream (after the plugin's edits), or null. */
	public String requestHeader(String name) {
		return first(this.driver.forwardedRequestHeaders(), name);
	}

	/**
	 * Every value of request header {@code name} (any case) as it goes upstream, in
	 * order: a plugin that adds a header already there sends both.
	 */
	public List<String> requestHeaderValues(String name) {
		return requestHeaders().stream()
			.filter((header) -> header.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.toList();
	}

	/** Every request header as it goes upstream, pseudo-headers included, in order. */
	public List<Map.Entry<String, String>> requestHeaders() {
		return entries(this.driver.forwardedRequestHeaders());
	}

	/** A request trailer as it goes upstream, or null. */
	public String requestTrailer(String name) {
		return first(this.driver.forwardedRequestTrailers(), name);
	}

	/** The request body the plugin let go upstream. */
	public byte[] requestBody() {
		return this.driver.forwardedRequestBody();
	}

	public String requestBodyText() {
		return new String(requestBody(), StandardCharsets.UTF_8);
	}

	/** A header of the upstream's response as it goes to the client, or null. */
	public String upstreamResponseHeader(String name) {
		return first(this.driver.forwardedResponseHeaders(), name);
	}

	/** A trailer of the upstream's response as it goes to the client, or null. */
	public String upstreamResponseTrailer(String name) {
		return first(this.driver.forwardedResponseTrailers(), name);
	}

	/** The upstream's response body the plugin let go to the client. */
	public byte[] upstreamResponseBody() {
		return this.driver.forwardedResponseBody();
	}

	public String upstreamResponseBodyText() {
		return new String(upstreamResponseBody(), StandardCharsets.UTF_8);
	}

	private static String first(HeaderMap map, String name) {
		return Headers.first(entries(map), name);
	}

	private static List<Map.Entry<String, String>> entries(HeaderMap map) {
		return Headers.entries(map);
	}

	@Override
	public String toString() {
		if (paused()) {
			return "paused";
		}
		if (reply() != null) {
			return "replied " + status() + " " + body();
		}
		if (failed()) {
			return "failed: " + failure();
		}
		return passed() ? "passed" : "ended";
	}

}
