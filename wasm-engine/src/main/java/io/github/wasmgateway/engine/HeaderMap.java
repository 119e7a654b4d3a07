package io.github.wasmgateway.engine;

/**
 * An HTTP header map as the plugin sees it: ordered (name, value) pairs with lower-case
 * names, pseudo-headers ({@code :method}, {@code :path}, {@code :authority},
 * {@code :scheme}, {@code :status}) included as ordinary entries. The host implements it
 * as a view over its own headers, so nothing is copied until the plugin asks for it.
 * <p>
 * Only ever used from the thread of the VM that runs the stream.
 */
public interface HeaderMap {

	int size();

	String name(int index);

	String value(int index);

	/** The first value of {@code name} (lower case), or {@code null}. */
	default String get(String name) {
		for (int i = 0, n = size(); i < n; i++) {
			if (name(i).equals(name)) {
				return value(i);
			}
		}
		return null;
	}

	/** Adds a value, keeping the existing ones. */
	void add(String name, String value);

	/** Replaces every value of {@code name} with {@code value} (adds it when absent). */
	void set(String name, String value);

	void remove(String name);

	/** Removes every entry. */
	void clear();

}
