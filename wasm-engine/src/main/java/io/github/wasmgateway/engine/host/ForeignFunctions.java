package io.github.wasmgateway.engine.host;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The foreign functions a plugin may call, by name (immutable). Envoy keeps such a
 * registry of its own ({@code RegisterForeignFunction} in
 * source/extensions/common/wasm/foreign.cc); a name it does not hold answers NOT_FOUND,
 * which is how a plugin learns that a host lacks a function.
 */
public final class ForeignFunctions {

	/** Envoy's name: a no-op here, as SCG resolves a route before any filter runs. */
	public static final String CLEAR_ROUTE_CACHE = "clear_route_cache";

	private static final byte[] EMPTY = new byte[0];

	private static final ForeignFunctions NONE = new ForeignFunctions(Map.of()).with(CLEAR_ROUTE_CACHE,
			(arguments) -> EMPTY);

	private static final ForeignFunctions STANDARD = HostCrypto.register(NONE);

	private final Map<String, ForeignFunction> functions;

	private ForeignFunctions(Map<String, ForeignFunction> functions) {
		this.functions = functions;
	}

	/**
	 * Envoy's {@code clear_route_cache} and the host crypto functions
	 * ({@link HostCrypto}).
	 */
	public static ForeignFunctions standard() {
		return STANDARD;
	}

	/**
	 * Envoy's {@code clear_route_cache} only: plugins fall back to their own code for
	 * what the standard set offers, as they do on Envoy.
	 */
	public static ForeignFunctions withoutHostCrypto() {
		return NONE;
	}

	/**
	 * These functions and {@code function} under {@code name} (replacing one of that
	 * name).
	 */
	public ForeignFunctions with(String name, ForeignFunction function) {
		Map<String, ForeignFunction> all = new LinkedHashMap<>(this.functions);
		all.put(Objects.requireNonNull(name), Objects.requireNonNull(function));
		return new ForeignFunctions(Collections.unmodifiableMap(all));
	}

	/** The function called {@code name}, or {@code null}. */
	public ForeignFunction find(String name) {
		return this.functions.get(name);
	}

	public Set<String> names() {
		return this.functions.keySet();
	}

}
