package io.github.wasmgateway.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A map from int keys to non-null values, for a VM's stream contexts: it is changed twice
 * and read on every request, where a {@code HashMap<Integer, ...>} would box every id
 * above 127 and allocate an entry per put. Open addressing with linear probing, at most
 * half full; a removal shifts the entries that follow back, so there are no tombstones.
 * Not thread-safe: a VM is single-threaded.
 */
final class IntMap<V> {

	private int[] keys = new int[16];

	private Object[] values = new Object[16];

	private int size;

	/** HashMap's spreading: sequential ids land in sequential slots. */
	private static int slot(int key, int mask) {
		return (key ^ (key >>> 16)) & mask;
	}

	int size() {
		return this.size;
	}

	@SuppressWarnings("unchecked")
	V get(int key) {
		int mask = this.keys.length - 1;
		for (int i = slot(key, mask);; i = (i + 1) & mask) {
			Object value = this.values[i];
			if (value == null) {
				return null;
			}
			if (this.keys[i] == key) {
				return (V) value;
			}
		}
	}

	/** Adds or replaces the value of {@code key}. */
	void put(int key, V value) {
		Objects.requireNonNull(value, "value");
		if ((this.size + 1) * 2 > this.keys.length) {
			resize(this.keys.length * 2);
		}
		if (insert(this.keys, this.values, key, value)) {
			this.size++;
		}
	}

	/** Inserts into the given arrays; true when the key was new. */
	private static boolean insert(int[] keys, Object[] values, int key, Object value) {
		int mask = keys.length - 1;
		int i = slot(key, mask);
		while (values[i] != null && keys[i] != key) {
			i = (i + 1) & mask;
		}
		boolean added = values[i] == null;
		keys[i] = key;
		values[i] = value;
		return added;
	}

	private void resize(int capacity) {
		int[] newKeys = new int[capacity];
		Object[] newValues = new Object[capacity];
		for (int i = 0; i < this.keys.length; i++) {
			if (this.values[i] != null) {
				insert(newKeys, newValues, this.keys[i], this.values[i]);
			}
		}
		this.keys = newKeys;
		this.values = newValues;
	}

	/** Removes {@code key}; returns its value, or null when absent. */
	@SuppressWarnings("unchecked")
	V remove(int key) {
		int mask = this.keys.length - 1;
		int i = slot(key, mask);
		while (this.values[i] != null && this.keys[i] != key) {
			i = (i + 1) & mask;
		}
		Object removed = this.values[i];
		if (removed == null) {
			return null;
		}
		// shift back every following entry of the run that may live in the hole: one
		// whose home slot is not cyclically within (hole, j]
		int hole = i;
		for (int j = (hole + 1) & mask; this.values[j] != null; j = (j + 1) & mask) {
			int home = slot(this.keys[j], mask);
			if (((j - home) & mask) >= ((j - hole) & mask)) {
				this.keys[hole] = this.keys[j];
				this.values[hole] = this.values[j];
				hole = j;
			}
		}
		this.values[hole] = null;
		this.size--;
		return (V) removed;
	}

	/** A snapshot of the values, safe to iterate while the map changes. */
	@SuppressWarnings("unchecked")
	List<V> values() {
		List<V> snapshot = new ArrayList<>(this.size);
		for (Object value : this.values) {
			if (value != null) {
				snapshot.add((V) value);
			}
		}
		return snapshot;
	}

}
