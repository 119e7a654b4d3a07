package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.gateway.WasmPluginRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;

/**
 * A gateway without Spring Boot Actuator: says once at start-up that the
 * {@code wasmplugins} endpoint and the plugins' health are not served, and what to add.
 * The starter keeps actuator optional, as Spring Cloud Gateway's starter does
 * (starter/README.md says why), so without this line they would be missing silently.
 */
@AutoConfiguration(after = WasmGatewayAutoConfiguration.class)
@ConditionalOnMissingClass("org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(WasmPluginRegistry.class)
public final class WasmGatewayWithoutActuatorAutoConfiguration {

	static final String MESSAGE = "The wasmplugins endpoint and the wasm plugins' health are unavailable: "
			+ "Spring Boot Actuator is not on the class path. Add org.springframework.boot:spring-boot-starter-actuator "
			+ "and expose them (management.endpoints.web.exposure.include=health,wasmplugins) to have them.";

	private static final Log logger = LogFactory.getLog(WasmGatewayWithoutActuatorAutoConfiguration.class);

	@Bean
	static SmartInitializingSingleton wasmGatewayActuatorAbsentNotice() {
		return () -> logger.info(MESSAGE);
	}

}
