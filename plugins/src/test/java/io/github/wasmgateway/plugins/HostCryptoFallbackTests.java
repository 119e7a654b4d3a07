package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;
import static io.github.wasmgateway.plugins.JoseTestSupport.ecJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.ecPublicJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.ed25519Jwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.ed25519PublicJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.hmacJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.octJwk;
import static io.github.wasmgateway.plugins.JoseTestSupport.quote;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaJwt;
import static io.github.wasmgateway.plugins.JoseTestSupport.rsaPublicJwk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jwt-auth on a host with the crypto foreign functions and on one without (as Envoy): the
 * same tokens pass and the same fail, and only the first host is asked. The other auth
 * plugins' tests run on both hosts too (plugins/pom.xml, execution host-crypto-off).
 */
class HostCryptoFallbackTests {

	static final KeyPair RSA = JoseTestSupport.rsaKeyPair(2048);

	static final KeyPair EC256 = JoseTestSupport.ecKeyPair("P-256");

	static final KeyPair EC384 = JoseTestSupport.ecKeyPair("P-384");

	static final KeyPair EC521 = JoseTestSupport.ecKeyPair("P-521");

	static final KeyPair ED25519 = JoseTestSupport.ed25519KeyPair();

	static final byte[] SECRET = "host-crypto-test-secret-32-bytes".getBytes(StandardCharsets.UTF_8);

	static final String CONSUMERS = "{\"consumers\": [{\"name\": \"c\", \"issuer\": \"iss\", \"jwks\": "
			+ quote("{\"keys\": [" + rsaPublicJwk(RSA, "\"kid\":\"rsa\"") + "," + ecPublicJwk(EC256, "\"kid\":\"p256\"")
					+ "," + ecPublicJwk(EC384, "\"kid\":\"p384\"") + "," + ecPublicJwk(EC521, "\"kid\":\"p521\"") + ","
					+ ed25519PublicJwk(ED25519, "\"kid\":\"ed\"") + "," + octJwk(SECRET, "\"kid\":\"hs\"") + "]}")
			+ "}]}";

	static String token(String alg, long now) {
		String claims = "{\"iss\":\"iss\",\"sub\":\"alice\",\"exp\":" + (now + 600) + "}";
		return switch (alg) {
			case "RS256", "RS512", "PS256", "PS384" -> rsaJwt(alg, RSA, header(alg, "rsa"), claims);
			case "ES256" -> ecJwt(alg, EC256, header(alg, "p256"), claims, false);
			case "ES384" -> ecJwt(alg, EC384, header(alg, "p384"), claims, false);
			case "ES512" -> ecJwt(alg, EC521, header(alg, "p521"), claims, false);
			case "EdDSA" -> ed25519Jwt(ED25519.getPrivate(), header(alg, "ed"), claims);
			default -> hmacJwt(alg, SECRET, header(alg, "hs"), claims);
		};
	}

	static String header(String alg, String kid) {
		return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}";
	}

	/** The token with one bit of its signature's first byte flipped. */
	static String tampered(String token) {
		int at = token.lastIndexOf('.') + 1;
		char c = token.charAt(at);
		char flipped = (c == 'A') ? 'B' : 'A';
		return token.substring(0, at) + flipped + token.substring(at + 1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "RS256", "RS512", "PS256", "PS384", "ES256", "ES384", "ES512", "EdDSA", "HS256" })
	void tokensPassAndFailAlikeWithAndWithoutTheHostFunctions(String alg) {
		try (PluginTester host = BuiltinPlugins.tester("jwt-auth", true);
				PluginTester wasm = BuiltinPlugins.tester("jwt-auth", false)) {
			String token = token(alg, host.clock().epochSeconds());
			for (PluginTester plugin : new PluginTester[] { host, wasm }) {
				TestConfiguration configuration = plugin.configure(CONSUMERS);
				TestResult accepted = BuiltinPlugins.send(plugin, configuration, bearer(token));
				assertThat(accepted.passed()).as(alg + " accepted").isTrue();
				assertThat(accepted.requestHeader("x-mse-consumer")).isEqualTo("c");
				TestResult refused = BuiltinPlugins.send(plugin, configuration, bearer(tampered(token)));
				assertThat(refused.status()).as(alg + " tampered").isEqualTo(401);
			}
			String function = alg.startsWith("HS") ? "wasmgateway.crypto.hmac.v1"
					: "wasmgateway.crypto.verify_signature.v1";
			assertThat(host.foreignCalls(function)).isEqualTo(2);
			assertThat(wasm.foreignCalls()).isEmpty();
		}
	}

	static TestRequest bearer(String token) {
		return TestRequest.get("/", "authorization", "Bearer " + token);
	}

}
