package io.github.wasmgateway.gateway;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway whose route {@code /ex/**} runs the exerciser plugin in front of an echo
 * upstream of the test's own; subclasses add {@code @SpringBootTest} with {@link #ROUTE}
 * and their own properties.
 */
public abstract class ExerciserGatewayTests {

	/** The plugin and its route, as {@code @SpringBootTest} properties. */
	public static final String ROUTE = "wasm-gateway.plugins.exerciser.location=classpath:fixtures/exerciser.wasm\n"
			+ "spring.cloud.gateway.server.webflux.routes[0].id=ex\n"
			+ "spring.cloud.gateway.server.webflux.routes[0].uri=${test.upstream}\n"
			+ "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/ex/**\n"
			+ "spring.cloud.gateway.server.webflux.routes[0].filters[0]=WasmPlugin=exerciser";

	/**
	 * One for every subclass (their contexts are cached together), closed with the JVM.
	 */
	static final EchoUpstream upstream = new EchoUpstream();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(upstream::close));
	}

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
	}

}
