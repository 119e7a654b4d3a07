package io.github.wasmgateway.gateway;

import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * Upstream connections pooled per event loop, as Envoy keeps connection pools per worker:
 * a request takes an upstream connection that lives on its own event loop, so the
 * upstream's answer arrives on the thread that owns the request (and its plugin VMs)
 * instead of being handed over from another loop. Requests made off an event loop use one
 * shared pool.
 */
public final class EventLoopConnectionPools implements ConnectionProvider {

	private final Supplier<ConnectionProvider> newPool;

	private final ConnectionProvider shared;

	private final Map<EventExecutor, ConnectionProvider> pools = new ConcurrentHashMap<>();

	public EventLoopConnectionPools(Supplier<ConnectionProvider> newPool) {
		this.newPool = newPool;
		this.shared = newPool.get();
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
		return Mono.defer(() -> pool().acquire(config, observer, remoteAddress, resolverGroup));
	}

	private ConnectionProvider pool() {
		EventExecutor loop = ThreadExecutorMap.currentExecutor();
		return (loop != null) ? this.pools.computeIfAbsent(loop, (key) -> this.newPool.get()) : this.shared;
	}

	@Override
	public void disposeWhen(SocketAddress address) {
		this.shared.disposeWhen(address);
		this.pools.values().forEach((pool) -> pool.disposeWhen(address));
	}

	@Override
	public Mono<Void> disposeLater() {
		List<Mono<Void>> all = new ArrayList<>();
		all.add(this.shared.disposeLater());
		this.pools.values().forEach((pool) -> all.add(pool.disposeLater()));
		return Mono.when(all);
	}

	@Override
	public int maxConnections() {
		return this.shared.maxConnections();
	}

	@Override
	public String name() {
		return this.shared.name();
	}

}
