package io.github.wasmgateway.engine.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Property paths: segments each followed by a NUL ({@code request\0path\0}).
 */
final class PropertyPath {

	private PropertyPath() {
	}

	static String[] segments(byte[] path) {
		List<String> segments = new ArrayList<>(4);
		int start = 0;
		for (int i = 0; i < path.length; i++) {
			if (path[i] == 0) {
				segments.add(new String(path, start, i - start, StandardCharsets.UTF_8));
				start = i + 1;
			}
		}
		if (start < path.length) {
			// a path without the final NUL, or a plain dotted name
			segments.add(new String(path, start, path.length - start, StandardCharsets.UTF_8));
		}
		if (segments.size() == 1 && segments.get(0).indexOf('.') > 0) {
			// some SDKs send the dotted attribute name as one segment
			return segments.get(0).split("\\.");
		}
		return segments.toArray(new String[0]);
	}

	static String join(String[] segments) {
		return (segments.length == 1) ? segments[0] : String.join(".", segments);
	}

}
