package io.github.wasmgateway.engine.abi;

import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;
import java.nio.charset.StandardCharsets;

/**
 * The proxy-wasm wire format of a header map: u32 count, count x (u32 key length, u32
 * value length), then each key and value followed by a NUL byte; little-endian.
 */
final class HeaderPairs {

	/** Envoy's limits: at most 1024 pairs. */
	static final int MAX_PAIRS = 1024;

	private HeaderPairs() {
	}

	/** The serialized size of {@code map}. */
	static int size(HeaderMap map) {
		int n = map.size();
		int size = 4 + n * 8;
		for (int i = 0; i < n; i++) {
			size += utf8Length(map.name(i)) + utf8Length(map.value(i)) + 2;
		}
		return size;
	}

	/** Serializes {@code map} into {@code target} (at least {@link #size} bytes). */
	static int write(HeaderMap map, byte[] target) {
		int n = map.size();
		putU32(target, 0, n);
		int lengths = 4;
		int data = 4 + n * 8;
		for (int i = 0; i < n; i++) {
			int keyLength = encode(map.name(i), target, data);
			putU32(target, lengths, keyLength);
			data += keyLength;
			target[data++] = 0;
			int valueLength = encode(map.value(i), target, data);
			putU32(target, lengths + 4, valueLength);
			data += valueLength;
			target[data++] = 0;
			lengths += 8;
		}
		return data;
	}

	/** Parses a serialized map; null when malformed. */
	static ListHeaderMap parse(byte[] bytes) {
		ListHeaderMap map = new ListHeaderMap();
		if (bytes.length == 0) {
			return map;
		}
		if (bytes.length < 4) {
			// some SDKs send a lone 0 byte for an empty map
			for (byte b : bytes) {
				if (b != 0) {
					return null;
				}
			}
			return map;
		}
		long count = getU32(bytes, 0);
		if (count > MAX_PAIRS || 4 + count * 8 > bytes.length) {
			return null;
		}
		int data = 4 + (int) count * 8;
		for (int i = 0; i < count; i++) {
			long keyLength = getU32(bytes, 4 + i * 8);
			long valueLength = getU32(bytes, 8 + i * 8);
			if (data + keyLength + 1 + valueLength + 1 > bytes.length) {
				return null;
			}
			String key = new String(bytes, data, (int) keyLength, StandardCharsets.UTF_8);
			data += (int) keyLength + 1;
			String value = new String(bytes, data, (int) valueLength, StandardCharsets.UTF_8);
			data += (int) valueLength + 1;
			map.add(key, value);
		}
		return map;
	}

	static int utf8Length(String text) {
		int length = text.length();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				return text.getBytes(StandardCharsets.UTF_8).length;
			}
		}
		return length;
	}

	/** Writes {@code text} as UTF-8 at {@code offset}; ASCII without allocating. */
	static int encode(String text, byte[] target, int offset) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
				System.arraycopy(bytes, 0, target, offset, bytes.length);
				return bytes.length;
			}
			target[offset + i] = (byte) c;
		}
		return length;
	}

	private static void putU32(byte[] target, int offset, int value) {
		target[offset] = (byte) value;
		target[offset + 1] = (byte) (value >>> 8);
		target[offset + 2] = (byte) (value >>> 16);
		target[offset + 3] = (byte) (value >>> 24);
	}

	private static long getU32(byte[] source, int offset) {
		return (source[offset] & 0xFFL) | (source[offset + 1] & 0xFFL) << 8 | (source[offset + 2] & 0xFFL) << 16
				| (source[offset + 3] & 0xFFL) << 24;
	}

}
