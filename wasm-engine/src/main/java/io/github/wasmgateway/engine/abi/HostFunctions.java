package io.github.wasmgateway.engine.abi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasi.WasiPreview1_ModuleFactory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.internal.PluginVm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds every import a module declares: the proxy-wasm host functions (0.1.0, 0.2.0,
 * 0.2.1 and Higress's additions), WASI preview1 under both module names, and the few
 * Emscripten/AssemblyScript helpers real plugins import. A {@code proxy_*} function this
 * host does not know answers UNIMPLEMENTED, so any plugin instantiates; an import from
 * elsewhere is refused with its name. The list is documented in docs/abi-coverage.md.
 */
public final class HostFunctions {

	/**
	 * Parameter count of each proxy-wasm function, to refuse a module that declares it
	 * otherwise.
	 */
	static final Map<String, Integer> ARITY = new HashMap<>();

	static {
		Object[][] table = { { "proxy_log", 3 }, { "proxy_get_log_level", 1 }, { "proxy_set_effective_context", 1 },
				{ "proxy_done", 0 }, { "proxy_get_property", 4 }, { "proxy_set_property", 4 },
				{ "proxy_continue_stream", 1 }, { "proxy_close_stream", 1 }, { "proxy_continue_request", 0 },
				{ "proxy_continue_response", 0 }, { "proxy_clear_route_cache", 0 }, { "proxy_send_local_response", 8 },
				{ "proxy_get_shared_data", 5 }, { "proxy_set_shared_data", 5 }, { "proxy_register_shared_queue", 3 },
				{ "proxy_resolve_shared_queue", 5 }, { "proxy_dequeue_shared_queue", 3 },
				{ "proxy_enqueue_shared_queue", 3 }, { "proxy_get_header_map_value", 5 },
				{ "proxy_add_header_map_value", 5 }, { "proxy_replace_header_map_value", 5 },
				{ "proxy_remove_header_map_value", 3 }, { "proxy_get_header_map_pairs", 3 },
				{ "proxy_set_header_map_pairs", 3 }, { "proxy_get_header_map_size", 2 },
				{ "proxy_get_buffer_status", 3 }, { "proxy_get_buffer_bytes", 5 }, { "proxy_set_buffer_bytes", 5 },
				{ "proxy_get_configuration", 2 }, { "proxy_http_call", 10 },
				{ "proxy_set_tick_period_milliseconds", 1 }, { "proxy_get_current_time_nanoseconds", 1 },
				{ "proxy_define_metric", 4 }, { "proxy_increment_metric", 2 }, { "proxy_record_metric", 2 },
				{ "proxy_get_metric", 2 }, { "proxy_call_foreign_function", 6 }, { "proxy_get_status", 3 },
				{ "proxy_redis_init", 7 }, { "proxy_redis_call", 5 }, { "proxy_grpc_call", 12 },
				{ "proxy_grpc_stream", 9 }, { "proxy_grpc_send", 4 }, { "proxy_grpc_cancel", 1 },
				{ "proxy_grpc_close", 1 } };
		for (Object[] row : table) {
			ARITY.put((String) row[0], (Integer) row[1]);
		}
	}

	/** WASI errno FAULT: a bad address. */
	static final int WASI_FAULT = 21;

	private HostFunctions() {
	}

	/**
	 * Refuses, before anything is instantiated, a module that imports something this host
	 * cannot offer, naming the import.
	 */
	public static void check(WasmModule module, String origin) {
		for (int i = 0; i < module.importSection().importCount(); i++) {
			Import imported = module.importSection().getImport(i);
			String where = imported.module() + "." + imported.name();
			if (imported.importType() != ExternalType.FUNCTION) {
				throw new PluginLoadException(origin + " imports " + imported.importType().name().toLowerCase() + " "
						+ where + "; a proxy-wasm host offers only functions");
			}
			FunctionType type = module.typeSection().getType(((FunctionImport) imported).typeIndex());
			switch (imported.module()) {
				case "wasi_snapshot_preview1", "wasi_unstable" -> {
				}
				case "env" -> checkEnv(imported.name(), type, origin);
				default -> throw new PluginLoadException(origin + " imports " + where
						+ ", which no proxy-wasm host offers (only env, wasi_snapshot_preview1 and wasi_unstable)");
			}
		}
	}

	private static void checkEnv(String name, FunctionType type, String origin) {
		Integer arity = ARITY.get(name);
		if (arity != null && type.params().size() != arity) {
			throw new PluginLoadException(origin + " imports env." + name + " with " + type.params().size()
					+ " parameters, but the proxy-wasm ABI defines it with " + arity
					+ "; the plugin was built for an ABI this host does not speak");
		}
		if (arity == null && !name.startsWith("proxy_") && !name.equals("emscripten_notify_memory_growth")
				&& !name.equals("pthread_equal") && !name.equals("abort")) {
			throw new PluginLoadException(origin + " imports env." + name
					+ ", which is not a proxy-wasm host function; rebuild the plugin without it");
		}
	}

	/** Whether the module imports a WASI function (under either module name). */
	public static boolean importsWasi(WasmModule module) {
		for (int i = 0; i < module.importSection().importCount(); i++) {
			if (isWasi(module.importSection().getImport(i).module())) {
				return true;
			}
		}
		return false;
	}

	private static boolean isWasi(String moduleName) {
		return moduleName.equals("wasi_snapshot_preview1") || moduleName.equals("wasi_unstable");
	}

	/**
	 * The import values of one VM.
	 * @param wasi the VM's WASI, null when the module imports none ({@link #importsWasi})
	 */
	public static ImportValues bind(WasmModule module, PluginVm vm, WasiPreview1 wasi) {
		ProxyAbi abi = new ProxyAbi(vm);
		long[] result = new long[1];
		Map<String, HostFunction> wasiFunctions = new HashMap<>();
		List<ImportFunction> functions = new ArrayList<>();
		for (int i = 0; i < module.importSection().importCount(); i++) {
			Import imported = module.importSection().getImport(i);
			FunctionType type = module.typeSection().getType(((FunctionImport) imported).typeIndex());
			String name = imported.name();
			switch (imported.module()) {
				case "wasi_snapshot_preview1", "wasi_unstable" -> {
					if (wasiFunctions.isEmpty()) {
						for (HostFunction function : WasiPreview1_ModuleFactory.toHostFunctions(wasi, "wasi")) {
							wasiFunctions.put(function.name(), function);
						}
					}
					HostFunction function = wasiFunctions.get(name);
					if (function == null) {
						throw new PluginLoadException("plugin '" + vm.core().name() + "' imports " + imported.module()
								+ "." + name + ", which this host's WASI does not provide");
					}
					functions
						.add(new HostFunction(imported.module(), name, type, faultOnBadPointer(function.handle())));
				}
				default -> functions.add(new HostFunction("env", name, type, envFunction(abi, name, type, result)));
			}
		}
		return ImportValues.builder().withFunctions(functions).build();
	}

	/**
	 * Chicory's WASI does not check the guest's pointers: one out of range makes the
	 * memory access throw, which would trap the plugin. WASI answers that with errno
	 * FAULT, so the plugin gets 21 instead, as it gets INVALID_MEMORY_ACCESS from the
	 * proxy-wasm functions. A WASI function executes no Wasm code, so a
	 * WasmRuntimeException from it can only be such a memory access (traps, timeouts and
	 * proc_exit are other exception classes and pass through).
	 */
	private static WasmFunctionHandle faultOnBadPointer(WasmFunctionHandle handle) {
		return (instance, args) -> {
			try {
				return handle.apply(instance, args);
			}
			catch (WasmRuntimeException ex) {
				return new long[] { WASI_FAULT };
			}
		};
	}

	/**
	 * Calls a host function; a host service that throws while serving it (a callout
	 * client refusing a URL, a Redis client error) answers the guest a status instead of
	 * failing the VM.
	 */
	private static long call(ProxyAbi abi, String name, ProxyAbi.Function function, long[] args) {
		try {
			return function.call(args);
		}
		catch (RuntimeException ex) {
			return abi.hostFailure(name, ex);
		}
	}

	/**
	 * The handle of an {@code env} import. The proxy-wasm functions answer their status
	 * in {@code result}, one array for the whole VM, so a host call allocates nothing:
	 * Chicory reads a host function's result as soon as it returns (compiled code unboxes
	 * {@code result[0]}, the interpreter pushes it onto its stack), and the status is
	 * stored only after the function's own work, including any guest call it made (the
	 * allocator), is done.
	 */
	private static WasmFunctionHandle envFunction(ProxyAbi abi, String name, FunctionType type, long[] result) {
		switch (name) {
			case "emscripten_notify_memory_growth":
				return (instance, args) -> null;
			case "pthread_equal":
				return (instance, args) -> new long[] { (args[0] == args[1]) ? 1 : 0 };
			case "abort":
				return (instance, args) -> {
					throw new TrapException("the plugin called abort" + abi.abortLocation(args));
				};
			default:
				ProxyAbi.Function function = abi.function(name);
				if (function == null) {
					boolean returns = !type.returns().isEmpty();
					return (instance, args) -> returns ? new long[] { Status.UNIMPLEMENTED } : null;
				}
				if (type.returns().isEmpty()) {
					// declared without a result (0.1.0's continue_request, say): push
					// nothing
					return (instance, args) -> {
						call(abi, name, function, args);
						return null;
					};
				}
				return (instance, args) -> {
					long status = call(abi, name, function, args);
					result[0] = status;
					return result;
				};
		}
	}

}
