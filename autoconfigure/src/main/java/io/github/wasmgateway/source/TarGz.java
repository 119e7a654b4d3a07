package io.github.wasmgateway.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Reads one file out of a gzip-compressed tar layer: ustar and GNU headers, PAX and GNU
 * long names. The file is found by its base name anywhere in the archive, as Istio does.
 * At most {@code 2 x maxBytes} are decompressed, so a gzip bomb costs bounded time.
 */
final class TarGz {

	private static final int BLOCK = 512;

	private TarGz() {
	}

	static byte[] extract(byte[] archive, String fileName, long maxBytes, String location) {
		long budget = 2 * maxBytes + 64 * BLOCK;
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(archive))) {
			String longName = null;
			byte[] header = new byte[BLOCK];
			while (true) {
				if (!readBlock(in, header)) {
					break;
				}
				budget -= BLOCK;
				if (isZero(header)) {
					break;
				}
				long size = size(header, location);
				char type = (char) header[156];
				String name = (longName != null) ? longName : name(header);
				longName = null;
				long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
				if (padded > budget) {
					throw PluginSourceException.refused(location + ": the plugin layer expands past the " + maxBytes
							+ " bytes allowed (wasm-gateway.max-binary-size)");
				}
				budget -= padded;
				if (type == 'L' || type == 'x') {
					if (size > 64 * 1024) {
						throw PluginSourceException.refused(location + ": the plugin layer has a malformed tar header");
					}
					byte[] data = readExactly(in, (int) size);
					skip(in, padded - size);
					longName = (type == 'L') ? cString(data, 0, data.length) : paxPath(data);
					continue;
				}
				boolean regular = type == '0' || type == 0 || type == '7';
				if (regular && baseName(name).equals(fileName)) {
					if (size > maxBytes) {
						throw PluginSourceException.refused(location + ": " + fileName + " is " + size
								+ " bytes, more than the " + maxBytes + " allowed (wasm-gateway.max-binary-size)");
					}
					return readExactly(in, (int) size);
				}
				skip(in, padded);
			}
		}
		catch (IOException ex) {
			throw PluginSourceException
				.refused(location + ": the plugin layer is not a readable tar.gz (" + ex.getMessage() + ")");
		}
		throw PluginSourceException.refused(location + ": the image layer holds no " + fileName);
	}

	private static boolean readBlock(InputStream in, byte[] block) throws IOException {
		int read = in.readNBytes(block, 0, BLOCK);
		if (read == 0) {
			return false;
		}
		if (read < BLOCK) {
			throw new IOException("truncated tar header");
		}
		return true;
	}

	private static boolean isZero(byte[] block) {
		for (byte b : block) {
			if (b != 0) {
				return false;
			}
		}
		return true;
	}

	/** The entry's size: octal, or base-256 when the first byte's high bit is set. */
	private static long size(byte[] header, String location) {
		if ((header[124] & 0x80) != 0) {
			long value = 0;
			for (int i = 125; i < 136; i++) {
				if (value > (Long.MAX_VALUE >> 8)) {
					throw PluginSourceException.refused(location + ": the plugin layer has a malformed tar header");
				}
				value = (value << 8) | (header[i] & 0xFF);
			}
			return value;
		}
		long value = 0;
		boolean digits = false;
		for (int i = 124; i < 136; i++) {
			byte b = header[i];
			if (b == 0 || b == ' ') {
				if (digits) {
					break;
				}
				continue;
			}
			if (b < '0' || b > '7') {
				throw PluginSourceException.refused(location + ": the plugin layer has a malformed tar header");
			}
			digits = true;
			value = value * 8 + (b - '0');
		}
		return value;
	}

	private static String name(byte[] header) {
		String name = cString(header, 0, 100);
		boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
				&& header[261] == 'r';
		String prefix = ustar ? cString(header, 345, 155) : "";
		return prefix.isEmpty() ? name : prefix + "/" + name;
	}

	private static String paxPath(byte[] data) {
		// records: "<length> key=value\n"
		String text = new String(data, StandardCharsets.UTF_8);
		for (String record : text.split("\n")) {
			int space = record.indexOf(' ');
			int equals = record.indexOf('=');
			if (space > 0 && equals > space && record.substring(space + 1, equals).equals("path")) {
				return record.substring(equals + 1);
			}
		}
		return null;
	}

	private static String cString(byte[] bytes, int offset, int length) {
		int end = offset;
		while (end < offset + length && bytes[end] != 0) {
			end++;
		}
		return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
	}

	private static String baseName(String name) {
		String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
		return trimmed.substring(trimmed.lastIndexOf('/') + 1);
	}

	private static byte[] readExactly(InputStream in, int size) throws IOException {
		byte[] data = in.readNBytes(size);
		if (data.length != size) {
			throw new IOException("truncated entry");
		}
		return data;
	}

	private static void skip(InputStream in, long count) throws IOException {
		in.skipNBytes(count);
	}

}
