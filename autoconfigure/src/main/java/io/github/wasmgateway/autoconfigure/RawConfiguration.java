package io.github.wasmgateway.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Reads a plugin configuration subtree exactly as the user wrote it. Spring Boot's
 * relaxed binding would drop the underscores of Higress's {@code _rules_} and
 * {@code _match_route_} and turn lists into maps, so the subtree is rebuilt from the raw
 * property names instead: a string stays the same bytes, a map becomes the same JSON (key
 * order, nesting, lists, numbers and booleans kept).
 */
public final class RawConfiguration {

	private RawConfiguration() {
	}

	/**
	 * The configuration under {@code prefix} (e.g.
	 * {@code wasm-gateway.plugins.key-auth.configuration}), or null when absent.
	 */
	public static byte[] read(ConfigurableEnvironment environment, String prefix) {
		// sources in precedence order: keys merge across sources, but a plain value set
		// for the prefix itself replaces the structure of the sources below it
		Map<String, Object> entries = new LinkedHashMap<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			Object scalar = null;
			for (String name : enumerable.getPropertyNames()) {
				if (name.equals(prefix)) {
					scalar = unwrap(enumerable.getProperty(name));
				}
				else if (name.startsWith(prefix + ".") || name.startsWith(prefix + "[")) {
					entries.putIfAbsent(name.substring(prefix.length()), unwrap(enumerable.getProperty(name)));
				}
			}
			if (scalar != null && entries.isEmpty()) {
				return toBytes(scalar);
			}
		}
		if (entries.isEmpty()) {
			return null;
		}
		Object tree = null;
		for (Map.Entry<String, Object> entry : entries.entrySet()) {
			if (!entry.getKey().isEmpty()) {
				tree = insert(tree, path(entry.getKey()), 0, entry.getValue());
			}
		}
		StringBuilder json = new StringBuilder();
		writeJson(tree, json);
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** A value given in configuration as a string (as is) or a structure (as JSON). */
	public static byte[] toBytes(Object value) {
		if (value == null) {
			return new byte[0];
		}
		if (value instanceof CharSequence text) {
			return text.toString().getBytes(StandardCharsets.UTF_8);
		}
		StringBuilder json = new StringBuilder();
		writeJson(value, json);
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static Object unwrap(Object value) {
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	/** ".a.b[0].c" -> ["a", "b", 0, "c"]. */
	static List<Object> path(String suffix) {
		List<Object> path = new ArrayList<>();
		int i = 0;
		while (i < suffix.length()) {
			char c = suffix.charAt(i);
			if (c == '.') {
				int end = i + 1;
				while (end < suffix.length() && suffix.charAt(end) != '.' && suffix.charAt(end) != '[') {
					end++;
				}
				path.add(suffix.substring(i + 1, end));
				i = end;
			}
			else if (c == '[') {
				int end = suffix.indexOf(']', i);
				String inside = suffix.substring(i + 1, end);
				path.add(inside.chars().allMatch(Character::isDigit) ? (Object) Integer.valueOf(inside) : inside);
				i = end + 1;
			}
			else {
				i++;
			}
		}
		return path;
	}

	private static Object insert(Object node, List<Object> path, int depth, Object value) {
		if (depth == path.size()) {
			return value;
		}
		Object key = path.get(depth);
		if (key instanceof Integer index) {
			IndexedList list = (node instanceof IndexedList existing) ? existing : new IndexedList();
			list.put(index, insert(list.get(index), path, depth + 1, value));
			return list;
		}
		Map<String, Object> map = (node instanceof ObjectNode existing) ? existing : new ObjectNode();
		map.put((String) key, insert(map.get(key), path, depth + 1, value));
		return map;
	}

	private static void writeJson(Object value, StringBuilder json) {
		if (value == null) {
			json.append("null");
		}
		else if (value instanceof IndexedList list) {
			json.append('[');
			boolean first = true;
			for (Object item : list.values()) {
				json.append(first ? "" : ",");
				writeJson(item, json);
				first = false;
			}
			json.append(']');
		}
		else if (value instanceof Map<?, ?> map) {
			json.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				json.append(first ? "" : ",");
				writeString(String.valueOf(entry.getKey()), json);
				json.append(':');
				writeJson(entry.getValue(), json);
				first = false;
			}
			json.append('}');
		}
		else if (value instanceof List<?> list) {
			json.append('[');
			for (int i = 0; i < list.size(); i++) {
				json.append((i == 0) ? "" : ",");
				writeJson(list.get(i), json);
			}
			json.append(']');
		}
		else if (value instanceof Boolean || value instanceof Number) {
			json.append(value);
		}
		else {
			writeString(String.valueOf(unwrap(value)), json);
		}
	}

	/** A list rebuilt from "[n]" names, ordered by index. */
	private static final class IndexedList extends TreeMap<Integer, Object> {

	}

	/** An object rebuilt from ".key" names, in the order written. */
	private static final class ObjectNode extends LinkedHashMap<String, Object> {

	}

	private static void writeString(String text, StringBuilder json) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
