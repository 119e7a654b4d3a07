package io.github.wasmgateway.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the Redis deployments plugins use: each one plugins initialized (by its URL,
 * without credentials) with its connection's state and, when its last call failed, why
 * and since when; and the shared-data store with its local copy. DOWN when any of them is
 * not connected; UP when all are, or when plugins use none yet. Plugins' calls fail fast
 * while a deployment is down and recover by themselves when it is back.
 */
public class WasmRedisHealthIndicator implements HealthIndicator {

	private final RedisEndpoints endpoints;

	private final RedisSharedDataStore sharedData;

	WasmRedisHealthIndicator(RedisEndpoints endpoints, RedisSharedDataStore sharedData) {
		this.endpoints = endpoints;
		this.sharedData = sharedData;
	}

	@Override
	public Health health() {
		boolean up = true;
		Map<String, Object> details = new LinkedHashMap<>();
		for (RedisEndpoint endpoint : this.endpoints.endpoints()) {
			Map<String, Object> deployment = new LinkedHashMap<>();
			deployment.put("status", endpoint.isUp() ? "UP" : "DOWN");
			deployment.putAll(endpoint.health());
			details.put(endpoint.target().toString(), deployment);
			up &= endpoint.isUp();
		}
		if (this.sharedData != null) {
			Map<String, Object> store = new LinkedHashMap<>();
			store.put("status", this.sharedData.isUp() ? "UP" : "DOWN");
			store.put("redis", this.sharedData.target().toString());
			store.put("connection", this.sharedData.state());
			RedisSharedDataStore.Statistics statistics = this.sharedData.statistics();
			store.put("localReads", statistics.localReads());
			store.put("readsFromRedis", statistics.reads().count());
			store.put("writes", statistics.writes().count());
			store.put("failures", statistics.failures());
			details.put("shared-data", store);
			up &= this.sharedData.isUp();
		}
		return (up ? Health.up() : Health.down()).withDetails(details).build();
	}

}
