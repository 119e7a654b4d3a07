package io.github.wasmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * The property {@code request.protocol} names the protocol the client spoke, as Envoy
 * does: {@code HTTP/1.0}, {@code HTTP/1.1}, {@code HTTP/2} (here over cleartext h2c).
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wasm-gateway.compile-cache=", "server.http2.enabled=true", ExerciserGatewayTests.ROUTE })
class RequestProtocolTests extends ExerciserGatewayTests {

	/** What the plugin read as request.protocol, as the echo upstream saw it. */
	String protocolOver(HttpProtocol protocol) {
		return HttpClient.create()
			.protocol(protocol)
			.headers((headers) -> headers.add("x-op", "get-property:request.protocol"))
			.get()
			.uri("http://127.0.0.1:" + this.port + "/ex/x")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
	}

	@Test
	void http11IsNamedHttp11() {
		assertThat(protocolOver(HttpProtocol.HTTP11)).contains("x-result: HTTP/1.1");
	}

	@Test
	void http2IsNamedHttp2() {
		assertThat(protocolOver(HttpProtocol.H2C)).contains("x-result: HTTP/2\n");
	}

	@Test
	void http10IsNamedHttp10() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /ex/x HTTP/1.0\r\nHost: 127.0.0.1\r\nx-op: get-property:request.protocol\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(response).startsWith("HTTP/1.").contains("x-result: HTTP/1.0");
		}
	}

}
