package io.github.wasmgateway.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The start-up line of a gateway built on the starter alone, without actuator.
 */
@ExtendWith(OutputCaptureExtension.class)
class WasmGatewayWithoutActuatorAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WasmGatewayAutoConfiguration.class,
				WasmGatewayWithoutActuatorAutoConfiguration.class))
		.withPropertyValues("wasm-gateway.compile-cache=");

	@Test
	void runWhenActuatorIsAbsentShouldLogThatTheEndpointAndHealthAreUnavailable(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce(
					"The wasmplugins endpoint and the wasm plugins' health are unavailable: Spring Boot Actuator is not on the class path")
				.contains("spring-boot-starter-actuator");
		});
	}

	@Test
	void runWhenActuatorIsPresentShouldNotLog(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("Spring Boot Actuator is not on the class path");
		});
	}

	@Test
	void runWhenWasmGatewayIsDisabledShouldNotLog(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("wasm-gateway.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("Spring Boot Actuator is not on the class path");
			});
	}

}
