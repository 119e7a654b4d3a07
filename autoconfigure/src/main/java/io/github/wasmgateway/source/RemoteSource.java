package io.github.wasmgateway.source;

/**
 * Where one plugin's binary comes from, for a location that is fetched rather than read
 * ({@code https:}, {@code oci://}). Each fetch asks the source again; a source that
 * cannot be reached at start-up is answered from its verified local copy.
 */
public interface RemoteSource {

	/**
	 * The binary as the source has it now.
	 * @throws PluginSourceException naming the location and the cause when neither the
	 * source nor a verified local copy has it
	 */
	FetchedBinary fetch();

	/** The location as configured, for messages. */
	String location();

}
