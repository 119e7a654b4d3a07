package io.github.wasmgateway.source;

import io.github.wasmgateway.engine.internal.PrivateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The last binary each remote plugin was fetched as, kept on disk so that a gateway
 * restarted while the source is down still starts: {@code <name>.wasm} with
 * {@code <name>.properties} (location, sha256, version). A copy is used only for the same
 * location, only when its bytes have the recorded sha256, and, where the configuration
 * pins a sha256 (or an OCI digest), only when it matches the pin. The directory is
 * owner-only ({@link PrivateDirectory}).
 */
final class LocalCopies {

	private static final Log logger = LogFactory.getLog(LocalCopies.class);

	private final Path directory;

	LocalCopies(Path directory) {
		this.directory = PrivateDirectory.open(directory,
				"directory of plugin local copies (wasm-gateway.sources.local-copies)");
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Keeps {@code binary} as the local copy of plugin {@code name}; a failure is logged.
	 */
	void store(String name, String location, FetchedBinary binary) {
		try {
			Properties properties = new Properties();
			properties.setProperty("location", location);
			properties.setProperty("sha256", binary.sha256());
			properties.setProperty("version", binary.version());
			ByteArrayOutputStream text = new ByteArrayOutputStream();
			properties.store(text, null);
			PrivateDirectory.writeOwnerOnly(file(name, ".wasm"), binary.bytes());
			PrivateDirectory.writeOwnerOnly(file(name, ".properties"), text.toByteArray());
		}
		catch (IOException ex) {
			logger.warn("Cannot keep a local copy of wasm plugin '" + name + "' in " + this.directory + ": " + ex);
		}
	}

	/**
	 * The local copy of plugin {@code name} fetched from {@code location}, or null when
	 * there is none or it fails verification (logged).
	 * @param pinnedSha256 the sha256 the binary must have, or null
	 * @param pinnedVersion the version (OCI manifest digest) it must be, or null
	 */
	FetchedBinary load(String name, String location, String pinnedSha256, String pinnedVersion) {
		Path wasm = file(name, ".wasm");
		Path metadata = file(name, ".properties");
		if (!Files.isRegularFile(wasm) || !Files.isRegularFile(metadata)) {
			return null;
		}
		try {
			Properties properties = new Properties();
			properties.load(new StringReader(Files.readString(metadata, StandardCharsets.ISO_8859_1)));
			if (!location.equals(properties.getProperty("location"))) {
				logger.warn("The local copy of wasm plugin '" + name + "' came from "
						+ properties.getProperty("location") + ", not " + location + "; not used");
				return null;
			}
			byte[] bytes = Files.readAllBytes(wasm);
			String sha256 = Sha256.hex(bytes);
			String version = properties.getProperty("version", "");
			if (!sha256.equals(properties.getProperty("sha256"))) {
				logger.warn("The local copy of wasm plugin '" + name + "' in " + wasm
						+ " does not have the sha256 recorded with it (changed on disk); not used");
				return null;
			}
			if ((pinnedSha256 != null && !pinnedSha256.equalsIgnoreCase(sha256))
					|| (pinnedVersion != null && !pinnedVersion.equals(version))) {
				logger.warn("The local copy of wasm plugin '" + name + "' is not the pinned version; not used");
				return null;
			}
			return new FetchedBinary(bytes, sha256, version, true);
		}
		catch (IOException | IllegalArgumentException ex) {
			logger.warn("Cannot read the local copy of wasm plugin '" + name + "': " + ex);
			return null;
		}
	}

	/**
	 * What stands in for a source that failed: nothing when it answered wrongly (the
	 * failure is thrown); when it is unreachable, the version already running (a
	 * re-check) or else the verified local copy (a start).
	 */
	static FetchedBinary standIn(LocalCopies copies, String name, String location, PluginSourceException failure,
			FetchedBinary previous, String pinnedSha256, String pinnedVersion) {
		if (!failure.isUnreachable()) {
			throw failure;
		}
		if (previous != null) {
			logger.warn("Wasm plugin '" + name + "': " + failure.getMessage() + "; the version running stays ("
					+ previous.version() + ", sha256 " + previous.sha256() + ")");
			return previous;
		}
		FetchedBinary copy = (copies != null) ? copies.load(name, location, pinnedSha256, pinnedVersion) : null;
		if (copy == null) {
			throw PluginSourceException.unreachable(
					failure.getMessage() + "; there is no verified local copy to start from", failure.getCause());
		}
		logger.warn("Wasm plugin '" + name + "': " + failure.getMessage() + "; starting from its verified local copy ("
				+ copy.version() + ", sha256 " + copy.sha256() + ")");
		return copy;
	}

	private Path file(String name, String suffix) {
		// plugin names are property keys: keep only what is safe in a file name
		return this.directory.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + suffix);
	}

}
