package io.github.wasmgateway.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo gateway: routes in application.yml run proxy-wasm plugins in front of the
 * demo's own echo upstream ({@link EchoServer}).
 */
@SpringBootApplication
public class DemoGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoGatewayApplication.class, args);
	}

}
