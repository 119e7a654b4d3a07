package io.github.wasmgateway.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes of a plugin, with their sha256 and where they came from.
 */
public final class PluginBinary {

	private final byte[] bytes;

	private final String sha256;

	private final String origin;

	private PluginBinary(byte[] bytes, String origin) {
		this.bytes = bytes;
		this.origin = origin;
		this.sha256 = sha256(bytes);
	}

	/**
	 * A binary read from {@code origin} (a file path, a classpath location, a URL: only
	 * used in messages).
	 */
	public static PluginBinary of(byte[] bytes, String origin) {
		Objects.requireNonNull(bytes, "bytes");
		return new PluginBinary(bytes.clone(), Objects.requireNonNullElse(origin, "(in memory)"));
	}

	public byte[] bytes() {
		return this.bytes.clone();
	}

	/** The bytes without a defensive copy, for the engine's own readers. */
	byte[] unsafeBytes() {
		return this.bytes;
	}

	public int size() {
		return this.bytes.length;
	}

	/** Lower-case hex sha256 of the bytes. */
	public String sha256() {
		return this.sha256;
	}

	public String origin() {
		return this.origin;
	}

	/** Throws a {@link PluginLoadException} when the digest is not the expected one. */
	public PluginBinary verifySha256(String expected) {
		if (expected != null && !expected.isBlank() && !expected.trim().equalsIgnoreCase(this.sha256)) {
			throw new PluginLoadException("sha256 of " + this.origin + " is " + this.sha256 + " but " + expected.trim()
					+ " was pinned: the file is not the one configured; replace it or update the pin");
		}
		return this;
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return this.origin + " (" + this.bytes.length + " bytes, sha256 " + this.sha256 + ")";
	}

}
