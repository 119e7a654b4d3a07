package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginSettings;
import java.util.Arrays;
import java.util.Objects;

/**
 * One plugin as configured: name, where it comes from, how it runs, its default
 * configuration and its failure policy.
 */
public record PluginDefinition(String name, String location, String sha256, ExecutionMode mode, PluginSettings settings,
		byte[] configuration, FailurePolicy failurePolicy) {

	/** Same plugin and settings; only the default configuration may differ. */
	boolean sameExceptConfiguration(PluginDefinition other) {
		return this.name.equals(other.name) && Objects.equals(this.location, other.location)
				&& Objects.equals(this.sha256, other.sha256) && this.mode == other.mode
				&& this.settings.equals(other.settings) && this.failurePolicy == other.failurePolicy;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PluginDefinition that && sameExceptConfiguration(that)
				&& Arrays.equals(this.configuration, that.configuration);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode();
	}

}
