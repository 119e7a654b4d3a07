package io.github.wasmgateway.plugins;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;
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

	/**
	 * Whether the host offers its crypto foreign functions: yes, unless the build runs
	 * the auth plugins' tests again with {@code -Dwasm-gateway.test.host-crypto=off}
	 * (plugins/pom.xml), where the plugins use their Wasm crypto as on Envoy.
	 */
	static final boolean HOST_CRYPTO = !"off".equals(System.getProperty("wasm-gateway.test.host-crypto"));

	private BuiltinPlugins() {
	}

	/**
	 * A built-in plugin under test, loaded as the gateway loads it (PRECOMPILED), on a
	 * host with or without its crypto functions as this run asks ({@link #HOST_CRYPTO}).
	 */
	static PluginTester tester(String name) {
		return tester(name, HOST_CRYPTO);
	}

	/** A built-in plugin under test on a host that offers its crypto functions or not. */
	static PluginTester tester(String name, boolean hostCrypto) {
		PluginTester tester = PluginTester.forBytes(binary(name).bytes(), name)
			.precompiled(className(name), classLoader())
			.hostCrypto(hostCrypto)
			.build();
		if (tester.plugin().compiled().mode() != ExecutionMode.PRECOMPILED) {
			tester.close();
			throw new IllegalStateException(name + " is not precompiled");
		}
		return tester;
	}

	/**
	 * A test-only plugin of src/test-plugins (built by build.sh, not shipped), compiled
	 * AOT.
	 */
	static PluginTester testPlugin(String name) {
		return PluginTester.forClasspath("test-plugins/" + name + ".wasm", classLoader())
			.hostCrypto(HOST_CRYPTO)
			.build();
	}

	/**
	 * Sends {@code request} through {@code plugin} and fails the test when the plugin
	 * failed on it (a trap, a deadline): a built-in plugin never may.
	 */
	static TestResult send(PluginTester plugin, TestConfiguration configuration, TestRequest request) {
		TestResult result = plugin.send(configuration, request);
		if (result.failed()) {
			throw new AssertionError(plugin.name() + " failed on the request: " + result.failure());
		}
		return result;
	}

	/**
	 * Sends a copy of {@code request} with these body chunks (the last ends the stream)
	 * through {@code plugin}, as {@link #send}.
	 */
	static TestResult sendBody(PluginTester plugin, TestConfiguration configuration, TestRequest request,
			byte[]... chunks) {
		return send(plugin, configuration, request.copy().body(chunks));
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
