package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.host.WorkerExecutors;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The Netty event loops requests run on: a VM belongs to one, and work for it (later
 * phases, callout replies, ticks) is handed back to it.
 */
public final class EventLoops {

	/** One per event loop, made once: the request path only looks it up. */
	private static final Map<EventLoop, VmThread> THREADS = new ConcurrentHashMap<>();

	/** Off Netty (mock exchanges): everything runs where it is called. */
	private static final VmThread DIRECT = new VmThread(null);

	private EventLoops() {
	}

	/** The thread of the request's channel. */
	static VmThread threadOf(ServerHttpRequest request) {
		EventLoop loop = loopOf(request);
		return (loop != null) ? THREADS.computeIfAbsent(loop, VmThread::new) : DIRECT;
	}

	private static EventLoop loopOf(ServerHttpRequest request) {
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			return (nativeRequest instanceof Connection connection) ? connection.channel().eventLoop() : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The engine's way back onto a worker: the calling event loop, or direct off Netty.
	 */
	public static WorkerExecutors workers() {
		return () -> {
			EventExecutor current = ThreadExecutorMap.currentExecutor();
			return (current != null) ? current : (Executor) Runnable::run;
		};
	}

	/**
	 * The same, listing the server's event loops as the workers: each plugin's VMs are
	 * built and configured on every one of them before the plugin serves.
	 */
	public static WorkerExecutors workers(EventLoopGroup serverLoops) {
		List<Executor> loops = new ArrayList<>();
		serverLoops.forEach(loops::add);
		WorkerExecutors current = workers();
		return new WorkerExecutors() {

			@Override
			public Executor currentWorker() {
				return current.currentWorker();
			}

			@Override
			public List<Executor> all() {
				return loops;
			}

		};
	}

	/** Runs work on one event loop (the VM's thread), inline when already on it. */
	static final class VmThread {

		private final EventLoop loop;

		private final Scheduler scheduler;

		private VmThread(EventLoop loop) {
			this.loop = loop;
			this.scheduler = (loop != null) ? Schedulers.fromExecutor(loop) : null;
		}

		<T> Mono<T> call(Callable<T> work) {
			Mono<T> mono = Mono.fromCallable(work);
			return (this.loop == null || this.loop.inEventLoop()) ? mono : mono.subscribeOn(this.scheduler);
		}

		void run(Runnable work) {
			if (this.loop == null || this.loop.inEventLoop()) {
				work.run();
			}
			else {
				this.loop.execute(work);
			}
		}

	}

}
