package io.github.wasmgateway.demo;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

/**
 * Profile "bench": an RSA and a P-256 key made at start-up, their JWK Set, and a token of
 * each (RS256, ES256) for the consumer {@code bench}, valid for ten years. The Wasm
 * jwt-auth route and its Java reference ({@link JavaJwtAuthFilter}) trust the same keys;
 * the load script fetches the tokens from {@code /bench-tokens/{alg}}.
 */
final class BenchTokens {

	static final String ISSUER = "bench-issuer";

	static final String CONSUMER = "bench";

	private final KeyPair rsa = generate("RSA", null);

	private final KeyPair ec = generate("EC", new ECGenParameterSpec("secp256r1"));

	/** kid -> public key. */
	Map<String, PublicKey> publicKeys() {
		return Map.of("rsa", this.rsa.getPublic(), "ec", this.ec.getPublic());
	}

	String jwks() {
		RSAPublicKey rsaKey = (RSAPublicKey) this.rsa.getPublic();
		ECPublicKey ecKey = (ECPublicKey) this.ec.getPublic();
		return "{\"keys\": [{\"kty\":\"RSA\",\"kid\":\"rsa\",\"n\":\"" + b64u(unsigned(rsaKey.getModulus(), 0))
				+ "\",\"e\":\"" + b64u(unsigned(rsaKey.getPublicExponent(), 0)) + "\"},"
				+ "{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\""
				+ b64u(unsigned(ecKey.getW().getAffineX(), 32)) + "\",\"y\":\""
				+ b64u(unsigned(ecKey.getW().getAffineY(), 32)) + "\"}]}";
	}

	/** The jwt-auth configuration of the Wasm route: one consumer with these keys. */
	String jwtAuthConfiguration() {
		return "{\"consumers\": [{\"name\": \"" + CONSUMER + "\", \"issuer\": \"" + ISSUER + "\", \"jwks\": "
				+ quote(jwks()) + "}], \"global_auth\": true}";
	}

	/** A token signed with {@code alg} (RS256 or ES256), or {@code null} for another. */
	String token(String alg) {
		long exp = System.currentTimeMillis() / 1000 + 10L * 365 * 24 * 3600;
		String kid = alg.equals("RS256") ? "rsa" : "ec";
		String input = b64u("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}") + "."
				+ b64u("{\"iss\":\"" + ISSUER + "\",\"sub\":\"bench\",\"exp\":" + exp + "}");
		try {
			Signature signature = switch (alg) {
				case "RS256" -> Signature.getInstance("SHA256withRSA");
				case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
				default -> null;
			};
			if (signature == null) {
				return null;
			}
			signature.initSign((alg.equals("RS256") ? this.rsa : this.ec).getPrivate());
			signature.update(input.getBytes(StandardCharsets.US_ASCII));
			return input + "." + b64u(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair generate(String algorithm, ECGenParameterSpec curve) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (curve != null) {
				generator.initialize(curve);
			}
			else {
				generator.initialize(2048);
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
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

	private static String b64u(String text) {
		return b64u(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String quote(String json) {
		return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
