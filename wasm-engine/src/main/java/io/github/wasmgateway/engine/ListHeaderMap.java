package io.github.wasmgateway.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link HeaderMap} held in two lists: for callout responses, tests and hosts that own
 * their headers.
 */
public final class ListHeaderMap implements HeaderMap {

	private final List<String> names = new ArrayList<>();

	private final List<String> values = new ArrayList<>();

	public ListHeaderMap() {
	}

	/** A map of the given alternating names and values. */
	public static ListHeaderMap of(String... namesAndValues) {
		if (namesAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("names and values must alternate");
		}
		ListHeaderMap map = new ListHeaderMap();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			map.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return map;
	}

	/** A copy of any header map. */
	public static ListHeaderMap copyOf(HeaderMap source) {
		ListHeaderMap map = new ListHeaderMap();
		for (int i = 0; i < source.size(); i++) {
			map.add(source.name(i), source.value(i));
		}
		return map;
	}

	@Override
	public int size() {
		return this.names.size();
	}

	@Override
	public String name(int index) {
		return this.names.get(index);
	}

	@Override
	public String value(int index) {
		return this.values.get(index);
	}

	@Override
	public void add(String name, String value) {
		this.names.add(name.toLowerCase(Locale.ROOT));
		this.values.add(value);
	}

	@Override
	public void set(String name, String value) {
		String key = name.toLowerCase(Locale.ROOT);
		int first = this.names.indexOf(key);
		if (first < 0) {
			add(key, value);
			return;
		}
		this.values.set(first, value);
		for (int i = this.names.size() - 1; i > first; i--) {
			if (this.names.get(i).equals(key)) {
				this.names.remove(i);
				this.values.remove(i);
			}
		}
	}

	@Override
	public void remove(String name) {
		String key = name.toLowerCase(Locale.ROOT);
		for (int i = this.names.size() - 1; i >= 0; i--) {
			if (this.names.get(i).equals(key)) {
				this.names.remove(i);
				this.values.remove(i);
			}
		}
	}

	@Override
	public void clear() {
		this.names.clear();
		this.values.clear();
	}

	/** Every value of {@code name}, in order. */
	public List<String> getAll(String name) {
		String key = name.toLowerCase(Locale.ROOT);
		List<String> all = new ArrayList<>();
		for (int i = 0; i < this.names.size(); i++) {
			if (this.names.get(i).equals(key)) {
				all.add(this.values.get(i));
			}
		}
		return all;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("{");
		for (int i = 0; i < this.names.size(); i++) {
			text.append(i == 0 ? "" : ", ").append(this.names.get(i)).append('=').append(this.values.get(i));
		}
		return text.append('}').toString();
	}

}
