package io.github.wasmgateway.engine.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled classes on disk, one jar per binary, keyed by the binary's sha256 and the
 * Chicory version that compiled it, so that a restart skips compilation.
 * <p>
 * The classes are code the gateway will run, so the cache trusts nothing it did not write
 * itself: the directory is owner-only ({@link PrivateDirectory}), and every entry carries
 * an HMAC-SHA256, under a random key kept owner-only in the directory
 * ({@value #KEY_FILE}), over the binary's sha256, the Chicory version, every class name
 * and byte, and the stripped binary stored with them. An entry whose MAC does not verify
 * (changed on disk, copied from another binary's entry, written by another gateway or an
 * older version) is refused, logged and compiled again. Writes are atomic (temporary
 * file, then move).
 */
public final class CompileCache {

	static final String KEY_FILE = "cache.key";

	private static final Logger log = LoggerFactory.getLogger(CompileCache.class);

	private static final String PROPERTIES = "wasm-gateway.properties";

	private static final String MODULE = "module.wasm";

	private static final int KEY_BYTES = 32;

	private final Path directory;

	private final byte[] key;

	/**
	 * Opens the cache in {@code directory}, creating it owner-only when missing.
	 * @throws IllegalStateException when the directory or its key can be written by
	 * someone else
	 */
	public CompileCache(Path directory) {
		this.directory = PrivateDirectory.open(directory, "compile cache directory (wasm-gateway.compile-cache)");
		this.key = loadOrCreateKey(this.directory.resolve(KEY_FILE));
	}

	public Path directory() {
		return this.directory;
	}

	Path entryFor(String sha256) {
		return this.directory.resolve(sha256 + "-chicory-" + ChicoryVersion.VALUE + ".jar");
	}

	/**
	 * The cached compilation of {@code sha256}, or null (absent, unreadable or refused).
	 */
	Entry get(String sha256) {
		Path file = entryFor(sha256);
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		Entry entry;
		String mac;
		try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
			Properties properties = new Properties();
			Map<String, byte[]> classes = new LinkedHashMap<>();
			byte[] module = null;
			for (JarEntry item = jar.getNextJarEntry(); item != null; item = jar.getNextJarEntry()) {
				if (item.getName().equals(PROPERTIES)) {
					properties.load(jar);
				}
				else if (item.getName().equals(MODULE)) {
					module = jar.readAllBytes();
				}
				else if (item.getName().endsWith(".class")) {
					String name = item.getName().substring(0, item.getName().length() - 6).replace('/', '.');
					classes.put(name, jar.readAllBytes());
				}
			}
			String mainClass = properties.getProperty("mainClass");
			if (mainClass == null || !classes.containsKey(mainClass) || module == null) {
				// not an entry, or one of an older format (no stripped module): compiled
				// again, which rewrites it
				return null;
			}
			Set<Integer> interpreted = new TreeSet<>();
			for (String index : properties.getProperty("interpretedFunctions", "").split(",")) {
				if (!index.isBlank()) {
					interpreted.add(Integer.parseInt(index.trim()));
				}
			}
			entry = new Entry(mainClass, classes, interpreted, module);
			mac = properties.getProperty("mac", "");
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		byte[] expected = mac(sha256, entry);
		byte[] found;
		try {
			found = HexFormat.of().parseHex(mac);
		}
		catch (IllegalArgumentException ex) {
			found = new byte[0];
		}
		if (!MessageDigest.isEqual(expected, found)) {
			log.warn("Refused the compile cache entry {}: its classes are not the ones this gateway compiled for "
					+ "binary sha256 {} (changed on disk, or written by someone or something else); compiling again",
					file, sha256);
			return null;
		}
		return entry;
	}

	void put(String sha256, Entry entry) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (JarOutputStream jar = new JarOutputStream(bytes)) {
				Properties properties = new Properties();
				properties.setProperty("mainClass", entry.mainClass());
				properties.setProperty("sha256", sha256);
				properties.setProperty("chicoryVersion", ChicoryVersion.VALUE);
				properties.setProperty("interpretedFunctions",
						String.join(",", entry.interpretedFunctions().stream().map(String::valueOf).toList()));
				properties.setProperty("mac", HexFormat.of().formatHex(mac(sha256, entry)));
				jar.putNextEntry(new JarEntry(PROPERTIES));
				properties.store(jar, null);
				jar.closeEntry();
				jar.putNextEntry(new JarEntry(MODULE));
				jar.write(entry.module());
				jar.closeEntry();
				for (Map.Entry<String, byte[]> type : entry.classes().entrySet()) {
					jar.putNextEntry(new JarEntry(type.getKey().replace('.', '/') + ".class"));
					jar.write(type.getValue());
					jar.closeEntry();
				}
			}
			PrivateDirectory.writeOwnerOnly(entryFor(sha256), bytes.toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the compile cache in " + this.directory, ex);
		}
	}

	/**
	 * HMAC-SHA256 over everything the loaded code depends on, each field length-prefixed
	 * so that no two entries share an input.
	 */
	private byte[] mac(String sha256, Entry entry) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			field(mac, "wasm-gateway compile cache v2".getBytes(StandardCharsets.UTF_8));
			field(mac, sha256.getBytes(StandardCharsets.UTF_8));
			field(mac, ChicoryVersion.VALUE.getBytes(StandardCharsets.UTF_8));
			field(mac, entry.mainClass().replace('/', '.').getBytes(StandardCharsets.UTF_8));
			field(mac, new TreeSet<>(entry.interpretedFunctions()).toString().getBytes(StandardCharsets.UTF_8));
			field(mac, entry.module());
			// names as the jar stores them, whichever form the compiler gave
			Map<String, byte[]> classes = new TreeMap<>();
			entry.classes().forEach((name, bytes) -> classes.put(name.replace('/', '.'), bytes));
			for (Map.Entry<String, byte[]> type : classes.entrySet()) {
				field(mac, type.getKey().getBytes(StandardCharsets.UTF_8));
				field(mac, type.getValue());
			}
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("every JVM has HmacSHA256", ex);
		}
	}

	private static void field(Mac mac, byte[] value) {
		mac.update(ByteBuffer.allocate(4).putInt(value.length).array());
		mac.update(value);
	}

	/**
	 * The MAC key: read when present (and refused when others may read or write it), else
	 * made from a secure random source and written owner-only. Two gateways starting at
	 * once agree on the first key written.
	 */
	private static byte[] loadOrCreateKey(Path file) {
		try {
			if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
				byte[] key = new byte[KEY_BYTES];
				new SecureRandom().nextBytes(key);
				Path temporary = Files.createTempFile(file.getParent(), KEY_FILE, ".tmp");
				try {
					Files.write(temporary, key);
					Files.move(temporary, file);
				}
				catch (FileAlreadyExistsException ex) {
					// another gateway wrote it first: use theirs
				}
				finally {
					Files.deleteIfExists(temporary);
				}
			}
			if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
				throw new IllegalStateException("The compile cache key " + file + " is not a regular file; delete it "
						+ "and the gateway makes a new one.");
			}
			if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
				Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
				if (!permissions.stream().allMatch((p) -> p.name().startsWith("OWNER"))) {
					throw new IllegalStateException("The compile cache key " + file
							+ " can be read or written by other " + "users ("
							+ PosixFilePermissions.toString(permissions) + "); whoever knows it can "
							+ "make the gateway run their code. Delete it (the gateway makes a new one, and compiles "
							+ "again) and keep the directory owner-only.");
				}
			}
			byte[] key = Files.readAllBytes(file);
			if (key.length != KEY_BYTES) {
				throw new IllegalStateException("The compile cache key " + file + " is not " + KEY_BYTES
						+ " bytes; delete it and the gateway makes a new one.");
			}
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read or create the compile cache key " + file, ex);
		}
	}

	/**
	 * What one compilation produced: the classes, and the binary stripped of the code
	 * they replace ({@code ModuleCompiler.strip}), all a warm start parses.
	 */
	record Entry(String mainClass, Map<String, byte[]> classes, Set<Integer> interpretedFunctions, byte[] module) {
	}

}
