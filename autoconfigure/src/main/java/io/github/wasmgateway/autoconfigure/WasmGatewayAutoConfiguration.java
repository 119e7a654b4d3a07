package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.ForeignFunctions;
import io.github.wasmgateway.engine.host.GrpcClient;
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
import io.github.wasmgateway.gateway.PluginCallObservationConvention;
import io.github.wasmgateway.gateway.PluginCallObservations;
import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.PluginLimits;
import io.github.wasmgateway.gateway.PluginLoader;
import io.github.wasmgateway.gateway.PluginSource;
import io.github.wasmgateway.gateway.PluginTrailers;
import io.github.wasmgateway.gateway.ResourcePluginSource;
import io.github.wasmgateway.gateway.ResponseHookFilter;
import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.gateway.WasmPlugins;
import io.github.wasmgateway.gateway.WebClientHttpCallouts;
import io.github.wasmgateway.gateway.EventLoops;
import io.github.wasmgateway.reload.PluginFileWatcher;
import io.github.wasmgateway.source.PluginSources;
import io.github.wasmgateway.source.RemoteSourceWatcher;
import io.github.wasmgateway.service.WasmServiceRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.ClassUtils;
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

	/** Spring Boot's meter observation handler type, when Micrometer's core is there. */
	private static final Class<?> METER_HANDLER = ClassUtils.isPresent(
			"io.micrometer.core.instrument.observation.MeterObservationHandler",
			WasmGatewayAutoConfiguration.class.getClassLoader())
					? ClassUtils.resolveClassName("io.micrometer.core.instrument.observation.MeterObservationHandler",
							WasmGatewayAutoConfiguration.class.getClassLoader())
					: null;

	/** Plugin metrics as Micrometer meters, when Micrometer is there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MicrometerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(MetricsSink.class)
		MetricsSink wasmPluginMetrics(ObjectProvider<MeterRegistry> registry, WasmGatewayProperties properties) {
			MeterRegistry meters = registry.getIfAvailable();
			if (meters == null) {
				return new InMemoryMetrics();
			}
			WasmGatewayProperties.Metrics metrics = properties.getMetrics();
			List<PluginMetricNames.Rule> rules = metrics.getTags()
				.stream()
				.map((rule) -> PluginMetricNames.Rule.of(rule.getTagName(), rule.getRegex()))
				.toList();
			return new MicrometerPluginMetrics(meters, new PluginMetricNames(rules, metrics.isKeyValueTags()));
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
			ObjectProvider<MetricsSink> metrics, ObjectProvider<RedisClient> redis, ObjectProvider<GrpcClient> grpc,
			ObjectProvider<SharedDataStore> sharedData, ObjectProvider<ReactorResourceFactory> reactorResources) {
		// the server's event loops, as Reactor Netty's server runs on them
		// (HttpServer.runOn(LoopResources)): every plugin's VMs are built on each
		ReactorResourceFactory resources = reactorResources.getIfAvailable();
		HostServices.Builder services = HostServices.builder()
			.withHttpCallouts(httpCallouts)
			.withCpuSampling(properties.getMetrics().getCpuSampling())
			.withWorkers((resources != null)
					? EventLoops.workers(resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE))
					: EventLoops.workers())
			.withForeignFunctions(
					properties.isHostCrypto() ? ForeignFunctions.standard() : ForeignFunctions.withoutHostCrypto());
		metrics.ifAvailable(services::withMetrics);
		redis.ifAvailable(services::withRedis);
		grpc.ifAvailable(services::withGrpc);
		SharedDataStore shared = sharedData.getIfAvailable();
		if (shared != null) {
			services.withSharedData(shared::forPlugin);
		}
		return WasmEngine.builder()
			.withCompileCache(properties.getCompileCache())
			.withHostServices(services.build())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	PluginSources wasmPluginSources(WasmGatewayProperties properties, ObjectProvider<SslBundles> sslBundles) {
		return new PluginSources(SourceSettingsFactory.of(properties, sslBundles.getIfAvailable()));
	}

	/**
	 * Where plugins come from: the application's {@link PluginSource} beans in their
	 * order (the remote sources among them), then any location Spring's resource loader
	 * reads.
	 */
	@Bean
	@ConditionalOnMissingBean
	PluginLoader wasmPluginLoader(WasmEngine engine, ResourceLoader resourceLoader,
			ObjectProvider<PluginSource> sources, WasmGatewayProperties properties) {
		PluginLimits limits = new PluginLimits(properties.getMaxBinarySize().toBytes(),
				properties.getMaxConfigurationSize().toBytes());
		List<PluginSource> all = new ArrayList<>(sources.orderedStream().toList());
		all.add(new ResourcePluginSource(resourceLoader, limits.maxBinaryBytes()));
		return new PluginLoader(engine, resourceLoader.getClassLoader(), all, limits);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	WasmPluginRegistry wasmPluginRegistry(PluginLoader loader, WasmGatewayProperties properties,
			ConfigurableEnvironment environment) {
		return new WasmPluginRegistry(loader, PluginDefinitions.of(properties, environment));
	}

	/** Re-resolves OCI tags and re-checks https plugins; a new binary is a hot reload. */
	@Bean
	RemoteSourceWatcher wasmRemoteSourceWatcher(WasmPluginRegistry registry, WasmGatewayProperties properties) {
		return new RemoteSourceWatcher(properties.getSources().getRecheckInterval(),
				() -> registry.plugins()
					.values()
					.stream()
					.filter((plugin) -> PluginSources.isRemote(plugin.definition().location()))
					.map(PluginHandle::name)
					.toList(),
				(name) -> registry.reload(name, false));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	WasmServiceRegistry wasmServiceRegistry(WasmEngine engine, PluginLoader loader, WasmPluginRegistry plugins,
			WasmGatewayProperties properties, ConfigurableEnvironment environment) {
		return new WasmServiceRegistry(engine, loader, plugins, PluginDefinitions.services(properties, environment));
	}

	@Bean
	WasmPluginRefreshListener wasmPluginRefreshListener(WasmPluginRegistry registry, WasmServiceRegistry services,
			ConfigurableEnvironment environment) {
		return new WasmPluginRefreshListener(registry, services, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	WasmPluginGatewayFilterFactory wasmPluginGatewayFilterFactory(WasmPluginRegistry registry,
			WasmGatewayProperties properties, ObjectProvider<ExchangeObserver> observer,
			ObjectProvider<PluginCallObservations> observations) {
		return new WasmPluginGatewayFilterFactory(registry, properties.getStreamTimeout(),
				properties.getMaxBufferedBody().toBytes(), observer.getIfAvailable(() -> ExchangeObserver.NONE),
				observations.getIfAvailable(() -> PluginCallObservations.NONE));
	}

	/**
	 * Each plugin call as an observation (a span under the request's, with
	 * micrometer-tracing), when enabled and something besides Spring Boot's meter handler
	 * handles observations: the plugins' meters time every call already, so a gateway
	 * without a tracer makes no observation per plugin call.
	 */
	@Bean
	@ConditionalOnMissingBean
	PluginCallObservations wasmPluginCallObservations(WasmGatewayProperties properties,
			ObjectProvider<ObservationRegistry> registry, ObjectProvider<ObservationHandler<?>> handlers,
			ObjectProvider<PluginCallObservationConvention> convention) {
		ObservationRegistry observations = registry.getIfAvailable();
		if (!properties.getObservations().isEnabled() || observations == null || observations.isNoop()
				|| onlyMeterHandlers(handlers.orderedStream().toList())) {
			return PluginCallObservations.NONE;
		}
		return new PluginCallObservations(observations, convention.getIfAvailable());
	}

	private static boolean onlyMeterHandlers(List<ObservationHandler<?>> handlers) {
		return !handlers.isEmpty()
				&& handlers.stream().allMatch((handler) -> METER_HANDLER != null && METER_HANDLER.isInstance(handler));
	}

	/** WasmPlugin filters for routes built with the Java DSL. */
	@Bean
	@ConditionalOnMissingBean
	WasmPlugins wasmPlugins(WasmPluginGatewayFilterFactory factory) {
		return new WasmPlugins(factory);
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
