package io.github.wasmgateway.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Redis deployments plugins reach, one {@link RedisEndpoint} per distinct target, on
 * Lettuce client resources of the gateway's own: their reconnect back-off stops at
 * {@code reconnectDelay}, so a Redis that comes back is used again within that time. The
 * application's customizations of Lettuce's resources (Spring Boot's
 * {@code ClientResourcesBuilderCustomizer}s: command latency metrics, tracing) apply to
 * them too.
 */
public final class RedisEndpoints implements AutoCloseable {

	private final ClientResources resources;

	private final Duration reconnectDelay;

	private final ConcurrentMap<String, RedisEndpoint> endpoints = new ConcurrentHashMap<>();

	RedisEndpoints(Duration reconnectDelay, List<Consumer<ClientResources.Builder>> customizers) {
		ClientResources.Builder builder = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(1), reconnectDelay, 2, TimeUnit.MILLISECONDS));
		customizers.forEach((customizer) -> customizer.accept(builder));
		this.resources = builder.nettyCustomizer(new SimpleStringDecoding()).build();
		this.reconnectDelay = reconnectDelay;
	}

	/** The endpoint of {@code target}, created (not yet connected) on first use. */
	RedisEndpoint endpoint(RedisTarget target) {
		return this.endpoints.computeIfAbsent(target.key(),
				(key) -> new RedisEndpoint(target, this.resources, this.reconnectDelay));
	}

	Collection<RedisEndpoint> endpoints() {
		return this.endpoints.values();
	}

	ClientResources resources() {
		return this.resources;
	}

	Duration reconnectDelay() {
		return this.reconnectDelay;
	}

	@Override
	public void close() {
		this.endpoints.values().forEach(RedisEndpoint::close);
		this.endpoints.clear();
		// a short quiet period lets the closed connections' last notifications run
		this.resources.shutdown(100, 2000, TimeUnit.MILLISECONDS);
	}

}
