package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.NameCustomSection;

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
		ImportSection imports = module.importSection();
		int count = imports.count(ExternalType.FUNCTION) + module.functionSection().functionCount();
		String[] names = new String[count];
		NameCustomSection section = module.nameSection();
		if (section != null) {
			for (int i = 0; i < count; i++) {
				names[i] = section.nameOfFunction(i);
			}
		}
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
