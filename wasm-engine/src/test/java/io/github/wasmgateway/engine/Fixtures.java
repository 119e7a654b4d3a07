package io.github.wasmgateway.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test plugins of the fixtures module (built by fixtures/build.sh), compiled once per
 * mode and shared by the tests.
 */
public final class Fixtures {

	private static final Map<String, CompiledPlugin> COMPILED = new ConcurrentHashMap<>();

	private static final WasmEngine COMPILER = WasmEngine.builder().build();

	private Fixtures() {
	}

	public static PluginBinary binary(String name) {
		String path = "/fixtures/" + name + ".wasm";
		try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("no fixture " + path + "; run fixtures/build.sh");
			}
			return PluginBinary.of(in.readAllBytes(), "fixtures/" + name + ".wasm");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static CompiledPlugin compiled(String name, ExecutionMode mode) {
		return COMPILED.computeIfAbsent(name + "/" + mode, (key) -> COMPILER.compile(binary(name), mode));
	}

}
