package io.github.wasmgateway.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host crypto foreign functions as a plugin calls them: the documented encoding in,
 * the result or {@code null} (BAD_ARGUMENT) out, for keys and signatures made by the JDK.
 */
class HostCryptoTests {

	private static final byte[] MESSAGE = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] VALID = { 1 };

	private static final byte[] INVALID = { 0 };

	private final ForeignFunctions functions = ForeignFunctions.standard();

	@Test
	void digestIsSha2OfTheMessage() {
		assertThat(hex(call(HostCrypto.DIGEST, "SHA-256", "abc")))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(call(HostCrypto.DIGEST, "SHA-512", "")).hasSize(64);
	}

	@Test
	void hmacIsRfc4231AndAcceptsAnEmptyKey() {
		// RFC 4231 test case 2
		assertThat(hex(call(HostCrypto.HMAC, "SHA-256", "Jefe", "what do ya want for nothing?")))
			.isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
		assertThat(hex(call(HostCrypto.HMAC, "SHA-256", "", "")))
			.isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
	}

	@ParameterizedTest
	@CsvSource({ "RSASSA-PKCS1-v1_5, SHA-256, SHA256withRSA", "RSASSA-PKCS1-v1_5, SHA-512, SHA512withRSA",
			"RSASSA-PSS, SHA-256, RSASSA-PSS", "RSASSA-PSS, SHA-384, RSASSA-PSS" })
	void rsaSignaturesVerifyAndATamperedOneDoesNot(String scheme, String hash, String jdkAlgorithm)
			throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		Signature signer = Signature.getInstance(jdkAlgorithm);
		signer.initSign(pair.getPrivate());
		if (scheme.equals("RSASSA-PSS")) {
			int salt = hash.equals("SHA-256") ? 32 : 48;
			signer.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1));
		}
		signer.update(MESSAGE);
		byte[] signature = signer.sign();
		RSAPublicKey key = (RSAPublicKey) pair.getPublic();
		byte[] n = unsigned(key.getModulus(), 256);
		byte[] e = key.getPublicExponent().toByteArray();
		assertThat(verify(scheme, hash, n, e, MESSAGE, signature)).isEqualTo(VALID);
		byte[] tampered = signature.clone();
		tampered[10] ^= 1;
		assertThat(verify(scheme, hash, n, e, MESSAGE, tampered)).isEqualTo(INVALID);
		assertThat(verify(scheme, hash, n, e, MESSAGE, Arrays.copyOf(signature, 255))).isEqualTo(INVALID);
		// PKCS #1 v1.5 and PSS are not each other
		String other = scheme.equals("RSASSA-PSS") ? "RSASSA-PKCS1-v1_5" : "RSASSA-PSS";
		assertThat(verify(other, hash, n, e, MESSAGE, signature)).isEqualTo(INVALID);
		// a zero modulus, SHA-1, a missing field
		assertThat(verify(scheme, hash, new byte[1], e, MESSAGE, signature)).isNull();
		assertThat(verify(scheme, "SHA-1", n, e, MESSAGE, signature)).isNull();
		assertThat(verify(scheme, hash, n, e, MESSAGE)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "P-256, secp256r1, SHA-256, 32", "P-384, secp384r1, SHA-384, 48", "P-521, secp521r1, SHA-512, 66" })
	void ecdsaSignaturesVerifyAndATamperedOneDoesNot(String curve, String jdkCurve, String hash, int size)
			throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec(jdkCurve));
		KeyPair pair = generator.generateKeyPair();
		Signature signer = Signature.getInstance(hash.replace("-", "") + "withECDSAinP1363Format");
		signer.initSign(pair.getPrivate());
		signer.update(MESSAGE);
		byte[] signature = signer.sign();
		ECPublicKey key = (ECPublicKey) pair.getPublic();
		byte[] x = unsigned(key.getW().getAffineX(), size);
		byte[] y = unsigned(key.getW().getAffineY(), size);
		byte[] name = curve.getBytes(StandardCharsets.US_ASCII);
		assertThat(verify("ECDSA", hash, name, x, y, MESSAGE, signature)).isEqualTo(VALID);
		byte[] tampered = signature.clone();
		tampered[3] ^= 1;
		assertThat(verify("ECDSA", hash, name, x, y, MESSAGE, tampered)).isEqualTo(INVALID);
		assertThat(verify("ECDSA", hash, name, x, y, MESSAGE, Arrays.copyOf(signature, 2 * size + 1)))
			.isEqualTo(INVALID);
		// a point off the curve, an unknown curve
		byte[] offCurve = y.clone();
		offCurve[size - 1] ^= 1;
		assertThat(verify("ECDSA", hash, name, x, offCurve, MESSAGE, signature)).isNull();
		assertThat(verify("ECDSA", hash, "P-224".getBytes(StandardCharsets.US_ASCII), x, y, MESSAGE, signature))
			.isNull();
	}

	@Test
	void ed25519SignaturesVerifyAndATamperedOneDoesNot() throws GeneralSecurityException {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		Signature signer = Signature.getInstance("Ed25519");
		signer.initSign(pair.getPrivate());
		signer.update(MESSAGE);
		byte[] signature = signer.sign();
		byte[] spki = pair.getPublic().getEncoded();
		byte[] key = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
		assertThat(verify("Ed25519", "", key, MESSAGE, signature)).isEqualTo(VALID);
		byte[] tampered = signature.clone();
		tampered[0] ^= 1;
		assertThat(verify("Ed25519", "", key, MESSAGE, tampered)).isEqualTo(INVALID);
		assertThat(verify("Ed25519", "", Arrays.copyOf(key, 31), MESSAGE, signature)).isNull();
		assertThat(verify("Ed25519", "SHA-512", key, MESSAGE, signature)).isNull();
	}

	@Test
	void decodedKeysAreFoundByContentAndKeptWithinTheLimit() throws GeneralSecurityException {
		HostCrypto.PublicKeys keys = new HostCrypto.PublicKeys();
		PublicKey key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
		byte[] first = { 1, 2 };
		keys.put(key, "Ed25519", first, new byte[0]);
		assertThat(keys.get("Ed25519", first.clone(), new byte[0])).isSameAs(key);
		assertThat(keys.get("RSA", first, new byte[0])).isNull();
		assertThat(keys.get("Ed25519", new byte[] { 1, 3 }, new byte[0])).isNull();
		for (int i = 0; i < HostCrypto.PublicKeys.LIMIT + 10; i++) {
			keys.put(key, "Ed25519", new byte[] { (byte) i, (byte) (i >> 8) }, new byte[0]);
		}
		assertThat(keys.size()).isLessThanOrEqualTo(HostCrypto.PublicKeys.LIMIT);
	}

	@Test
	void malformedArgumentsAreBadArgumentsNeverExceptions() {
		ForeignFunction verify = this.functions.find(HostCrypto.VERIFY_SIGNATURE);
		assertThat(verify.call(new byte[0])).isNull();
		assertThat(verify.call(new byte[] { 1, 2, 3 })).isNull();
		assertThat(verify.call(new byte[] { -1, -1, -1, -1, 0 })).isNull();
		assertThat(this.functions.find(HostCrypto.HMAC).call(fields("SHA-256", "key"))).isNull();
		assertThat(verify.call(fields("DSA", "SHA-256", "1", "2", "m", "s"))).isNull();
	}

	private byte[] call(String function, String... fields) {
		return this.functions.find(function).call(fields(fields));
	}

	private byte[] verify(String scheme, String hash, byte[]... rest) {
		byte[][] all = new byte[rest.length + 2][];
		all[0] = scheme.getBytes(StandardCharsets.US_ASCII);
		all[1] = hash.getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(rest, 0, all, 2, rest.length);
		return this.functions.find(HostCrypto.VERIFY_SIGNATURE).call(encode(all));
	}

	private static byte[] fields(String... texts) {
		byte[][] all = new byte[texts.length][];
		for (int i = 0; i < texts.length; i++) {
			all[i] = texts[i].getBytes(StandardCharsets.UTF_8);
		}
		return encode(all);
	}

	static byte[] encode(byte[]... fields) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] field : fields) {
			int n = field.length;
			out.write(n);
			out.write(n >>> 8);
			out.write(n >>> 16);
			out.write(n >>> 24);
			out.writeBytes(field);
		}
		return out.toByteArray();
	}

	private static byte[] unsigned(BigInteger value, int size) {
		byte[] bytes = value.toByteArray();
		byte[] out = new byte[size];
		int copy = Math.min(bytes.length, size);
		System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
		return out;
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
