package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemorySection;
import io.github.wasmgateway.engine.AbiProfile;
import io.github.wasmgateway.engine.AbiProfile.StartFunction;
import io.github.wasmgateway.engine.AbiVersion;
import io.github.wasmgateway.engine.PluginLoadException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads a module's {@link AbiProfile} from its exports and imports, and refuses modules
 * that are not proxy-wasm plugins.
 */
public final class ModuleInspector {

	private ModuleInspector() {
	}

	public static AbiProfile inspect(WasmModule module, String origin) {
		AbiVersion version = null;
		Map<String, Integer> callbacks = new HashMap<>();
		Set<String> functionExports = new LinkedHashSet<>();
		boolean exportsMemory = false;
		for (int i = 0; i < module.exportSection().exportCount(); i++) {
			Export export = module.exportSection().getExport(i);
			exportsMemory |= export.exportType() == ExternalType.MEMORY;
			if (export.exportType() != ExternalType.FUNCTION) {
				continue;
			}
			String name = export.name();
			functionExports.add(name);
			AbiVersion declared = AbiVersion.fromExport(name);
			if (declared != null && (version == null || declared.compareTo(version) > 0)) {
				version = declared;
			}
			if (name.startsWith("proxy_on_")) {
				callbacks.put(name, functionType(module, export.index()).params().size());
			}
		}
		if (version == null) {
			throw new PluginLoadException(origin + " is not a proxy-wasm plugin this host can run: it exports no "
					+ "proxy_abi_version_* marker (0_1_0, 0_2_0, 0_2_1 or Higress 0_2_100), so it is either not a "
					+ "proxy-wasm plugin or was built for the pre-0.1.0 ABI. Rebuild it with a current proxy-wasm SDK.");
		}
		String allocator = functionExports.contains("malloc") ? "malloc"
				: functionExports.contains("proxy_on_memory_allocate") ? "proxy_on_memory_allocate" : null;
		if (allocator == null) {
			throw new PluginLoadException(origin + " exports neither malloc nor proxy_on_memory_allocate: the host "
					+ "cannot hand it any data. Rebuild it with a proxy-wasm SDK.");
		}
		StartFunction start = functionExports.contains("_initialize") ? StartFunction.INITIALIZE
				: functionExports.contains("_start") ? StartFunction.START : StartFunction.NONE;
		Set<String> imports = new LinkedHashSet<>();
		boolean importsMemory = false;
		for (int i = 0; i < module.importSection().importCount(); i++) {
			Import imported = module.importSection().getImport(i);
			imports.add(imported.module() + "." + imported.name());
			importsMemory |= imported.importType() == ExternalType.MEMORY;
		}
		// an imported memory is refused by HostFunctions.check, naming the import
		if (!importsMemory) {
			requireExportedMemory(module, exportsMemory, origin);
		}
		return new AbiProfile(version, allocator, start, functionExports.contains("main"), callbacks, imports);
	}

	/**
	 * Every proxy-wasm host function passes data through the plugin's linear memory: the
	 * plugin must define one and export it. This host would find an unexported memory,
	 * but Envoy reaches only an exported one (under any name; every SDK names it
	 * "memory"), so such a module is no portable plugin.
	 */
	private static void requireExportedMemory(WasmModule module, boolean exportsMemory, String origin) {
		if (module.memorySection().map(MemorySection::memoryCount).orElse(0) == 0) {
			throw new PluginLoadException(origin + " defines no linear memory: a proxy-wasm host passes all data "
					+ "through the plugin's memory, which the plugin must define and export as \"memory\". "
					+ "Rebuild it with a proxy-wasm SDK.");
		}
		if (!exportsMemory) {
			throw new PluginLoadException(origin + " does not export its linear memory: proxy-wasm hosts such as "
					+ "Envoy reach the plugin's data only through the exported memory, which every proxy-wasm SDK "
					+ "exports as \"memory\". Rebuild it with a proxy-wasm SDK.");
		}
	}

	/** The type of function {@code index} (imports first, then the module's own). */
	public static FunctionType functionType(WasmModule module, int index) {
		int imported = 0;
		for (int i = 0; i < module.importSection().importCount(); i++) {
			Import candidate = module.importSection().getImport(i);
			if (candidate.importType() == ExternalType.FUNCTION) {
				if (imported == index) {
					return module.typeSection().getType(((FunctionImport) candidate).typeIndex());
				}
				imported++;
			}
		}
		return module.functionSection().getFunctionType(index - imported, module.typeSection());
	}

}
