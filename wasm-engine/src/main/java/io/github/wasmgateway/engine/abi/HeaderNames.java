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

	/** The hash of no bytes; {@link #hash} folds in the next. */
	static final int HASH_START = 1;

	private final byte[][] bytes = new byte[SLOTS][];

	private final String[] names = new String[SLOTS];

	/** Folds one more byte into a name's hash, which starts at {@link #HASH_START}. */
	static int hash(int hash, byte next) {
		return 31 * hash + next;
	}

	/**
	 * The lower-case name of the first {@code length} bytes of {@code buffer}
	 * ({@code length <= MAX_LENGTH}): {@link #lowerCase} of their UTF-8 decoding.
	 * {@code hash} is their {@link #hash}, which the caller computes as it reads them.
	 */
	String name(byte[] buffer, int length, int hash) {
		int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
		byte[] known = this.bytes[slot];
		if (known != null && same(known, buffer, length)) {
			return this.names[slot];
		}
		String name = lowerCase(new String(buffer, 0, length, StandardCharsets.UTF_8));
		this.bytes[slot] = Arrays.copyOf(buffer, length);
		this.names[slot] = name;
		return name;
	}

	/** A byte loop: names are a few bytes, shorter than a bulk compare pays off. */
	private static boolean same(byte[] known, byte[] buffer, int length) {
		if (known.length != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (known[i] != buffer[i]) {
				return false;
			}
		}
		return true;
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
