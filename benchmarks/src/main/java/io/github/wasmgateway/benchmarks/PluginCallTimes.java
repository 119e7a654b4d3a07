package io.github.wasmgateway.benchmarks;

import io.github.wasmgateway.engine.ByteArrayBody;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How long one call into each built-in plugin takes, at its heaviest (the request-headers
 * call that verifies a signature or matches every pattern), precompiled and interpreted:
 * the figures the default call deadline is chosen from (docs/engine.md, "Deadlines").
 * Each scenario first checks that the plugin let the request through (the work was really
 * done), then times every call and prints the first call (cold code) and the median, p99
 * and max of the calls after a warm-up, per mode.
 *
 * <pre>
 * ./mvnw -Pquick install
 * java -cp benchmarks/target/benchmarks.jar io.github.wasmgateway.benchmarks.PluginCallTimes [calls [mode]]
 * </pre>
 */
public final class PluginCallTimes {

	private static final String INDEX = "META-INF/wasm-gateway/builtin-plugins.properties";

	private PluginCallTimes() {
	}

	public static void main(String[] args) throws Exception {
		int calls = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		List<ExecutionMode> modes = (args.length > 1) ? List.of(ExecutionMode.valueOf(args[1].toUpperCase(Locale.ROOT)))
				: List.of(ExecutionMode.PRECOMPILED, ExecutionMode.INTERPRETER);
		List<Scenario> scenarios = scenarios();
		System.out.println("| plugin | request | mode | first call | median | p99 | max |");
		System.out.println("|---|---|---|---|---|---|---|");
		try (WasmEngine engine = WasmEngine.builder().build()) {
			for (ExecutionMode mode : modes) {
				for (Scenario scenario : scenarios) {
					// the interpreter is 50-500 times slower: fewer calls
					int count = (mode == ExecutionMode.INTERPRETER) ? Math.max(5, calls / 20) : calls;
					long[] nanos = measure(engine, scenario, mode, count);
					long first = nanos[0];
					nanos = Arrays.copyOfRange(nanos, 1, nanos.length);
					Arrays.sort(nanos);
					System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", scenario.plugin,
							scenario.label, mode.name().toLowerCase(Locale.ROOT), millis(first),
							millis(nanos[nanos.length / 2]),
							millis(nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)]),
							millis(nanos[nanos.length - 1]));
				}
			}
		}
	}

	private static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
	}

	private static long[] measure(WasmEngine engine, Scenario scenario, ExecutionMode mode, int calls)
			throws IOException {
		try (Plugin plugin = engine.createPlugin(compile(engine, scenario.plugin, mode),
				PluginSettings.builder(scenario.plugin).withCallTimeout(Duration.ofMinutes(5)).build())) {
			PluginConfiguration configuration = plugin
				.configure(scenario.configuration.getBytes(StandardCharsets.UTF_8));
			// the first call (cold code), checked: the plugin let the request through;
			// then a warm-up, then the measured calls
			long[] nanos = new long[calls + 1];
			nanos[0] = call(plugin, configuration, scenario, true);
			for (int i = 0; i < Math.max(3, calls / 10); i++) {
				call(plugin, configuration, scenario, true);
			}
			for (int i = 1; i <= calls; i++) {
				nanos[i] = call(plugin, configuration, scenario, false);
			}
			return nanos;
		}
	}

	private static long call(Plugin plugin, PluginConfiguration configuration, Scenario scenario, boolean check) {
		Exchange exchange = new Exchange(scenario.headers);
		HttpStream stream = plugin.openStream(configuration, exchange);
		try {
			long took;
			Decision decision;
			if (scenario.body > 0) {
				// the body is the heavy call: all of it at once, as when buffered
				stream.onRequestHeaders(false);
				byte[] body = new byte[scenario.body];
				Arrays.fill(body, (byte) 'a');
				long started = System.nanoTime();
				decision = stream.onRequestBody(new ByteArrayBody(body), true);
				took = System.nanoTime() - started;
			}
			else {
				long started = System.nanoTime();
				decision = stream.onRequestHeaders(true);
				took = System.nanoTime() - started;
			}
			if (check && decision instanceof Decision.Reply reply
					&& reply.response().status() != scenario.expectedLocal) {
				throw new IllegalStateException(scenario.plugin + " / " + scenario.label + " answered "
						+ reply.response().status() + ": " + reply.response().details());
			}
			return took;
		}
		finally {
			stream.finish();
		}
	}

	private static CompiledPlugin compile(WasmEngine engine, String name, ExecutionMode mode) throws IOException {
		ClassLoader loader = PluginCallTimes.class.getClassLoader();
		Properties index = new Properties();
		try (InputStream in = loader.getResourceAsStream(INDEX)) {
			index.load(in);
		}
		PluginBinary binary;
		try (InputStream in = loader.getResourceAsStream(index.getProperty(name + ".wasm"))) {
			binary = PluginBinary.of(in.readAllBytes(), "builtin:" + name);
		}
		return (mode == ExecutionMode.PRECOMPILED)
				? engine.precompiled(binary, index.getProperty(name + ".class"), loader) : engine.compile(binary, mode);
	}

	// ---- the scenarios: each plugin's heaviest request that it lets through

	private static List<Scenario> scenarios() throws GeneralSecurityException {
		List<Scenario> scenarios = new ArrayList<>();
		String keyAuth = "{\"keys\":[\"x-api-key\"],\"global_auth\":true,\"consumers\":[{\"name\":\"alice\","
				+ "\"credential\":\"alice-key\"}]}";
		scenarios.add(new Scenario("key-auth", "valid key", keyAuth, 0, "x-api-key", "alice-key"));
		// the largest header the gateway takes (Reactor Netty's default limit: 8 KiB)
		scenarios.add(new Scenario("key-auth", "unknown 8 KiB key", keyAuth, 401, "x-api-key", "k".repeat(8000)));
		// the largest body the gateway buffers by default (max-buffered-body: 1 MiB)
		scenarios
			.add(new Scenario("request-block", "1 MiB body scanned", "{\"block_bodies\":[\"needle\"]}", 0, 1 << 20));
		scenarios.add(new Scenario("basic-auth", "valid password",
				"{\"global_auth\":true,\"consumers\":[{\"name\":\"carol\",\"credential\":\"carol:secret\"}]}", 0,
				"authorization", "Basic " + base64("carol:secret".getBytes(StandardCharsets.UTF_8))));
		scenarios.add(new Scenario("bot-detect", "browser (every pattern tried)", "{}", 0, "user-agent",
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"));
		scenarios.add(hmac());
		scenarios.add(jwtHs256());
		scenarios.add(jwtRsa("RS256", 2048, "SHA256withRSA"));
		scenarios.add(jwtRsa("RS512", 4096, "SHA512withRSA"));
		scenarios.add(jwtEc("ES256", "secp256r1", "SHA256withECDSAinP1363Format"));
		scenarios.add(jwtEc("ES384", "secp384r1", "SHA384withECDSAinP1363Format"));
		scenarios.add(new Scenario("oauth", "token issued (HS256 signed)",
				"{\"consumers\":[{\"name\":\"frank\",\"client_id\":\"demo-client\",\"client_secret\":\"demo-secret\"}],"
						+ "\"issuer\":\"bench\",\"auth_path\":\"/oauth2/token\",\"global_auth\":true}",
				200, ":path",
				"/oauth2/token?grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret"));
		return scenarios;
	}

	private static Scenario hmac() throws GeneralSecurityException {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec("sk1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signed = "ak1\nGET /bench/x\ndate: " + date + "\n";
		String signature = base64(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		return new Scenario("hmac-auth", "hmac-sha256 signature",
				"{\"consumers\":[{\"name\":\"erin\",\"access_key\":\"ak1\",\"secret_key\":\"sk1\"}],"
						+ "\"clock_skew\":300,\"global_auth\":true}",
				0, "date", date, "authorization", "Signature keyId=\"ak1\",algorithm=\"hmac-sha256\","
						+ "headers=\"@request-target date\",signature=\"" + signature + "\"");
	}

	private static Scenario jwtHs256() throws GeneralSecurityException {
		byte[] key = "secret-of-at-least-32-bytes-long!".getBytes(StandardCharsets.UTF_8);
		String jwk = "{\"kty\":\"oct\",\"kid\":\"k\",\"k\":\"" + base64url(key) + "\"}";
		String input = jwtInput("HS256");
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return jwt("HS256", jwk, input + "." + base64url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))));
	}

	private static Scenario jwtRsa(String alg, int bits, String algorithm) throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(bits);
		KeyPair pair = generator.generateKeyPair();
		RSAPublicKey key = (RSAPublicKey) pair.getPublic();
		String jwk = "{\"kty\":\"RSA\",\"kid\":\"k\",\"alg\":\"" + alg + "\",\"n\":\"" + unsigned(key.getModulus())
				+ "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}";
		String input = jwtInput(alg);
		Signature signature = Signature.getInstance(algorithm);
		signature.initSign(pair.getPrivate());
		signature.update(input.getBytes(StandardCharsets.US_ASCII));
		return jwt(alg + " (" + bits + "-bit key)", jwk, input + "." + base64url(signature.sign()));
	}

	private static Scenario jwtEc(String alg, String curve, String algorithm) throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec(curve));
		KeyPair pair = generator.generateKeyPair();
		ECPublicKey key = (ECPublicKey) pair.getPublic();
		int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
		String jwk = "{\"kty\":\"EC\",\"kid\":\"k\",\"alg\":\"" + alg + "\",\"crv\":\""
				+ (size == 32 ? "P-256" : "P-384") + "\",\"x\":\"" + fixed(key.getW().getAffineX(), size)
				+ "\",\"y\":\"" + fixed(key.getW().getAffineY(), size) + "\"}";
		String input = jwtInput(alg);
		Signature signature = Signature.getInstance(algorithm);
		signature.initSign(pair.getPrivate());
		signature.update(input.getBytes(StandardCharsets.US_ASCII));
		return jwt(alg, jwk, input + "." + base64url(signature.sign()));
	}

	private static Scenario jwt(String label, String jwk, String token) {
		return new Scenario("jwt-auth", label, "{\"global_auth\":true,\"consumers\":[{\"name\":\"dave\",\"issuer\":"
				+ "\"bench\",\"jwks\":{\"keys\":[" + jwk + "]}}]}", 0, "authorization", "Bearer " + token);
	}

	private static String jwtInput(String alg) {
		String header = "{\"alg\":\"" + alg + "\",\"kid\":\"k\",\"typ\":\"JWT\"}";
		String claims = "{\"iss\":\"bench\",\"sub\":\"dave\",\"exp\":4102444800}";
		return base64url(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ base64url(claims.getBytes(StandardCharsets.UTF_8));
	}

	private static String unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		return base64url((bytes[0] == 0) ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
	}

	private static String fixed(BigInteger value, int size) {
		byte[] bytes = value.toByteArray();
		byte[] out = new byte[size];
		int copy = Math.min(size, bytes.length);
		System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
		return base64url(out);
	}

	private static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	private static String base64url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * One request: the plugin, its configuration, the local response status that counts
	 * as served (0: none, the request goes on), a body size (0: none; else the body call
	 * is the one timed) and the request headers.
	 */
	private record Scenario(String plugin, String label, String configuration, int expectedLocal, int body,
			String... headers) {

		Scenario(String plugin, String label, String configuration, int expectedLocal, String... headers) {
			this(plugin, label, configuration, expectedLocal, 0, headers);
		}

	}

	/** A GET with the scenario's headers. */
	private static final class Exchange implements HttpExchange {

		private final ListHeaderMap request = ListHeaderMap.of(":method", "GET", ":path", "/bench/x", ":authority",
				"gateway.example.com", ":scheme", "https", "accept", "application/json");

		Exchange(String[] headers) {
			for (int i = 0; i < headers.length; i += 2) {
				this.request.set(headers[i], headers[i + 1]);
			}
		}

		@Override
		public HeaderMap requestHeaders() {
			return this.request;
		}

	}

}
