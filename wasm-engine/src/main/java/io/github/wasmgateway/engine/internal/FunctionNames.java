package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.NameCustomSection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Function names from a module's name section (kept apart because the stripped module
 * that instances use has no custom sections); an imported function the name section does
 * not name (AssemblyScript's binaries name none) is called by its import,
 * {@code module.name}, as wasm-objdump and V8's stack traces do.
 */
public final class FunctionNames {

	private static final String COMPILED_METHOD_PREFIX = "func_";

	private final String[] names;

	private FunctionNames(String[] names) {
		this.names = names;
	}

	public static FunctionNames of(WasmModule module) {
		String[] names = new String[functionCount(module)];
		NameCustomSection section = module.nameSection();
		if (section != null) {
			for (int i = 0; i < names.length; i++) {
				names[i] = section.nameOfFunction(i);
			}
		}
		return withImportNames(module.importSection(), names);
	}

	/**
	 * The names of {@code module}'s functions from the contents of a name section (after
	 * its own name): its function names (subsection 1) read as they are, where Chicory's
	 * parser checks each name with a stream of its characters (for a stripped binary,
	 * made from one Chicory parsed and validated). A section cut short keeps the names
	 * read before.
	 */
	static FunctionNames of(WasmModule module, ByteBuffer section) {
		String[] names = new String[functionCount(module)];
		try {
			while (section.hasRemaining()) {
				int id = section.get();
				int end = (int) ModuleCompiler.readVarUInt32(section) + section.position();
				if (id == 1) {
					for (long count = ModuleCompiler.readVarUInt32(section); count > 0; count--) {
						long index = ModuleCompiler.readVarUInt32(section);
						int length = (int) ModuleCompiler.readVarUInt32(section);
						if (index < names.length) {
							names[(int) index] = new String(section.array(), section.position(), length,
									StandardCharsets.UTF_8);
						}
						section.position(section.position() + length);
					}
				}
				section.position(end);
			}
		}
		catch (RuntimeException ex) {
			// malformed: the names read so far
		}
		return withImportNames(module.importSection(), names);
	}

	private static int functionCount(WasmModule module) {
		return module.importSection().count(ExternalType.FUNCTION) + module.functionSection().functionCount();
	}

	/** Imported functions the name section does not name called by their import. */
	private static FunctionNames withImportNames(ImportSection imports, String[] names) {
		int function = 0;
		for (int i = 0; i < imports.importCount(); i++) {
			Import imported = imports.getImport(i);
			if (imported.importType() == ExternalType.FUNCTION) {
				if (names[function] == null) {
					names[function] = imported.module() + "." + imported.name();
				}
				function++;
			}
		}
		return new FunctionNames(names);
	}

	/** {@code name[index]}, or {@code func[index]} when the module has no name for it. */
	public String describe(int index) {
		String name = (index >= 0 && index < this.names.length) ? this.names[index] : null;
		return ((name != null) ? name : "func") + "[" + index + "]";
	}

	/**
	 * The Wasm function a method of compiled code runs, described as
	 * {@link #describe(int)} does: Chicory's compiler names the method of function N
	 * {@code func_N}; null for any other method.
	 */
	public String ofCompiledMethod(String methodName) {
		int digits = methodName.length() - COMPILED_METHOD_PREFIX.length();
		if (!methodName.startsWith(COMPILED_METHOD_PREFIX) || digits < 1 || digits > 9) {
			return null;
		}
		int index = 0;
		for (int i = COMPILED_METHOD_PREFIX.length(); i < methodName.length(); i++) {
			char c = methodName.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			index = index * 10 + (c - '0');
		}
		return describe(index);
	}

}
