package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Header lookups the kit's records and results share. */
final class Headers {

	private Headers() {
	}

	/** The first value of {@code name} (any case), or null. */
	static String first(List<Map.Entry<String, String>> headers, String name) {
		for (Map.Entry<String, String> header : headers) {
			if (header.getKey().equalsIgnoreCase(name)) {
				return header.getValue();
			}
		}
		return null;
	}

	/** Name, value pairs as entries, in order. */
	static List<Map.Entry<String, String>> pairs(String... namesAndValues) {
		if (namesAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("headers and metadata come as name, value pairs");
		}
		List<Map.Entry<String, String>> entries = new ArrayList<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			entries.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
		}
		return List.copyOf(entries);
	}

	/** The pairs of {@code map} in order (none for null). */
	static List<Map.Entry<String, String>> entries(HeaderMap map) {
		List<Map.Entry<String, String>> entries = new ArrayList<>();
		for (int i = 0; map != null && i < map.size(); i++) {
			entries.add(Map.entry(map.name(i), map.value(i)));
		}
		return entries;
	}

}
