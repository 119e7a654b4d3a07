package io.github.wasmgateway.engine.abi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The header names a VM's plugin looks up, as lower-case strings, remembered by their
 * bytes: a plugin asks for the same few names on every request, and a hit costs no
 * allocation. A small direct-mapped table (a name that collides replaces the one before),
 * so its size is bounded whatever names a plugin uses. One per VM: single-threaded.
 */
final class HeaderNames {

	/** Longer names are not remembered. */
	static final int MAX_LENGTH = 64;

	private static final int SLOTS = 64;

	private final byte[][] bytes = new byte[SLOTS][];

	private final String[] names = new String[SLOTS];

	/**
	 * The lower-case name of the first {@code length} bytes of {@code buffer}
	 * ({@code length <= MAX_LENGTH}): {@link #lowerCase} of their UTF-8 decoding.
	 */
	String name(byte[] buffer, int length) {
		int hash = 1;
		for (int i = 0; i < length; i++) {
			hash = 31 * hash + buffer[i];
		}
		int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
		byte[] known = this.bytes[slot];
		if (known != null && Arrays.equals(known, 0, known.length, buffer, 0, length)) {
			return this.names[slot];
		}
		String name = lowerCase(new String(buffer, 0, length, StandardCharsets.UTF_8));
		this.bytes[slot] = Arrays.copyOf(buffer, length);
		this.names[slot] = name;
		return name;
	}

	/**
	 * Header names are compared in lower case; most already are, and stay as they are.
	 */
	static String lowerCase(String key) {
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c >= 'A' && c <= 'Z') {
				return key.toLowerCase(Locale.ROOT);
			}
		}
		return key;
	}

}
