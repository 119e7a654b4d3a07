package io.github.wasmgateway.engine;

/**
 * The proxy-wasm ABI a module advertises through its {@code proxy_abi_version_*} export.
 */
public enum AbiVersion {

	V0_1_0("proxy_abi_version_0_1_0"),

	V0_2_0("proxy_abi_version_0_2_0"),

	V0_2_1("proxy_abi_version_0_2_1"),

	/** Higress's fork of 0.2.x, which adds Redis calls. */
	V0_2_100("proxy_abi_version_0_2_100");

	private final String exportName;

	AbiVersion(String exportName) {
		this.exportName = exportName;
	}

	public String exportName() {
		return this.exportName;
	}

	public static AbiVersion fromExport(String name) {
		for (AbiVersion version : values()) {
			if (version.exportName.equals(name)) {
				return version;
			}
		}
		return null;
	}

}
