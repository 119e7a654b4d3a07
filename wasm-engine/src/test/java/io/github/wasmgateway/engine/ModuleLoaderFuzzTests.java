package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The module loader and ABI inspector on arbitrary bytes: whatever a file holds, loading
 * it ends in a compiled plugin or in our {@link PluginLoadException} naming the file;
 * nothing else escapes (no other exception, no error, no hang, no OOM under the fuzz
 * run's heap). In the normal build this runs the inputs under
 * {@code ModuleLoaderFuzzTestsInputs} (regression mode) and then fuzzes for a few seconds
 * (the {@code fuzz} surefire executions); {@code benchmarks/fuzz/run.sh} fuzzes longer.
 */
class ModuleLoaderFuzzTests {

	private static final WasmEngine engine = WasmEngine.builder().build();

	@AfterAll
	static void close() {
		engine.close();
	}

	@FuzzTest(maxDuration = "30s")
	void anyBytesLoadOrFailWithOurError(byte[] bytes) {
		try {
			CompiledPlugin compiled = engine.compile(PluginBinary.of(bytes, "fuzz.wasm"), ExecutionMode.INTERPRETER);
			assertThat(compiled.profile()).isNotNull();
		}
		catch (PluginLoadException ex) {
			assertThat(ex.getMessage()).contains("fuzz.wasm");
		}
	}

}
