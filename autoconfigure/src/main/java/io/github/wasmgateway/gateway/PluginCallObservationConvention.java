package io.github.wasmgateway.gateway;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a call into a plugin: declare a bean of this type to
 * replace {@link DefaultPluginCallObservationConvention}, like Spring's
 * {@code ServerRequestObservationConvention} for the server's requests.
 */
public interface PluginCallObservationConvention extends ObservationConvention<PluginCallObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof PluginCallObservationContext;
	}

}
