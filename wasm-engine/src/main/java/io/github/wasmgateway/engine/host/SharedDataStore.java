package io.github.wasmgateway.engine.host;

/**
 * Key/value data shared by every VM of the plugins of one vm_id, with compare-and-swap
 * ({@code proxy_get_shared_data}, {@code proxy_set_shared_data}).
 */
public interface SharedDataStore {

	/** The value and its CAS token, or null when absent. */
	Entry get(String key);

	/**
	 * Stores {@code value}. With {@code cas} 0 the write is unconditional; otherwise it
	 * succeeds only if the key's current token is {@code cas}. Returns true on success,
	 * false on a CAS mismatch.
	 */
	boolean set(String key, byte[] value, int cas);

	/**
	 * The store for one vm_id (the scope of shared data, as in Envoy; a plugin's vm_id
	 * defaults to its name): by default this same store; a store shared by several vm_ids
	 * answers one with its own namespace.
	 */
	default SharedDataStore forPlugin(String vmId) {
		return this;
	}

	/** A value with the token a later conditional write must present. */
	record Entry(byte[] value, int cas) {
	}

}
