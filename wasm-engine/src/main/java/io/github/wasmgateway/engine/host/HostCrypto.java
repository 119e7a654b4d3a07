package io.github.wasmgateway.engine.host;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature verification, HMAC and SHA-2 over the JDK's providers, offered to plugins as
 * foreign functions so the built-in auth plugins need not do public-key arithmetic in
 * Wasm. The names carry a version: a changed encoding gets a new name and the old one
 * stays. Arguments are a sequence of fields, each a little-endian u32 length and that
 * many bytes; text fields are ASCII. Malformed arguments answer {@code null}
 * (BAD_ARGUMENT); a signature that does not verify is a result, not an error. The
 * encoding is documented in docs/abi-coverage.md.
 */
final class HostCrypto {

	/** scheme, hash, key fields, message, signature: one byte, 1 when valid. */
	static final String VERIFY_SIGNATURE = "wasmgateway.crypto.verify_signature.v1";

	/** hash, key, message: the MAC. */
	static final String HMAC = "wasmgateway.crypto.hmac.v1";

	/** hash, message: the digest. */
	static final String DIGEST = "wasmgateway.crypto.digest.v1";

	private static final byte[] VALID = { 1 };

	private static final byte[] INVALID = { 0 };

	private static final byte[] EMPTY = {};

	/** The NIST curves by JWK name, with their field size in bytes. */
	private static final Map<String, Curve> CURVES = Map.of("P-256", Curve.named("secp256r1", 32), "P-384",
			Curve.named("secp384r1", 48), "P-521", Curve.named("secp521r1", 66));

	/** 2^255 - 19, Ed25519's field prime. */
	private static final BigInteger ED25519_P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

	/**
	 * Public keys already decoded and checked, by their fields: a plugin hands the same
	 * key over on every request, and decoding it (the point-on-curve check, the
	 * provider's key object with its encoding) costs as much as a fast verification.
	 */
	private static final PublicKeys publicKeys = new PublicKeys();

	private HostCrypto() {
	}

	static ForeignFunctions register(ForeignFunctions functions) {
		return functions.with(VERIFY_SIGNATURE, HostCrypto::verifySignature)
			.with(HMAC, HostCrypto::hmac)
			.with(DIGEST, HostCrypto::digest);
	}

	static byte[] digest(byte[] arguments) {
		byte[][] fields = Fields.split(arguments, 2);
		String hash = (fields != null) ? hashName(fields[0]) : null;
		if (hash == null) {
			return null;
		}
		try {
			return MessageDigest.getInstance(hash).digest(fields[1]);
		}
		catch (GeneralSecurityException ex) {
			return null;
		}
	}

	static byte[] hmac(byte[] arguments) {
		byte[][] fields = Fields.split(arguments, 3);
		String hash = (fields != null) ? hashName(fields[0]) : null;
		if (hash == null) {
			return null;
		}
		String algorithm = "Hmac" + hash.replace("-", "");
		// SecretKeySpec refuses an empty key; HMAC zero-pads the key to a block
		// (RFC 2104), so one zero byte is the same key
		byte[] key = (fields[1].length > 0) ? fields[1] : new byte[1];
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(key, algorithm));
			return mac.doFinal(fields[2]);
		}
		catch (GeneralSecurityException ex) {
			return null;
		}
	}

	static byte[] verifySignature(byte[] arguments) {
		byte[][] head = Fields.split(arguments, -1);
		if (head == null || head.length < 2) {
			return null;
		}
		String scheme = ascii(head[0]);
		String hash = hashName(head[1]);
		try {
			return switch (scheme) {
				case "RSASSA-PKCS1-v1_5" -> (hash != null && head.length == 6 && !hash.equals("SHA-1"))
						? verifyRsa(hash.replace("-", "") + "withRSA", null, head) : null;
				case "RSASSA-PSS" -> (hash != null && head.length == 6 && !hash.equals("SHA-1"))
						? verifyRsa("RSASSA-PSS", pss(hash), head) : null;
				case "ECDSA" ->
					(hash != null && head.length == 7 && !hash.equals("SHA-1")) ? verifyEcdsa(hash, head) : null;
				case "Ed25519" -> (head[1].length == 0 && head.length == 5) ? verifyEd25519(head) : null;
				default -> null;
			};
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// a key the provider refuses
			return null;
		}
	}

	/** scheme, hash, n, e, message, signature. */
	private static byte[] verifyRsa(String algorithm, PSSParameterSpec parameters, byte[][] fields)
			throws GeneralSecurityException {
		PublicKey key = publicKeys.get("RSA", fields[2], fields[3]);
		if (key == null) {
			BigInteger n = new BigInteger(1, fields[2]);
			BigInteger e = new BigInteger(1, fields[3]);
			if (n.signum() == 0 || e.signum() == 0) {
				return null;
			}
			key = publicKeys.put(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)), "RSA",
					fields[2], fields[3]);
		}
		byte[] signature = fields[5];
		// as the Wasm code: a signature is exactly as long as the modulus
		if (signature.length != (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8) {
			return INVALID;
		}
		Signature verifier = Signature.getInstance(algorithm);
		verifier.initVerify(key);
		if (parameters != null) {
			verifier.setParameter(parameters);
		}
		return verify(verifier, fields[4], signature);
	}

	/** RFC 7518 §3.5: MGF1 with the signature's hash, a salt as long as the hash. */
	private static PSSParameterSpec pss(String hash) {
		MGF1ParameterSpec mgf = new MGF1ParameterSpec(hash);
		int saltLength = switch (hash) {
			case "SHA-256" -> 32;
			case "SHA-384" -> 48;
			default -> 64;
		};
		return new PSSParameterSpec(hash, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
	}

	/** scheme, hash, curve, x, y, message, signature (r ‖ s). */
	private static byte[] verifyEcdsa(String hash, byte[][] fields) throws GeneralSecurityException {
		String curveName = ascii(fields[2]);
		Curve curve = CURVES.get(curveName);
		if (curve == null || fields[3].length != curve.size || fields[4].length != curve.size) {
			return null;
		}
		PublicKey key = publicKeys.get(curveName, fields[3], fields[4]);
		if (key == null) {
			BigInteger x = new BigInteger(1, fields[3]);
			BigInteger y = new BigInteger(1, fields[4]);
			if (!curve.contains(x, y)) {
				return null;
			}
			key = publicKeys.put(
					KeyFactory.getInstance("EC")
						.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve.parameters)),
					curveName, fields[3], fields[4]);
		}
		byte[] signature = fields[6];
		if (signature.length != 2 * curve.size) {
			return INVALID;
		}
		Signature verifier = Signature.getInstance(hash.replace("-", "") + "withECDSAinP1363Format");
		verifier.initVerify(key);
		return verify(verifier, fields[5], signature);
	}

	/**
	 * scheme, "" (no hash), the 32-byte public key (RFC 8032 §5.1.2), message, signature.
	 */
	private static byte[] verifyEd25519(byte[][] fields) throws GeneralSecurityException {
		byte[] encoded = fields[2];
		if (encoded.length != 32) {
			return null;
		}
		PublicKey key = publicKeys.get("Ed25519", encoded, EMPTY);
		if (key == null) {
			byte[] bigEndian = new byte[32];
			for (int i = 0; i < 32; i++) {
				bigEndian[i] = encoded[31 - i];
			}
			boolean xOdd = (bigEndian[0] & 0x80) != 0;
			bigEndian[0] &= 0x7f;
			BigInteger y = new BigInteger(1, bigEndian);
			if (y.compareTo(ED25519_P) >= 0) {
				return null;
			}
			key = publicKeys.put(
					KeyFactory.getInstance("Ed25519")
						.generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y))),
					"Ed25519", encoded, EMPTY);
		}
		if (fields[4].length != 64) {
			return INVALID;
		}
		Signature verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(key);
		return verify(verifier, fields[3], fields[4]);
	}

	private static byte[] verify(Signature verifier, byte[] message, byte[] signature) {
		try {
			verifier.update(message);
			return verifier.verify(signature) ? VALID : INVALID;
		}
		catch (SignatureException ex) {
			// a malformed signature does not verify
			return INVALID;
		}
	}

	/** The JDK's name of a hash given by its field, or {@code null}. */
	private static String hashName(byte[] field) {
		String name = ascii(field);
		return switch (name) {
			case "SHA-1", "SHA-256", "SHA-384", "SHA-512" -> name;
			default -> null;
		};
	}

	private static String ascii(byte[] field) {
		return new String(field, StandardCharsets.US_ASCII);
	}

	/** A NIST prime curve y² = x³ + ax + b over GF(p). */
	private record Curve(ECParameterSpec parameters, int size) {

		static Curve named(String name, int size) {
			try {
				AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
				parameters.init(new ECGenParameterSpec(name));
				return new Curve(parameters.getParameterSpec(ECParameterSpec.class), size);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("the JDK lacks the curve " + name, ex);
			}
		}

		/** SEC 1 §3.2.2.1: both coordinates below p and the point on the curve. */
		boolean contains(BigInteger x, BigInteger y) {
			BigInteger p = ((ECFieldFp) this.parameters.getCurve().getField()).getP();
			if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
				return false;
			}
			BigInteger right = x.pow(3)
				.add(this.parameters.getCurve().getA().multiply(x))
				.add(this.parameters.getCurve().getB())
				.mod(p);
			return y.multiply(y).mod(p).equals(right);
		}

	}

	/**
	 * Decoded public keys by type and key fields, at most {@link #LIMIT} (then emptied:
	 * plugins use a few keys each). Reads take no lock.
	 */
	static final class PublicKeys {

		static final int LIMIT = 256;

		private final Map<KeyFields, PublicKey> keys = new ConcurrentHashMap<>();

		PublicKey get(String type, byte[] first, byte[] second) {
			return this.keys.get(new KeyFields(type, first, second));
		}

		PublicKey put(PublicKey key, String type, byte[] first, byte[] second) {
			if (this.keys.size() >= LIMIT) {
				this.keys.clear();
			}
			this.keys.put(new KeyFields(type, first, second), key);
			return key;
		}

		int size() {
			return this.keys.size();
		}

		/**
		 * A key's type (RSA, the curve, Ed25519) and its one or two fields, compared by
		 * content.
		 */
		private record KeyFields(String type, byte[] first, byte[] second) {

			@Override
			public boolean equals(Object other) {
				return other instanceof KeyFields that && this.type.equals(that.type)
						&& Arrays.equals(this.first, that.first) && Arrays.equals(this.second, that.second);
			}

			@Override
			public int hashCode() {
				return (this.type.hashCode() * 31 + Arrays.hashCode(this.first)) * 31 + Arrays.hashCode(this.second);
			}

			@Override
			public String toString() {
				return this.type;
			}

		}

	}

	/** The length-prefixed fields of an argument block. */
	static final class Fields {

		private Fields() {
		}

		/**
		 * The fields of {@code arguments} (exactly {@code count} of them, any number when
		 * negative), or {@code null} when a length runs past the end.
		 */
		static byte[][] split(byte[] arguments, int count) {
			byte[][] fields = new byte[8][];
			int n = 0;
			int at = 0;
			while (at < arguments.length) {
				if (arguments.length - at < 4 || n == fields.length) {
					return null;
				}
				long length = Integer.toUnsignedLong((arguments[at] & 0xff) | (arguments[at + 1] & 0xff) << 8
						| (arguments[at + 2] & 0xff) << 16 | (arguments[at + 3] & 0xff) << 24);
				at += 4;
				if (length > arguments.length - at) {
					return null;
				}
				fields[n++] = Arrays.copyOfRange(arguments, at, at + (int) length);
				at += (int) length;
			}
			if (count >= 0 && n != count) {
				return null;
			}
			return Arrays.copyOf(fields, n);
		}

	}

}
