package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.WasmEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plugins of this module as the gateway resolves {@code location: builtin:<name>}:
 * through the index {@code META-INF/wasm-gateway/builtin-plugins.properties}, loaded with
 * their build-time generated classes (PRECOMPILED mode).
 */
final class BuiltinPlugins {

	static final String INDEX = "META-INF/wasm-gateway/builtin-plugins.properties";

	private BuiltinPlugins() {
	}

	static Properties index() {
		Properties index = new Properties();
		try (InputStream in = classLoader().getResourceAsStream(INDEX)) {
			if (in == null) {
				throw new IllegalStateException("no " + INDEX + " on the class path; run plugins/build.sh");
			}
			index.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return index;
	}

	/** The names in the index. */
	static Set<String> names() {
		Set<String> names = new TreeSet<>();
		for (String key : index().stringPropertyNames()) {
			if (key.endsWith(".wasm")) {
				names.add(key.substring(0, key.length() - ".wasm".length()));
			}
		}
		return names;
	}

	static PluginBinary binary(String name) {
		String resource = index().getProperty(name + ".wasm");
		if (resource == null) {
			throw new IllegalArgumentException("no built-in plugin '" + name + "' in " + INDEX);
		}
		try (InputStream in = classLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException(INDEX + " names " + resource + ", which is not on the class path");
			}
			return PluginBinary.of(in.readAllBytes(), "builtin:" + name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String className(String name) {
		return index().getProperty(name + ".class");
	}

	static CompiledPlugin precompiled(WasmEngine engine, String name) {
		return engine.precompiled(binary(name), className(name), classLoader());
	}

	private static ClassLoader classLoader() {
		return BuiltinPlugins.class.getClassLoader();
	}

}
