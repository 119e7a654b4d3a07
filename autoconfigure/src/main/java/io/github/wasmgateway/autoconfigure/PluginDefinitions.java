package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.gateway.PluginDefinition;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The plugins declared under {@code wasm-gateway.plugins}, as the registry takes them: at
 * start-up from the bound properties, after a configuration change from the environment
 * as it is now.
 */
final class PluginDefinitions {

	private PluginDefinitions() {
	}

	/** The plugins the environment declares now. */
	static List<PluginDefinition> read(ConfigurableEnvironment environment) {
		return of(bind(environment), environment);
	}

	/** The service plugins the environment declares now. */
	static List<PluginDefinition> readServices(ConfigurableEnvironment environment) {
		return services(bind(environment), environment);
	}

	private static WasmGatewayProperties bind(ConfigurableEnvironment environment) {
		return Binder.get(environment).bindOrCreate("wasm-gateway", WasmGatewayProperties.class);
	}

	static List<PluginDefinition> of(WasmGatewayProperties properties, ConfigurableEnvironment environment) {
		List<PluginDefinition> definitions = new ArrayList<>();
		properties.getPlugins().forEach((name, plugin) -> {
			String location = plugin.getLocation();
			if ((location == null || location.isBlank()) && properties.getPluginsDirectory() != null) {
				location = "file:" + properties.getPluginsDirectory().resolve(name + ".wasm").toAbsolutePath();
			}
			definitions.add(definition("wasm-gateway.plugins.", name, location, plugin, environment));
		});
		return definitions;
	}

	static List<PluginDefinition> services(WasmGatewayProperties properties, ConfigurableEnvironment environment) {
		List<PluginDefinition> definitions = new ArrayList<>();
		properties.getServices()
			.forEach((name, service) -> definitions
				.add(definition("wasm-gateway.services.", name, service.getLocation(), service, environment)));
		return definitions;
	}

	private static PluginDefinition definition(String declaredUnder, String name, String location,
			WasmGatewayProperties.Plugin plugin, ConfigurableEnvironment environment) {
		String prefix = declaredUnder + name;
		byte[] configuration = RawConfiguration.read(environment, prefix + ".configuration");
		if (configuration == null) {
			configuration = RawConfiguration.toBytes(plugin.getConfiguration());
		}
		byte[] vmConfiguration = RawConfiguration.read(environment, prefix + ".vm-configuration");
		if (vmConfiguration == null) {
			vmConfiguration = RawConfiguration.toBytes(plugin.getVmConfiguration());
		}
		PluginSettings settings = PluginSettings.builder(name)
			.withRootId(plugin.getRootId())
			.withVmId((plugin.getVmId() != null && !plugin.getVmId().isBlank()) ? plugin.getVmId() : null)
			.withVmConfiguration(vmConfiguration)
			.withMemoryLimitBytes(plugin.getMemoryLimit().toBytes())
			.withCallTimeout(plugin.getCallTimeout())
			.withStartTimeout(plugin.getStartTimeout())
			.withRebuildBackoff(plugin.getRebuildBackoff())
			.withRebuildMemoryThresholdBytes(
					(plugin.getRebuildMemoryThreshold() != null) ? plugin.getRebuildMemoryThreshold().toBytes() : 0)
			.build();
		ExecutionMode mode = (plugin.getMode() == WasmGatewayProperties.Mode.INTERPRETER) ? ExecutionMode.INTERPRETER
				: ExecutionMode.AOT;
		return new PluginDefinition(name, location, plugin.getSha256(), mode, settings, configuration,
				plugin.getFailurePolicy());
	}

}
