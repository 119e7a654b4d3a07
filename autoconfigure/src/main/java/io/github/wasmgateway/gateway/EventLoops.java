package io.github.wasmgateway.gateway;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The Netty event loops requests run on: a VM belongs to one, and work for it (later
 * phases, callout replies, ticks) is handed back to it.
 */
final class EventLoops {

	private static final Map<EventLoop, Scheduler> SCHEDULERS = new ConcurrentHashMap<>();

	private EventLoops() {
	}

	/** The event loop of the request's channel, or null off Netty (mock exchanges). */
	static EventLoop of(ServerHttpRequest request) {
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			return (nativeRequest instanceof Connection connection) ? connection.channel().eventLoop() : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static Scheduler scheduler(EventLoop loop) {
		return SCHEDULERS.computeIfAbsent(loop, Schedulers::fromExecutor);
	}

	/**
	 * The engine's way back onto a worker: the calling event loop, or direct off Netty.
	 */
	static WorkerExecutors workers() {
		return () -> {
			EventExecutor current = ThreadExecutorMap.currentExecutor();
			return (current != null) ? current : (Executor) Runnable::run;
		};
	}

}
