package io.github.wasmgateway.autoconfigure;

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
import io.github.wasmgateway.gateway.PluginTrailers;
import io.github.wasmgateway.gateway.ResponseHookFilter;
import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.gateway.WebClientHttpCallouts;
import io.github.wasmgateway.gateway.EventLoops;
import io.github.wasmgateway.reload.PluginFileWatcher;
import io.github.wasmgateway.service.WasmServiceRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import java.util.LinkedHashMap;
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
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;
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
		WasmPluginsEndpoint wasmPluginsEndpoint(WasmPluginRegistry registry, WasmServiceRegistry services) {
			return new WasmPluginsEndpoint(registry, services);
		}

	}

	/** The plugins' health, when Spring Boot's health support is there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "wasmPluginsHealthIndicator")
		WasmPluginsHealthIndicator wasmPluginsHealthIndicator(WasmPluginRegistry registry,
				WasmServiceRegistry services) {
			return new WasmPluginsHealthIndicator(registry, services);
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
			ObjectProvider<SharedDataStore> sharedData, ObjectProvider<ReactorResourceFactory> reactorResources) {
		// the server's event loops, as Reactor Netty's server runs on them
		// (HttpServer.runOn(LoopResources)): every plugin's VMs are built on each
		ReactorResourceFactory resources = reactorResources.getIfAvailable();
		HostServices.Builder services = HostServices.builder()
			.withHttpCallouts(httpCallouts)
			.withWorkers((resources != null)
					? EventLoops.workers(resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE))
					: EventLoops.workers());
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
		return new WasmPluginRegistry(engine, resourceLoader, PluginDefinitions.of(properties, environment));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	WasmServiceRegistry wasmServiceRegistry(WasmEngine engine, WasmPluginRegistry plugins,
			WasmGatewayProperties properties, ConfigurableEnvironment environment) {
		return new WasmServiceRegistry(engine, plugins, PluginDefinitions.services(properties, environment));
	}

	@Bean
	WasmPluginRefreshListener wasmPluginRefreshListener(WasmPluginRegistry registry, WasmServiceRegistry services,
			ConfigurableEnvironment environment) {
		return new WasmPluginRefreshListener(registry, services, environment);
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
	PluginFileWatcher wasmPluginFileWatcher(WasmPluginRegistry registry, WasmServiceRegistry services,
			WasmGatewayProperties properties) {
		return new PluginFileWatcher(registry, services, properties.getReload().getPollInterval(),
				properties.getReload().getQuietPeriod());
	}

	@Bean
	@ConditionalOnMissingBean
	PluginTrailers wasmPluginTrailers() {
		return new PluginTrailers();
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
