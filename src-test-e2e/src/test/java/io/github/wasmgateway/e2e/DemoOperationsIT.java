package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo gateway as a newcomer runs it (README, "Try the demo gateway"):
 * {@code java -jar demo-app/target/demo.jar} from the repository root with no arguments
 * and no Redis, then the README's actuator calls on the gateway port.
 */
class DemoOperationsIT {

	static final List<String> DEMO_PLUGINS = List.of("rust-plugin", "as-plugin", "exerciser", "trapper", "key-auth",
			"basic-auth", "bot-detect", "jwt-auth", "hmac-auth", "oauth", "key-rate-limit");

	static final String ACTUATOR_JSON = "application/vnd.spring-boot.actuator.v3+json";

	static final JsonMapper json = JsonMapper.builder().build();

	static DemoGateway gateway;

	@BeforeAll
	static void start() throws Exception {
		gateway = DemoGateway.startAsTheReadmeSays();
	}

	@AfterAll
	static void stop() throws Exception {
		if (gateway != null) {
			gateway.close();
		}
	}

	static JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = gateway.get(path);
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith(ACTUATOR_JSON));
		return json.readTree(response.body());
	}

	@Test
	void healthIsUpWithThePluginsContributorAndWithoutRedis() throws Exception {
		JsonNode health = getJson("/actuator/health");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		JsonNode plugins = health.path("components").path("wasmPlugins");
		assertThat(plugins.path("status").asString()).isEqualTo("UP");
		for (String name : DEMO_PLUGINS) {
			JsonNode plugin = plugins.path("details").path(name);
			assertThat(plugin.path("status").asString()).as(name).isEqualTo("UP");
			assertThat(plugin.path("sha256").asString()).as(name).matches("[0-9a-f]{64}");
		}
		// Redis counts only where the demo has one configured (profile "redis")
		assertThat(health.path("components").has("redis")).as("redis health component").isFalse();
	}

	@Test
	void wasmpluginsListsEveryPluginWithItsVmsAndTraps() throws Exception {
		assertThat(gateway.get("/rust/hello").statusCode()).isEqualTo(200);
		assertThat(gateway.get("/trap/x", "x-trap", "1").statusCode()).isEqualTo(503);
		JsonNode plugins = getJson("/actuator/wasmplugins");
		assertThat(plugins.propertyNames()).containsAll(DEMO_PLUGINS);
		for (String name : DEMO_PLUGINS) {
			JsonNode plugin = plugins.path(name);
			assertThat(plugin.path("sha256").asString()).as(name).matches("[0-9a-f]{64}");
			assertThat(plugin.path("mode").asString()).as(name).isIn("aot", "precompiled");
			assertThat(plugin.path("routes").isEmpty()).as(name + " routes").isFalse();
			assertThat(plugin.path("vms").isArray()).as(name + " vms").isTrue();
			// measured heap besides linear memory: at least the binary's size
			assertThat(plugin.path("retainedHeapBytes").asLong()).as(name + " heap")
				.isGreaterThan(plugin.path("size").asLong());
			assertThat(plugin.path("heapToBinaryRatio").asDouble()).as(name + " ratio").isGreaterThan(1);
		}
		assertThat(plugins.path("key-auth").path("mode").asString()).isEqualTo("precompiled");
		// precompiled classes share the application's class loader: no metaspace of their
		// own
		assertThat(plugins.path("key-auth").path("metaspaceBytes").isNull()).isTrue();
		JsonNode rust = plugins.path("rust-plugin");
		assertThat(rust.path("mode").asString()).isEqualTo("aot");
		assertThat(rust.path("metaspaceBytes").asLong()).isPositive();
		assertThat(gateway.get("/actuator/prometheus").body())
			.contains("wasm_plugin_heap_retained_bytes{plugin=\"rust-plugin\"}");
		assertThat(rust.path("vms").valueStream().map((vm) -> vm.path("state").asString())).contains("READY");
		assertThat(rust.path("traps").asLong()).isZero();
		JsonNode trapper = plugins.path("trapper");
		assertThat(trapper.path("traps").asLong()).isEqualTo(1);
		assertThat(trapper.path("recentTraps").path(0).path("callback").asString())
			.isEqualTo("proxy_on_request_headers");
		assertThat(trapper.path("recentTraps").path(0).path("kind").asString()).isEqualTo("TRAP");
	}

	@Test
	void pluginMetersCountTheRequestsOfTheirRoute() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(gateway.get("/as/ok").statusCode()).isEqualTo(200);
		}
		JsonNode meter = getJson("/actuator/metrics/wasm.plugin.request.cpu?tag=route:as");
		assertThat(meter.path("baseUnit").asString()).isEqualTo("seconds");
		assertThat(statistic(meter, "COUNT")).isEqualTo(3);
		// CPU time is sampled (one call in 64 by default): three requests may measure
		// none; the wall-clock timer has every one
		JsonNode time = getJson("/actuator/metrics/wasm.plugin.request.time?tag=route:as");
		assertThat(statistic(time, "COUNT")).isEqualTo(3);
		assertThat(statistic(time, "TOTAL_TIME")).isPositive();
		assertThat(meter.path("availableTags").path(0).path("tag").asString()).isEqualTo("plugin");
		assertThat(meter.path("availableTags").path(0).path("values").path(0).asString()).isEqualTo("as-plugin");
		assertThat(gateway.get("/actuator/prometheus").body())
			.contains("wasm_plugin_request_cpu_seconds_count{plugin=\"as-plugin\",route=\"as\"} 3");
	}

	@Test
	void actuatorRequestsNeverReachAPluginRoute() throws Exception {
		double before = statistic(getJson("/actuator/metrics/wasm.plugin.request.cpu"), "COUNT");
		List<Integer> statuses = new ArrayList<>();
		for (String path : List.of("/actuator/health", "/actuator/info", "/actuator/wasmplugins",
				"/actuator/wasmplugins/as-plugin", "/actuator/metrics", "/actuator/prometheus",
				"/actuator/no-such-endpoint")) {
			statuses.add(gateway.get(path).statusCode());
		}
		assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 200, 404);
		// no plugin ran for any of them: the plugins' request count did not move
		assertThat(statistic(getJson("/actuator/metrics/wasm.plugin.request.cpu"), "COUNT")).isEqualTo(before);
	}

	static double statistic(JsonNode meter, String statistic) {
		return meter.path("measurements")
			.valueStream()
			.filter((measurement) -> measurement.path("statistic").asString().equals(statistic))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + statistic + " in " + meter))
			.path("value")
			.asDouble();
	}

}
