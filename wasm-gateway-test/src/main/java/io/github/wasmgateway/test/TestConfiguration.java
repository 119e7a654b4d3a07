package io.github.wasmgateway.test;

import io.github.wasmgateway.engine.PluginConfiguration;

/**
 * A configuration the plugin accepted ({@link PluginTester#configure}): give it to
 * {@link PluginTester#send} for requests of a route with that configuration.
 */
public final class TestConfiguration {

	private final String text;

	private final PluginConfiguration configuration;

	TestConfiguration(String text, PluginConfiguration configuration) {
		this.text = text;
		this.configuration = configuration;
	}

	PluginConfiguration engineConfiguration() {
		return this.configuration;
	}

	/** The configuration as the plugin got it. */
	public String text() {
		return this.text;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
