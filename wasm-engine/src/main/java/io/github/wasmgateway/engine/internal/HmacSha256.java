package io.github.wasmgateway.engine.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 {@link MessageDigest}, for the compile
 * cache's MAC. It gives the bytes {@code javax.crypto.Mac}'s HmacSHA256 gives (an entry
 * written with either verifies with the other), without the JCE: a gateway has used
 * SHA-256 for the binary's sha256 before it reads the cache, but the first
 * {@code Mac.getInstance} in a JVM sets up the JCE's providers and policy, about 120 ms
 * of CPU, as much as the rest of a warm load of a 3.4 MB plugin's entry.
 */
final class HmacSha256 {

	private static final int BLOCK_BYTES = 64;

	private static final byte INNER_PAD = 0x36;

	private static final byte OUTER_PAD = 0x5c;

	private final MessageDigest inner = sha256();

	private final byte[] outerKey;

	HmacSha256(byte[] key) {
		byte[] block = Arrays.copyOf((key.length > BLOCK_BYTES) ? sha256().digest(key) : key, BLOCK_BYTES);
		byte[] innerKey = new byte[BLOCK_BYTES];
		this.outerKey = new byte[BLOCK_BYTES];
		for (int i = 0; i < BLOCK_BYTES; i++) {
			innerKey[i] = (byte) (block[i] ^ INNER_PAD);
			this.outerKey[i] = (byte) (block[i] ^ OUTER_PAD);
		}
		this.inner.update(innerKey);
	}

	void update(byte[] bytes) {
		this.inner.update(bytes);
	}

	void update(byte[] bytes, int offset, int length) {
		this.inner.update(bytes, offset, length);
	}

	/** The MAC of everything updated; this object is then spent. */
	byte[] doFinal() {
		MessageDigest outer = sha256();
		outer.update(this.outerKey);
		return outer.digest(this.inner.digest());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

}
