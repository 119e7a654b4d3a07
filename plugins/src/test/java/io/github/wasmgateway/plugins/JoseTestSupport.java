package io.github.wasmgateway.plugins;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs and JWKs made with the JDK's own crypto (javax.crypto, java.security), so the
 * plugins' AssemblyScript crypto is checked against an independent implementation.
 */
final class JoseTestSupport {

	private JoseTestSupport() {
	}

	static String b64u(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String b64u(String text) {
		return b64u(text.getBytes(StandardCharsets.UTF_8));
	}

	static byte[] fromB64u(String text) {
		return Base64.getUrlDecoder().decode(text);
	}

	/** Unsigned big-endian bytes of a positive integer (no sign byte). */
	static String b64uInt(BigInteger value) {
		byte[] bytes = value.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			byte[] trimmed = new byte[bytes.length - 1];
			System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
			bytes = trimmed;
		}
		return b64u(bytes);
	}

	static KeyPair rsaKeyPair(int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(bits);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The public JWK of {@code pair}, with extra members such as {@code "kid":"k1"} (JSON
	 * text without braces).
	 */
	static String rsaPublicJwk(KeyPair pair, String extra) {
		RSAPublicKey key = (RSAPublicKey) pair.getPublic();
		return "{\"kty\":\"RSA\",\"n\":\"" + b64uInt(key.getModulus()) + "\",\"e\":\""
				+ b64uInt(key.getPublicExponent()) + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
	}

	/** The private JWK of {@code pair} with its CRT members. */
	static String rsaPrivateJwk(KeyPair pair, String extra) {
		RSAPrivateCrtKey key = (RSAPrivateCrtKey) pair.getPrivate();
		return "{\"kty\":\"RSA\",\"n\":\"" + b64uInt(key.getModulus()) + "\",\"e\":\""
				+ b64uInt(key.getPublicExponent()) + "\",\"d\":\"" + b64uInt(key.getPrivateExponent()) + "\",\"p\":\""
				+ b64uInt(key.getPrimeP()) + "\",\"q\":\"" + b64uInt(key.getPrimeQ()) + "\",\"dp\":\""
				+ b64uInt(key.getPrimeExponentP()) + "\",\"dq\":\"" + b64uInt(key.getPrimeExponentQ()) + "\",\"qi\":\""
				+ b64uInt(key.getCrtCoefficient()) + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
	}

	static String octJwk(byte[] secret, String extra) {
		return "{\"kty\":\"oct\",\"k\":\"" + b64u(secret) + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
	}

	/** A JSON string literal of {@code text} (for a JWKS given as a string). */
	static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	static String hmacJwt(String alg, byte[] secret, String headerJson, String payloadJson) {
		String input = b64u(headerJson) + "." + b64u(payloadJson);
		return input + "." + b64u(hmac(alg, secret, input));
	}

	static byte[] hmac(String alg, byte[] secret, String input) {
		String name = switch (alg) {
			case "HS256" -> "HmacSHA256";
			case "HS384" -> "HmacSHA384";
			case "HS512" -> "HmacSHA512";
			default -> throw new IllegalArgumentException(alg);
		};
		try {
			Mac mac = Mac.getInstance(name);
			mac.init(new SecretKeySpec(secret, name));
			return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String rsaJwt(String alg, KeyPair pair, String headerJson, String payloadJson) {
		String input = b64u(headerJson) + "." + b64u(payloadJson);
		return input + "." + b64u(rsaSign(alg, pair, input));
	}

	static byte[] rsaSign(String alg, KeyPair pair, String input) {
		try {
			Signature signature = rsaSignature(alg);
			signature.initSign(pair.getPrivate());
			signature.update(input.getBytes(StandardCharsets.UTF_8));
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static boolean rsaVerify(String alg, java.security.PublicKey key, String input, byte[] sig) {
		try {
			Signature signature = rsaSignature(alg);
			signature.initVerify(key);
			signature.update(input.getBytes(StandardCharsets.UTF_8));
			return signature.verify(sig);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * RS*: RSASSA-PKCS1-v1_5; PS*: RSASSA-PSS with MGF1 of the same hash and a salt as
	 * long as the hash (RFC 7518 §3.5).
	 */
	private static Signature rsaSignature(String alg) throws GeneralSecurityException {
		String bits = alg.substring(2);
		if (alg.startsWith("RS")) {
			return Signature.getInstance("SHA" + bits + "withRSA");
		}
		if (!alg.startsWith("PS")) {
			throw new IllegalArgumentException(alg);
		}
		String hash = "SHA-" + bits;
		Signature signature = Signature.getInstance("RSASSA-PSS");
		signature.setParameter(
				new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
		return signature;
	}

	/** A key pair on {@code curve} ("P-256", "P-384" or "P-521"). */
	static KeyPair ecKeyPair(String curve) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp" + curve.substring(2) + "r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Bytes of a coordinate or scalar on a curve of {@code size}-byte elements. */
	static int ecSize(KeyPair pair) {
		return (((ECPublicKey) pair.getPublic()).getParams().getCurve().getField().getFieldSize() + 7) / 8;
	}

	/** {@code value} as exactly {@code size} big-endian bytes. */
	static byte[] fixedBytes(BigInteger value, int size) {
		byte[] bytes = value.toByteArray();
		byte[] out = new byte[size];
		int length = Math.min(bytes.length, size);
		System.arraycopy(bytes, bytes.length - length, out, size - length, length);
		return out;
	}

	/** The public JWK of an EC key pair (crv, x, y; RFC 7518 §6.2.1). */
	static String ecPublicJwk(KeyPair pair, String extra) {
		ECPublicKey key = (ECPublicKey) pair.getPublic();
		int size = ecSize(pair);
		String curve = switch (size) {
			case 32 -> "P-256";
			case 48 -> "P-384";
			default -> "P-521";
		};
		return "{\"kty\":\"EC\",\"crv\":\"" + curve + "\",\"x\":\"" + b64u(fixedBytes(key.getW().getAffineX(), size))
				+ "\",\"y\":\"" + b64u(fixedBytes(key.getW().getAffineY(), size)) + "\""
				+ (extra.isEmpty() ? "" : "," + extra) + "}";
	}

	/**
	 * An ES256/ES384/ES512 JWT; {@code der} signs with the DER encoding (SEQUENCE of two
	 * INTEGERs) instead of JWS's r || s, which a verifier must refuse.
	 */
	static String ecJwt(String alg, KeyPair pair, String headerJson, String payloadJson, boolean der) {
		String hash = switch (alg) {
			case "ES256" -> "SHA256";
			case "ES384" -> "SHA384";
			case "ES512" -> "SHA512";
			default -> throw new IllegalArgumentException(alg);
		};
		String input = b64u(headerJson) + "." + b64u(payloadJson);
		try {
			Signature signature = Signature.getInstance(hash + "withECDSA" + (der ? "" : "inP1363Format"));
			signature.initSign(pair.getPrivate());
			signature.update(input.getBytes(StandardCharsets.UTF_8));
			return input + "." + b64u(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair ed25519KeyPair() {
		try {
			return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The Ed25519 private key of a 32-byte seed (RFC 8032 §5.1.5's secret key). */
	static PrivateKey ed25519PrivateKey(byte[] seed) {
		try {
			return KeyFactory.getInstance("Ed25519")
				.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The public JWK of an Ed25519 key (RFC 8037 §2: x, the 32-byte key, is the end of
	 * the X.509 encoding).
	 */
	static String ed25519PublicJwk(KeyPair pair, String extra) {
		byte[] encoded = pair.getPublic().getEncoded();
		byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
		return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + b64u(x) + "\"" + (extra.isEmpty() ? "" : "," + extra)
				+ "}";
	}

	static byte[] ed25519Sign(PrivateKey key, String input) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(key);
			signature.update(input.getBytes(StandardCharsets.UTF_8));
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An EdDSA (Ed25519) JWT. */
	static String ed25519Jwt(PrivateKey key, String headerJson, String payloadJson) {
		String input = b64u(headerJson) + "." + b64u(payloadJson);
		return input + "." + b64u(ed25519Sign(key, input));
	}

	/** The decoded JSON of part {@code index} (0 header, 1 payload) of a compact JWS. */
	static String part(String token, int index) {
		return new String(fromB64u(token.split("\\.")[index]), StandardCharsets.UTF_8);
	}

}
