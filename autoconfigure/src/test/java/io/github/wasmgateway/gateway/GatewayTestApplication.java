package io.github.wasmgateway.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The smallest gateway: everything comes from auto-configuration and test properties.
 */
@SpringBootApplication
public class GatewayTestApplication {

}
