package io.github.wasmgateway.gateway;

import io.micrometer.common.KeyValues;

/**
 * The observation {@value #NAME} with the low-cardinality keys {@code plugin},
 * {@code route} and {@code phase}; its span is named {@code wasm <plugin> <phase>}, for
 * example {@code wasm key-auth request_headers}.
 */
public class DefaultPluginCallObservationConvention implements PluginCallObservationConvention {

	/**
	 * The observation's name. Not {@code wasm.plugin.call}: that timer exists already
	 * (without an {@code error} tag), and a meter handler would time this observation
	 * under its name.
	 */
	public static final String NAME = "wasm.plugin.phase";

	public static final DefaultPluginCallObservationConvention INSTANCE = new DefaultPluginCallObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(PluginCallObservationContext context) {
		return "wasm " + context.getPlugin() + " " + context.getPhase();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(PluginCallObservationContext context) {
		return KeyValues.of("plugin", context.getPlugin(), "route", context.getRoute(), "phase", context.getPhase());
	}

}
