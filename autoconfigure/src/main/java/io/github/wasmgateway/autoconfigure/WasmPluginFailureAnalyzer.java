package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.gateway.WasmPluginException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a plugin that stopped the gateway from starting: which plugin, which route,
 * why, and what to do.
 */
class WasmPluginFailureAnalyzer extends AbstractFailureAnalyzer<WasmPluginException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WasmPluginException cause) {
		StringBuilder description = new StringBuilder("The wasm plugin '").append(cause.plugin()).append("'");
		if (cause.route() != null) {
			description.append(" used by route '").append(cause.route()).append("'");
		}
		description.append(" could not be started:\n\n    ").append(cause.getMessage());
		Throwable detail = cause.getCause();
		if (detail != null && detail.getMessage() != null && !cause.getMessage().contains(detail.getMessage())) {
			description.append("\n\n    Cause: ").append(detail.getMessage());
		}
		return new FailureAnalysis(description.toString(), cause.action(), cause);
	}

}
