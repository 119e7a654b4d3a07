package io.github.wasmgateway.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.InMemoryMetrics;
import io.github.wasmgateway.engine.host.MetricsSink;
import io.github.wasmgateway.gateway.PluginCallObservations;
import io.github.wasmgateway.gateway.WasmPluginGatewayFilterFactory;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/**
 * The auto-configuration's switches and optional parts.
 */
class WasmGatewayAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WasmGatewayAutoConfiguration.class))
		.withPropertyValues("wasm-gateway.compile-cache=");

	/** With Spring Boot's observation registry, which takes the handler beans. */
	private final ReactiveWebApplicationContextRunner observed = this.runner
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class));

	@Test
	void runWhenNothingIsConfiguredShouldProvideTheFilterFactoryWithNoPlugins() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(WasmEngine.class).hasSingleBean(WasmPluginGatewayFilterFactory.class);
			assertThat(context.getBean(WasmPluginRegistry.class).plugins()).isEmpty();
		});
	}

	@Test
	void runWhenDisabledShouldBackOff() {
		this.runner.withPropertyValues("wasm-gateway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WasmEngine.class)
				.doesNotHaveBean(WasmPluginGatewayFilterFactory.class));
	}

	@Test
	void runWhenAPluginIsConfiguredShouldLoadItAtStartup() {
		this.runner.withPropertyValues("wasm-gateway.plugins.as.location=classpath:fixtures/as-plugin.wasm")
			.run((context) -> assertThat(context.getBean(WasmPluginRegistry.class).plugin("as")).isNotNull());
	}

	@Test
	void runWhenTwoPluginsNameOneVmIdShouldGiveThemThatVmIdAndOthersTheirName() {
		this.runner
			.withPropertyValues("wasm-gateway.plugins.producer.location=classpath:fixtures/as-plugin.wasm",
					"wasm-gateway.plugins.producer.vm-id=pipeline",
					"wasm-gateway.plugins.consumer.location=classpath:fixtures/as-plugin.wasm",
					"wasm-gateway.plugins.consumer.vm-id=pipeline",
					"wasm-gateway.plugins.alone.location=classpath:fixtures/as-plugin.wasm")
			.run((context) -> {
				WasmPluginRegistry registry = context.getBean(WasmPluginRegistry.class);
				assertThat(registry.plugin("producer").definition().settings().vmId()).isEqualTo("pipeline");
				assertThat(registry.plugin("consumer").definition().settings().vmId()).isEqualTo("pipeline");
				assertThat(registry.plugin("alone").definition().settings().vmId()).isEqualTo("alone");
			});
	}

	@Test
	void runWhenNoCallTimeoutIsSetShouldGiveCompiledCodeHalfASecondAndTheInterpreterFive() {
		this.runner
			.withPropertyValues("wasm-gateway.plugins.compiled.location=classpath:fixtures/as-plugin.wasm",
					"wasm-gateway.plugins.interpreted.location=classpath:fixtures/as-plugin.wasm",
					"wasm-gateway.plugins.interpreted.mode=interpreter",
					"wasm-gateway.plugins.set.location=classpath:fixtures/as-plugin.wasm",
					"wasm-gateway.plugins.set.call-timeout=80ms", "wasm-gateway.plugins.set.start-timeout=5s")
			.run((context) -> {
				WasmPluginRegistry registry = context.getBean(WasmPluginRegistry.class);
				assertThat(registry.plugin("compiled").definition().settings().callTimeout(ExecutionMode.AOT))
					.isEqualTo(Duration.ofMillis(500));
				assertThat(
						registry.plugin("interpreted").definition().settings().callTimeout(ExecutionMode.INTERPRETER))
					.isEqualTo(Duration.ofSeconds(5));
				assertThat(registry.plugin("set").definition().settings().callTimeout(ExecutionMode.AOT))
					.isEqualTo(Duration.ofMillis(80));
				assertThat(registry.plugin("set").definition().settings().startTimeout())
					.isEqualTo(Duration.ofSeconds(5));
				assertThat(registry.plugin("compiled").definition().settings().startTimeout())
					.isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void runWhenAPluginsDirectoryIsConfiguredShouldReadPluginsWithoutALocationFromIt(@TempDir Path directory)
			throws Exception {
		try (InputStream in = getClass().getResourceAsStream("/fixtures/as-plugin.wasm")) {
			Files.write(directory.resolve("from-dir.wasm"), in.readAllBytes());
		}
		this.runner
			.withPropertyValues("wasm-gateway.plugins-directory=" + directory,
					"wasm-gateway.plugins.from-dir.failure-policy=fail-open")
			.run((context) -> assertThat(
					context.getBean(WasmPluginRegistry.class).plugin("from-dir").definition().location())
				.isEqualTo("file:" + directory.resolve("from-dir.wasm").toAbsolutePath()));
	}

	@Test
	void runWhenMicrometerIsPresentShouldRecordPluginMetricsAsMeters() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context.getBean(MetricsSink.class))
				.isInstanceOf(MicrometerPluginMetrics.class));
	}

	@Test
	void runWhenMicrometerIsAbsentShouldKeepPluginMetricsInMemory() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(WasmEngine.class);
			assertThat(context).doesNotHaveBean(MetricsSink.class);
		});
	}

	@Test
	void runWhenNoRegistryIsDefinedShouldKeepPluginMetricsInMemory() {
		this.runner
			.run((context) -> assertThat(context.getBean(MetricsSink.class)).isInstanceOf(InMemoryMetrics.class));
	}

	@Test
	void runWithoutAnObservationRegistryShouldNotObservePluginCalls() {
		this.runner.run((context) -> assertThat(context.getBean(PluginCallObservations.class))
			.isSameAs(PluginCallObservations.NONE));
	}

	@Test
	void runWhenOnlyMetersHandleObservationsShouldNotObservePluginCalls() {
		// the plugins' meters time every call already: no observation per call for them
		this.observed.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(DefaultMeterObservationHandler.class,
					() -> new DefaultMeterObservationHandler(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context.getBean(PluginCallObservations.class))
				.isSameAs(PluginCallObservations.NONE));
	}

	@Test
	void runWhenATracerHandlesObservationsShouldObservePluginCalls() {
		this.observed.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(DefaultMeterObservationHandler.class,
					() -> new DefaultMeterObservationHandler(new SimpleMeterRegistry()))
			.withBean(DefaultTracingObservationHandler.class,
					() -> new DefaultTracingObservationHandler(new SimpleTracer()))
			.run((context) -> assertThat(context.getBean(PluginCallObservations.class))
				.isNotSameAs(PluginCallObservations.NONE));
	}

	@Test
	void runWhenObservationsAreDisabledShouldNotObservePluginCallsEvenWithATracer() {
		this.observed.withPropertyValues("wasm-gateway.observations.enabled=false")
			.withBean(DefaultTracingObservationHandler.class,
					() -> new DefaultTracingObservationHandler(new SimpleTracer()))
			.run((context) -> assertThat(context.getBean(PluginCallObservations.class))
				.isSameAs(PluginCallObservations.NONE));
	}

}
