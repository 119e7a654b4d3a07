package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import io.github.wasmgateway.engine.Fixtures;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FunctionNamesTests {

	/**
	 * A module with one imported function, {@code env.proxy_log}, one function of its own
	 * and no name section (written out byte by byte: the test needs no toolchain).
	 */
	private static final byte[] UNNAMED = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
			// type section: one type, () -> ()
			0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
			// import section: "env" "proxy_log", a function of type 0
			0x02, 0x11, 0x01, 0x03, 'e', 'n', 'v', 0x09, 'p', 'r', 'o', 'x', 'y', '_', 'l', 'o', 'g', 0x00, 0x00,
			// function section: one function of type 0
			0x03, 0x02, 0x01, 0x00,
			// code section: its body, calling the import
			0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b };

	@Test
	void anImportWithoutANameIsCalledByItsModuleAndName() {
		FunctionNames names = FunctionNames.of(Parser.parse(UNNAMED));

		assertThat(names.describe(0)).isEqualTo("env.proxy_log[0]");
		assertThat(names.ofCompiledMethod("func_0")).isEqualTo("env.proxy_log[0]");
		assertThat(names.describe(1)).isEqualTo("func[1]");
	}

	@Test
	void theNameSectionNamesFunctionsAndImportsFirst() {
		FunctionNames names = FunctionNames.of(Parser.parse(Fixtures.binary("cpu-burner").bytes()));

		assertThat(names.describe(0)).isEqualTo("proxy_get_header_map_value[0]");
		assertThat(names.describe(4)).isEqualTo("burn_cpu[4]");
		assertThat(names.ofCompiledMethod("func_4")).isEqualTo("burn_cpu[4]");
		assertThat(names.ofCompiledMethod("call_indirect")).isNull();
	}

	/**
	 * A warm start reads the names from the stripped binary's name section itself: the
	 * same names as Chicory's parser gives from the binary.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "cpu-burner", "rust-plugin", "exerciser", "emscripten-profile", "as-plugin" })
	void namesReadFromAStrippedBinaryAreChicorysOfTheBinary(String fixture) {
		byte[] binary = Fixtures.binary(fixture).bytes();
		WasmModule module = Parser.parse(binary);
		FunctionNames expected = FunctionNames.of(module);

		FunctionNames stripped = ModuleCompiler
			.parseStripped(
					ModuleCompiler.strip(binary, module.importSection().count(ExternalType.FUNCTION), Set.of(), null),
					Set.of())
			.names();

		int functions = module.importSection().count(ExternalType.FUNCTION) + module.functionSection().functionCount();
		for (int i = 0; i <= functions; i++) {
			assertThat(stripped.describe(i)).isEqualTo(expected.describe(i));
		}
	}

}
