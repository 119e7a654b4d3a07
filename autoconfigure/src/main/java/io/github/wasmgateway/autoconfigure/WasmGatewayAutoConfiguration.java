package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.HttpCalloutClient;
import io.github.wasmgateway.engine.host.InMemoryMetrics;
import io.github.wasmgateway.engine.host.MetricsSink;
import io.github.wasmgateway.engine.host.RedisClient;
import io.github.wasmgateway.engine.host.SharedDataStore;
import io.github.wasmgateway.actuate.WasmPluginMeters;
import io.github.wasmgateway.actuate.WasmPluginsEndpoint;
import io.github.wasmgateway.actuate.WasmPluginsHealthIndicator;
import io.github.wasmgateway.gateway.ExchangeObserver;
import io.github.wasmgateway.gateway.ResponseHookFilter;
import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.gateway.WasmPluginRegistry.FailurePolicy;
import io.github.wasmgateway.gateway.WasmPluginRegistry.PluginDefinition;
import io.github.wasmgateway.gateway.WebClientHttpCallouts;
import io.github.wasmgateway.gateway.EventLoops;
import io.github.wasmgateway.reload.PluginFileWatcher;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of wasm-gateway: the engine, the plugins declared under
 * {@code wasm-gateway.plugins} (loaded and checked at start-up) and the
 * {@code WasmPlugin} gateway filter.
 */
@AutoConfiguration
@ConditionalOnClass(GatewayFilter.class)
@ConditionalOnProperty(prefix = "wasm-gateway", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(WasmGatewayProperties.class)
public final class WasmGatewayAutoConfiguration {

	/** Plugin metrics as Micrometer meters, when Micrometer is there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MicrometerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(MetricsSink.class)
		MetricsSink wasmPluginMetrics(ObjectProvider<MeterRegistry> registry) {
			MeterRegistry meters = registry.getIfAvailable();
			return (meters != null) ? new MicrometerPluginMetrics(meters) : new InMemoryMetrics();
		}

		@Bean
		@ConditionalOnMissingBean(ExchangeObserver.class)
		ExchangeObserver wasmPluginMeters(WasmPluginRegistry plugins, ObjectProvider<MeterRegistry> registry) {
			MeterRegistry meters = registry.getIfAvailable();
			return (meters != null) ? new WasmPluginMeters(plugins, meters) : ExchangeObserver.NONE;
		}

	}

	/** The wasmplugins actuator endpoint, when the actuator is there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		WasmPluginsEndpoint wasmPluginsEndpoint(WasmPluginRegistry registry) {
			return new WasmPluginsEndpoint(registry);
		}

	}

	/** The plugins' health, when Spring Boot's health support is there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "wasmPluginsHealthIndicator")
		WasmPluginsHealthIndicator wasmPluginsHealthIndicator(WasmPluginRegistry registry) {
			return new WasmPluginsHealthIndicator(registry);
		}

	}

	@Bean
	@ConditionalOnMissingBean(HttpCalloutClient.class)
	WebClientHttpCallouts wasmHttpCallouts(WasmGatewayProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder) {
		Map<String, WebClientHttpCallouts.Cluster> clusters = new LinkedHashMap<>();
		properties.getClusters()
			.forEach((name, cluster) -> clusters.put(name,
					new WebClientHttpCallouts.Cluster(cluster.getUrl(), cluster.getTimeout())));
		return new WebClientHttpCallouts(clusters, webClientBuilder.getIfAvailable(WebClient::builder).build());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	WasmEngine wasmEngine(WasmGatewayProperties properties, HttpCalloutClient httpCallouts,
			ObjectProvider<MetricsSink> metrics, ObjectProvider<RedisClient> redis,
			ObjectProvider<SharedDataStore> sharedData) {
		HostServices.Builder services = HostServices.builder()
			.withHttpCallouts(httpCallouts)
			.withWorkers(EventLoops.workers());
		metrics.ifAvailable(services::withMetrics);
		redis.ifAvailable(services::withRedis);
		SharedDataStore shared = sharedData.getIfAvailable();
		if (shared != null) {
			services.withSharedData(shared::forPlugin);
		}
		return WasmEngine.builder()
			.withCompileCache(properties.getCompileCache())
			.withHostServices(services.build())
			.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	WasmPluginRegistry wasmPluginRegistry(WasmEngine engine, ResourceLoader resourceLoader,
			WasmGatewayProperties properties, ConfigurableEnvironment environment) {
		List<PluginDefinition> definitions = new ArrayList<>();
		properties.getPlugins().forEach((name, plugin) -> {
			if ((plugin.getLocation() == null || plugin.getLocation().isBlank())
					&& properties.getPluginsDirectory() != null) {
				plugin.setLocation("file:" + properties.getPluginsDirectory().resolve(name + ".wasm").toAbsolutePath());
			}
			definitions.add(definition(name, plugin, environment));
		});
		return new WasmPluginRegistry(engine, resourceLoader, definitions);
	}

	static PluginDefinition definition(String name, WasmGatewayProperties.Plugin plugin,
			ConfigurableEnvironment environment) {
		String prefix = "wasm-gateway.plugins." + name;
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
			.withVmConfiguration(vmConfiguration)
			.withMemoryLimitBytes(plugin.getMemoryLimit().toBytes())
			.withCallTimeout(plugin.getCallTimeout())
			.withRebuildBackoff(plugin.getRebuildBackoff())
			.withRebuildMemoryThresholdBytes(
					(plugin.getRebuildMemoryThreshold() != null) ? plugin.getRebuildMemoryThreshold().toBytes() : 0)
			.build();
		ExecutionMode mode = (plugin.getMode() == WasmGatewayProperties.Mode.INTERPRETER) ? ExecutionMode.INTERPRETER
				: ExecutionMode.AOT;
		FailurePolicy policy = (plugin.getFailurePolicy() == WasmGatewayProperties.FailurePolicy.FAIL_OPEN)
				? FailurePolicy.FAIL_OPEN : FailurePolicy.FAIL_CLOSED;
		return new PluginDefinition(name, plugin.getLocation(), plugin.getSha256(), mode, settings, configuration,
				policy);
	}

	@Bean
	@ConditionalOnMissingBean
	WasmPluginGatewayFilterFactory wasmPluginGatewayFilterFactory(WasmPluginRegistry registry,
			WasmGatewayProperties properties, ObjectProvider<ExchangeObserver> observer) {
		return new WasmPluginGatewayFilterFactory(registry, properties.getStreamTimeout(),
				properties.getMaxBufferedBody().toBytes(), observer.getIfAvailable(() -> ExchangeObserver.NONE));
	}

	@Bean
	@ConditionalOnProperty(prefix = "wasm-gateway.reload", name = "enabled", matchIfMissing = true)
	PluginFileWatcher wasmPluginFileWatcher(WasmPluginRegistry registry, WasmGatewayProperties properties) {
		return new PluginFileWatcher(registry, properties.getReload().getPollInterval(),
				properties.getReload().getQuietPeriod());
	}

	@Bean
	@ConditionalOnMissingBean
	ResponseHookFilter wasmResponseHookFilter() {
		return new ResponseHookFilter();
	}

	@Bean
	static WasmPluginRouteConfiguration wasmPluginRouteConfiguration(ConfigurableEnvironment environment) {
		return new WasmPluginRouteConfiguration(environment);
	}

	@Bean
	WasmPluginRouteValidator wasmPluginRouteValidator(ObjectProvider<GatewayProperties> gatewayProperties,
			WasmPluginRegistry registry) {
		return new WasmPluginRouteValidator(gatewayProperties, registry);
	}

}
