package io.github.wasmgateway.engine.host;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Shared data in this process, the default store. CAS tokens start at 1 and grow with
 * every write of a key.
 */
public final class InMemorySharedData implements SharedDataStore {

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	@Override
	public Entry get(String key) {
		return this.entries.get(key);
	}

	@Override
	public boolean set(String key, byte[] value, int cas) {
		boolean[] written = { false };
		this.entries.compute(key, (k, current) -> {
			if (cas != 0 && (current == null || current.cas() != cas)) {
				return current;
			}
			written[0] = true;
			int next = (current != null) ? current.cas() + 1 : 1;
			return new Entry(value.clone(), (next == 0) ? 1 : next);
		});
		return written[0];
	}

}
