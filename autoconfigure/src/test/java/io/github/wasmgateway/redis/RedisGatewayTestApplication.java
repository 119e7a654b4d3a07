package io.github.wasmgateway.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway of the Redis tests: everything from auto-configuration and a profile's YAML.
 * Tests start several, as several gateway instances sharing one Redis.
 */
@SpringBootApplication
public class RedisGatewayTestApplication {

	/** A running gateway instance. */
	record Gateway(ConfigurableApplicationContext context) implements AutoCloseable {

		int port() {
			return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
		}

		String url() {
			return "http://127.0.0.1:" + port();
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/** Starts a gateway on a free port with {@code profile} and extra properties. */
	static Gateway start(String profile, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("server.port", "0");
		all.put("server.address", "127.0.0.1");
		return new Gateway(new SpringApplicationBuilder(RedisGatewayTestApplication.class).profiles(profile)
			.properties(all)
			.run());
	}

}
