package io.github.wasmgateway.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry token service as Docker's token authentication specifies it: GET
 * {@code /token?service=...&scope=repository:<name>:<actions>}; a caller with the right
 * Basic credentials gets a token (a JWT signed with the test certificate's key, the
 * certificate in its x5c header) granting the scope, anyone else a token granting
 * nothing.
 */
final class TokenServer implements AutoCloseable {

	static final String SERVICE = "test-registry";

	static final String ISSUER = "test-token-issuer";

	private final HttpServer server;

	private final TestCertificate certificate;

	final AtomicInteger tokensIssued = new AtomicInteger();

	private TokenServer(TestCertificate certificate) throws IOException {
		this.certificate = certificate;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/token", this::token);
		this.server.start();
	}

	static TokenServer start(TestCertificate certificate) throws IOException {
		return new TokenServer(certificate);
	}

	TestCertificate certificate() {
		return this.certificate;
	}

	String realm() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/token";
	}

	private void token(HttpExchange exchange) throws IOException {
		try (exchange) {
			String scope = "";
			String query = exchange.getRequestURI().getRawQuery();
			for (String parameter : (query != null) ? query.split("&") : new String[0]) {
				if (parameter.startsWith("scope=")) {
					scope = URLDecoder.decode(parameter.substring(6), StandardCharsets.UTF_8);
				}
			}
			String expected = "Basic " + Base64.getEncoder()
				.encodeToString((RegistryServer.USER + ":" + RegistryServer.PASSWORD).getBytes(StandardCharsets.UTF_8));
			boolean authenticated = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
			String access = "[]";
			String[] parts = scope.split(":");
			if (authenticated && parts.length == 3) {
				StringBuilder actions = new StringBuilder();
				for (String action : parts[2].split(",")) {
					actions.append((actions.length() > 0) ? "," : "").append('"').append(action).append('"');
				}
				access = "[{\"type\":\"" + parts[0] + "\",\"name\":\"" + parts[1] + "\",\"actions\":[" + actions
						+ "]}]";
			}
			byte[] body = ("{\"token\":\"" + jwt(authenticated ? RegistryServer.USER : "", access) + "\"}")
				.getBytes(StandardCharsets.UTF_8);
			this.tokensIssued.incrementAndGet();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
		catch (Exception ex) {
			throw new IOException(ex);
		}
	}

	private String jwt(String subject, String access) throws Exception {
		Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
		long now = System.currentTimeMillis() / 1000;
		String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\""
				+ Base64.getEncoder().encodeToString(this.certificate.certificate.getEncoded()) + "\"]}";
		String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + SERVICE + "\",\"exp\":"
				+ (now + 600) + ",\"nbf\":" + (now - 60) + ",\"iat\":" + now + ",\"jti\":\"" + now + "-"
				+ this.tokensIssued.get() + "\",\"access\":" + access + "}";
		String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initSign(this.certificate.key);
		signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
		return signingInput + "." + url.encodeToString(signature.sign());
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
