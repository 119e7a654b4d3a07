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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled classes on disk, one jar per binary, keyed by the binary's sha256 and the
 * Chicory version that compiled it, so that a restart skips compilation.
 * <p>
 * The classes are code the gateway will run, so the cache trusts nothing it did not write
 * itself: the directory is owner-only ({@link PrivateDirectory}), and every entry carries
 * an HMAC-SHA256, under a random key kept owner-only in the directory
 * ({@value #KEY_FILE}), over the binary's sha256, the Chicory version and the entry's jar
 * (every class name and byte, the stripped binary stored with them, the functions left
 * interpreted), verified before anything of the jar is read. An entry whose MAC does not
 * verify (changed on disk, copied from another binary's entry, written by another
 * gateway) is refused, logged and compiled again; one of an older format is compiled
 * again quietly. Writes are atomic (temporary file, then move).
 */
public final class CompileCache {

	static final String KEY_FILE = "cache.key";

	private static final Logger log = LoggerFactory.getLogger(CompileCache.class);

	private static final String PROPERTIES = "wasm-gateway.properties";

	private static final String MODULE = "module.wasm";

	/**
	 * How an entry starts: its format, then the MAC, then a jar of the classes, the
	 * stripped module and their properties. Format 4 has its functions in classes of
	 * {@link ModuleCompiler#FUNCTIONS_PER_CLASS} (the number is part of the header, so an
	 * entry compiled with another is compiled again), its data segments merged
	 * ({@link DataSegmentMerge}) and the MAC over the jar as stored (its items written
	 * uncompressed since 2026-12-08, compressed before: both are read); an entry of an
	 * older format (format 3: every function in one class; before it, a bare jar) is
	 * compiled again and rewritten, never read.
	 */
	static final byte[] HEADER = ("wasm-gateway compile cache 4, " + ModuleCompiler.FUNCTIONS_PER_CLASS
			+ " functions per class\n")
		.getBytes(StandardCharsets.US_ASCII);

	private static final int MAC_BYTES = 32;

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
	 * The cached compilation of {@code sha256}, or null (absent, of an older format,
	 * unreadable or refused). The MAC is verified over the file's bytes before any of
	 * them is read or parsed. {@code moduleRead} is given the stripped module and the
	 * interpreted functions as soon as they are read, before the classes (which the
	 * writer puts after them), so that the module can be parsed while the classes are
	 * read and defined; it may be called for an entry that then turns out incomplete
	 * (null returned).
	 */
	Entry get(String sha256, BiConsumer<byte[], Set<Integer>> moduleRead) {
		Path file = entryFor(sha256);
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (IOException ex) {
			return null;
		}
		int jarStart = HEADER.length + MAC_BYTES;
		if (bytes.length < jarStart || !Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) {
			// an entry of an older format (a jar with the MAC inside, its data segments
			// as the binary has them): compiled again, which rewrites it
			return null;
		}
		byte[] expected = mac(sha256, bytes, jarStart);
		if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, HEADER.length, jarStart))) {
			log.warn("Refused the compile cache entry {}: its classes are not the ones this gateway compiled for "
					+ "binary sha256 {} (changed on disk, or written by someone or something else); compiling again",
					file, sha256);
			return null;
		}
		try (JarInputStream jar = new JarInputStream(
				new ByteArrayInputStream(bytes, jarStart, bytes.length - jarStart))) {
			Properties properties = new Properties();
			Map<String, byte[]> classes = new LinkedHashMap<>();
			byte[] module = null;
			Set<Integer> interpreted = null;
			for (JarEntry item = jar.getNextJarEntry(); item != null; item = jar.getNextJarEntry()) {
				if (item.getName().equals(PROPERTIES)) {
					properties.load(jar);
					interpreted = interpretedFunctions(properties);
				}
				else if (item.getName().equals(MODULE) && interpreted != null) {
					module = contents(jar, item);
					moduleRead.accept(module, interpreted);
				}
				else if (item.getName().endsWith(".class")) {
					String name = item.getName().substring(0, item.getName().length() - 6).replace('/', '.');
					classes.put(name, contents(jar, item));
				}
			}
			String mainClass = properties.getProperty("mainClass");
			if (mainClass == null || !classes.containsKey(mainClass) || module == null) {
				return null;
			}
			return new Entry(mainClass, classes, interpreted, module);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static Set<Integer> interpretedFunctions(Properties properties) {
		Set<Integer> interpreted = new TreeSet<>();
		for (String index : properties.getProperty("interpretedFunctions", "").split(",")) {
			if (!index.isBlank()) {
				interpreted.add(Integer.parseInt(index.trim()));
			}
		}
		return interpreted;
	}

	void put(String sha256, Entry entry) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			bytes.write(HEADER);
			// room for the MAC, written once the jar is complete
			bytes.write(new byte[MAC_BYTES]);
			try (JarOutputStream jar = new JarOutputStream(bytes)) {
				Properties properties = new Properties();
				properties.setProperty("mainClass", entry.mainClass());
				properties.setProperty("sha256", sha256);
				properties.setProperty("chicoryVersion", ChicoryVersion.VALUE);
				properties.setProperty("interpretedFunctions",
						String.join(",", entry.interpretedFunctions().stream().map(String::valueOf).toList()));
				ByteArrayOutputStream stored = new ByteArrayOutputStream();
				properties.store(stored, null);
				// in this order (get hands the module on before the classes are read)
				store(jar, PROPERTIES, stored.toByteArray());
				store(jar, MODULE, entry.module());
				for (Map.Entry<String, byte[]> type : entry.classes().entrySet()) {
					store(jar, type.getKey().replace('.', '/') + ".class", type.getValue());
				}
			}
			byte[] file = bytes.toByteArray();
			int jarStart = HEADER.length + MAC_BYTES;
			System.arraycopy(mac(sha256, file, jarStart), 0, file, HEADER.length, MAC_BYTES);
			PrivateDirectory.writeOwnerOnly(entryFor(sha256), file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the compile cache in " + this.directory, ex);
		}
	}

	/**
	 * Writes one item uncompressed: a warm start then copies it rather than inflating it
	 * (about 70 ms of CPU for a 3.4 MB plugin's 5.8 MB of classes and module, in a JVM
	 * that has just started), and the MAC hashes those bytes in about 20 ms. The entry is
	 * about three times larger on disk.
	 */
	private static void store(JarOutputStream jar, String name, byte[] bytes) throws IOException {
		JarEntry item = new JarEntry(name);
		CRC32 crc = new CRC32();
		crc.update(bytes);
		item.setMethod(ZipEntry.STORED);
		item.setSize(bytes.length);
		item.setCompressedSize(bytes.length);
		item.setCrc(crc.getValue());
		jar.putNextEntry(item);
		jar.write(bytes);
		jar.closeEntry();
	}

	/**
	 * The bytes of the jar's current item: a stored one (its size known) read straight
	 * into an array of its size, in one copy ({@code readNBytes(n)} would read it in 8 KB
	 * chunks and copy them again); a compressed one, as older entries have them, read to
	 * the end.
	 */
	private static byte[] contents(JarInputStream jar, JarEntry item) throws IOException {
		if (item.getSize() < 0 || item.getSize() > Integer.MAX_VALUE) {
			return jar.readAllBytes();
		}
		byte[] bytes = new byte[(int) item.getSize()];
		if (jar.readNBytes(bytes, 0, bytes.length) != bytes.length) {
			throw new IOException(item.getName() + " is shorter than its size");
		}
		return bytes;
	}

	/**
	 * HMAC-SHA256 ({@link HmacSha256}) over the binary's sha256, the Chicory version and
	 * the entry's jar (the file from {@code jarStart} on: the classes, the stripped
	 * module and their properties, as stored), each field length-prefixed so that no two
	 * entries share an input.
	 */
	private byte[] mac(String sha256, byte[] file, int jarStart) {
		HmacSha256 mac = new HmacSha256(this.key);
		field(mac, HEADER, 0, HEADER.length);
		byte[] binary = sha256.getBytes(StandardCharsets.UTF_8);
		field(mac, binary, 0, binary.length);
		byte[] version = ChicoryVersion.VALUE.getBytes(StandardCharsets.UTF_8);
		field(mac, version, 0, version.length);
		field(mac, file, jarStart, file.length - jarStart);
		return mac.doFinal();
	}

	private static void field(HmacSha256 mac, byte[] value, int offset, int length) {
		mac.update(ByteBuffer.allocate(4).putInt(length).array());
		mac.update(value, offset, length);
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
