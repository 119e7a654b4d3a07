package io.github.wasmgateway.engine.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

/**
 * Compiled classes on disk, one jar per binary, keyed by the binary's sha256 and the
 * Chicory version that compiled it, so that a restart skips compilation. Writes are
 * atomic (temporary file, then move); an unreadable entry is treated as absent.
 */
public final class CompileCache {

	private final Path directory;

	public CompileCache(Path directory) {
		this.directory = directory;
	}

	public Path directory() {
		return this.directory;
	}

	Path entryFor(String sha256) {
		return this.directory.resolve(sha256 + "-chicory-" + ChicoryVersion.VALUE + ".jar");
	}

	/** The cached compilation of {@code sha256}, or null. */
	Entry get(String sha256) {
		Path file = entryFor(sha256);
		if (!Files.isRegularFile(file)) {
			return null;
		}
		try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
			Properties properties = new Properties();
			Map<String, byte[]> classes = new LinkedHashMap<>();
			for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
				if (entry.getName().equals("wasm-gateway.properties")) {
					properties.load(jar);
				}
				else if (entry.getName().endsWith(".class")) {
					String name = entry.getName().substring(0, entry.getName().length() - 6).replace('/', '.');
					classes.put(name, jar.readAllBytes());
				}
			}
			String mainClass = properties.getProperty("mainClass");
			if (mainClass == null || !classes.containsKey(mainClass)) {
				return null;
			}
			Set<Integer> interpreted = new TreeSet<>();
			for (String index : properties.getProperty("interpretedFunctions", "").split(",")) {
				if (!index.isBlank()) {
					interpreted.add(Integer.parseInt(index.trim()));
				}
			}
			return new Entry(mainClass, classes, interpreted);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	void put(String sha256, Entry entry) {
		try {
			Files.createDirectories(this.directory);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (JarOutputStream jar = new JarOutputStream(bytes)) {
				Properties properties = new Properties();
				properties.setProperty("mainClass", entry.mainClass());
				properties.setProperty("sha256", sha256);
				properties.setProperty("chicoryVersion", ChicoryVersion.VALUE);
				properties.setProperty("interpretedFunctions",
						String.join(",", entry.interpretedFunctions().stream().map(String::valueOf).toList()));
				jar.putNextEntry(new JarEntry("wasm-gateway.properties"));
				properties.store(jar, null);
				jar.closeEntry();
				for (Map.Entry<String, byte[]> type : entry.classes().entrySet()) {
					jar.putNextEntry(new JarEntry(type.getKey().replace('.', '/') + ".class"));
					jar.write(type.getValue());
					jar.closeEntry();
				}
			}
			Path target = entryFor(sha256);
			Path temporary = Files.createTempFile(this.directory, sha256, ".tmp");
			Files.write(temporary, bytes.toByteArray());
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the compile cache in " + this.directory, ex);
		}
	}

	/** What one compilation produced. */
	record Entry(String mainClass, Map<String, byte[]> classes, Set<Integer> interpretedFunctions) {
	}

}
