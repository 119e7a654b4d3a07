package io.github.wasmgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A real upstream on a free loopback port that answers every request with what it
 * received: the first line "METHOD URI", then "name: value" per header (sorted), a blank
 * line and the body. It runs on event loops of its own: a test context that closes
 * Reactor Netty's global resources (any context not started by {@code @SpringBootTest})
 * must not take down an upstream that outlives it.
 */
public final class EchoUpstream implements AutoCloseable {

	private final LoopResources loops = LoopResources.create("echo-upstream", 1, true);

	private final DisposableServer server;

	public EchoUpstream() {
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.aggregate()
				.asByteArray()
				.defaultIfEmpty(new byte[0])
				.flatMap((body) -> {
					StringBuilder text = new StringBuilder().append(request.method().name())
						.append(' ')
						.append(request.uri())
						.append('\n');
					Map<String, String> headers = new TreeMap<>();
					request.requestHeaders()
						.forEach((entry) -> headers.merge(entry.getKey().toLowerCase(), entry.getValue(),
								(a, b) -> a + "," + b));
					headers.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
					text.append('\n').append(new String(body, StandardCharsets.UTF_8));
					byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
					return response.header("content-type", "text/plain")
						.header("x-upstream", "echo")
						.sendByteArray(Mono.just(bytes))
						.then();
				}))
			.bindNow();
	}

	public int port() {
		return this.server.port();
	}

	public String url() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * What the upstream saw of a GET sent through the gateway with {@code headers} (name,
	 * value, ...), expecting 200.
	 */
	public static String seenThrough(WebTestClient gateway, String path, String... headers) {
		return gateway.get().uri(path).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.dispose();
	}

}
