package io.github.wasmgateway.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 as hex, the form pins and OCI digests use. */
final class Sha256 {

	private Sha256() {
	}

	static String hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

	/** Whether {@code text} is 64 hex digits. */
	static boolean isHex(String text) {
		return text != null && text.length() == 64 && text.chars().allMatch((c) -> Character.digit(c, 16) >= 0);
	}

}
