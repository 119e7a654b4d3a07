package io.github.wasmgateway.demo;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The demo's upstream, on its own port ({@code demo.echo.port}, default 8081): answers
 * every request with what it received, so each demo route shows what the plugin did to
 * the request: "METHOD URI", one "name: value" line per header (sorted), a blank line,
 * the body.
 */
@Component
public class EchoServer implements SmartLifecycle {

	private final int port;

	private DisposableServer server;

	public EchoServer(@Value("${demo.echo.port:8081}") int port) {
		this.port = port;
	}

	@Override
	public void start() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(this.port)
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
					text.append('\n').append(new String(body, StandardCharsets.UTF_8)).append('\n');
					return response.header("content-type", "text/plain")
						.sendByteArray(Mono.just(text.toString().getBytes(StandardCharsets.UTF_8)))
						.then();
				}))
			.bindNow();
	}

	@Override
	public void stop() {
		if (this.server != null) {
			this.server.disposeNow();
			this.server = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/** Start before the gateway takes traffic. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

}
