package io.github.wasmgateway.source;

/**
 * A plugin binary as a source delivered it.
 *
 * @param bytes the WebAssembly module
 * @param sha256 the module's sha256 (hex)
 * @param version what the source calls this version: the manifest digest of an OCI image,
 * the sha256 for https
 * @param fromLocalCopy whether the source was unreachable and the verified local copy
 * stood in
 */
public record FetchedBinary(byte[] bytes, String sha256, String version, boolean fromLocalCopy) {

	static FetchedBinary of(byte[] bytes, String version) {
		return new FetchedBinary(bytes, Sha256.hex(bytes), version, false);
	}

}
