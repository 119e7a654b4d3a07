package io.github.wasmgateway.benchmarks;

import io.github.wasmgateway.benchmarks.shared.CpuPerRequest;
import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.ForeignFunctions;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.PluginLogger;
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
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The complex built-in plugins (precompiled) through the engine, one accepted request
 * each, with the requests and configurations of the load script's bench routes
 * (demo-app's BenchTokens and BenchRoutes): jwt-auth with an RS256 and an ES256 token,
 * oauth's HS256 token check, hmac-auth's HMAC-SHA256 signature. The request headers phase
 * and the stream's end; host crypto on or off. Steadier than wrk on a busy machine (read
 * the {@code cpu:} lines); the Java references are measured end to end by the load
 * script.
 *
 * <pre>
 * ./mvnw -Pquick install &amp;&amp; java -jar benchmarks/target/benchmarks.jar ComplexPlugins -p hostCrypto=true
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ComplexPluginsBenchmark extends CpuPerRequest {

	private static final String ISSUER = "bench-issuer";

	/** The bench profile's level for plugins (WARN); nothing is written. */
	private static final PluginLogger WARN_AND_ABOVE = new PluginLogger() {

		@Override
		public boolean isEnabled(Level level) {
			return level.compareTo(Level.WARN) >= 0;
		}

		@Override
		public void log(Level level, String message) {
		}

	};

	@Param({ "jwt-auth-RS256", "jwt-auth-ES256", "oauth", "hmac-auth" })
	public String scenario;

	@Param({ "true", "false" })
	public boolean hostCrypto;

	private WasmEngine engine;

	private Plugin plugin;

	private PluginConfiguration configuration;

	private String[] requestHeaders;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.engine = WasmEngine.builder().build();
		String name = this.scenario.startsWith("jwt-auth") ? "jwt-auth" : this.scenario;
		this.plugin = load(name);
		switch (this.scenario) {
			case "jwt-auth-RS256", "jwt-auth-ES256" -> {
				KeyPair rsa = generate("RSA", null);
				KeyPair ec = generate("EC", new ECGenParameterSpec("secp256r1"));
				this.configuration = this.plugin
					.configure(jwtAuthConfiguration(rsa, ec).getBytes(StandardCharsets.UTF_8));
				boolean rs = this.scenario.endsWith("RS256");
				this.requestHeaders = request("/x", "authorization",
						"Bearer " + token(rs ? "RS256" : "ES256", rs ? "rsa" : "ec", rs ? rsa : ec));
			}
			case "oauth" -> {
				this.configuration = this.plugin.configure(("{\"consumers\": [{\"name\": \"frank\", \"client_id\": "
						+ "\"demo-client\", \"client_secret\": \"demo-secret\"}], \"issuer\": \"demo-gateway\", "
						+ "\"auth_path\": \"/oauth2/token\", \"global_auth\": true}")
					.getBytes(StandardCharsets.UTF_8));
				Decision issued = run(request(
						"/oauth2/token?grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret"));
				String body = new String(((Decision.Reply) issued).response().body(), StandardCharsets.UTF_8);
				String token = body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
				this.requestHeaders = request("/x", "authorization", "Bearer " + token);
			}
			case "hmac-auth" -> {
				this.configuration = this.plugin.configure(("{\"consumers\": [{\"key\": \"bench-key\", \"secret\": "
						+ "\"bench-secret\", \"name\": \"bench\"}], \"date_offset\": 86400}")
					.getBytes(StandardCharsets.UTF_8));
				String timestamp = Long.toString(System.currentTimeMillis());
				String toSign = "GET\napplication/json\n\n\n\nx-ca-key:bench-key\nx-ca-timestamp:" + timestamp + "\n/x";
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec("bench-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
				String signature = Base64.getEncoder()
					.encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
				this.requestHeaders = request("/x", "accept", "application/json", "x-ca-key", "bench-key",
						"x-ca-timestamp", timestamp, "x-ca-signature-headers", "x-ca-key,x-ca-timestamp",
						"x-ca-signature", signature);
			}
			default -> throw new IllegalArgumentException(this.scenario);
		}
		Decision decision = run(this.requestHeaders);
		if (decision != Decision.Flow.CONTINUE) {
			throw new IllegalStateException(this.scenario + ": the plugin did not accept the request: " + decision);
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.plugin.close();
		this.engine.close();
	}

	@Benchmark
	public Decision acceptedRequest() {
		request();
		return run(this.requestHeaders);
	}

	private Decision run(String[] headers) {
		HttpStream stream = this.plugin.openStream(this.configuration, new Exchange(ListHeaderMap.of(headers)));
		Decision decision = stream.onRequestHeaders(true);
		stream.finish();
		return decision;
	}

	private Plugin load(String name) throws IOException {
		byte[] bytes;
		try (InputStream in = ComplexPluginsBenchmark.class
			.getResourceAsStream("/wasm-gateway/plugins/" + name + ".wasm")) {
			bytes = in.readAllBytes();
		}
		StringBuilder className = new StringBuilder("io.github.wasmgateway.plugins.compiled.");
		for (String word : name.split("-")) {
			className.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
		}
		CompiledPlugin compiled = this.engine.precompiled(PluginBinary.of(bytes, name), className.toString(),
				ComplexPluginsBenchmark.class.getClassLoader());
		HostServices.Builder services = HostServices.builder().withLoggers((plugin) -> WARN_AND_ABOVE);
		if (!this.hostCrypto) {
			services.withForeignFunctions(ForeignFunctions.withoutHostCrypto());
		}
		return this.engine.createPlugin(compiled, PluginSettings.builder(name).build(), services.build());
	}

	/**
	 * The headers of a GET of {@code path} as the load script sends it, and
	 * {@code extra}.
	 */
	private static String[] request(String path, String... extra) {
		String[] base = { ":method", "GET", ":path", path, ":authority", "127.0.0.1", ":scheme", "http", "user-agent",
				"wrk", "x-forwarded-for", "127.0.0.1" };
		String[] all = new String[base.length + extra.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(extra, 0, all, base.length, extra.length);
		return all;
	}

	private static String jwtAuthConfiguration(KeyPair rsa, KeyPair ec) {
		RSAPublicKey rsaKey = (RSAPublicKey) rsa.getPublic();
		ECPublicKey ecKey = (ECPublicKey) ec.getPublic();
		String jwks = "{\"keys\": [{\"kty\":\"RSA\",\"kid\":\"rsa\",\"n\":\"" + b64u(unsigned(rsaKey.getModulus(), 0))
				+ "\",\"e\":\"" + b64u(unsigned(rsaKey.getPublicExponent(), 0)) + "\"},"
				+ "{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\""
				+ b64u(unsigned(ecKey.getW().getAffineX(), 32)) + "\",\"y\":\""
				+ b64u(unsigned(ecKey.getW().getAffineY(), 32)) + "\"}]}";
		return "{\"consumers\": [{\"name\": \"bench\", \"issuer\": \"" + ISSUER + "\", \"jwks\": \""
				+ jwks.replace("\"", "\\\"") + "\"}], \"global_auth\": true}";
	}

	private static String token(String alg, String kid, KeyPair keys) throws GeneralSecurityException {
		long exp = System.currentTimeMillis() / 1000 + 10L * 365 * 24 * 3600;
		String input = b64u(
				("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8))
				+ "." + b64u(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"bench\",\"exp\":" + exp + "}")
					.getBytes(StandardCharsets.UTF_8));
		Signature signature = Signature
			.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
		signature.initSign(keys.getPrivate());
		signature.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + b64u(signature.sign());
	}

	private static KeyPair generate(String algorithm, ECGenParameterSpec curve) throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
		if (curve != null) {
			generator.initialize(curve);
		}
		else {
			generator.initialize(2048);
		}
		return generator.generateKeyPair();
	}

	/** Big-endian bytes without a sign byte, left-padded to {@code size} when given. */
	private static byte[] unsigned(BigInteger value, int size) {
		byte[] bytes = value.toByteArray();
		int start = (bytes.length > 1 && bytes[0] == 0) ? 1 : 0;
		int length = bytes.length - start;
		byte[] out = new byte[Math.max(size, length)];
		System.arraycopy(bytes, start, out, out.length - length, length);
		return out;
	}

	private static String b64u(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The request headers only. */
	private record Exchange(HeaderMap requestHeaders) implements HttpExchange {

	}

}
