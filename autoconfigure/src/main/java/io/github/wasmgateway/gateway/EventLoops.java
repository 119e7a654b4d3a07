package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.host.WorkerExecutors;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import java.util.function.Supplier;
import reactor.core.Disposable;
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
		catch (IllegalArgumentException | IllegalStateException ex) {
			// not a request Reactor Netty serves (a mock exchange, say)
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

	/**
	 * Runs work on one event loop (the VM's thread), inline when already on it; off Netty
	 * (mock exchanges) everything runs where it is called and timers run on Reactor's
	 * parallel scheduler.
	 */
	static final class VmThread {

		private final EventLoop loop;

		private final Scheduler scheduler;

		private VmThread(EventLoop loop) {
			this.loop = loop;
			this.scheduler = (loop != null) ? Schedulers.fromExecutor(loop) : null;
		}

		/** Whether the caller is on this thread (always, off Netty). */
		boolean isCurrent() {
			return this.loop == null || this.loop.inEventLoop();
		}

		/** Subscribes to what {@code work} makes on this thread. */
		<T> Mono<T> onThread(Supplier<Mono<T>> work) {
			return isCurrent() ? work.get() : Mono.defer(work).subscribeOn(this.scheduler);
		}

		/** Runs {@code work} now if on this thread, else as its next task. */
		void run(Runnable work) {
			if (isCurrent()) {
				work.run();
			}
			else {
				this.loop.execute(work);
			}
		}

		/** Runs {@code work} on this thread after {@code delay}; dispose to cancel. */
		Disposable schedule(Runnable work, Duration delay) {
			if (this.loop == null) {
				return Schedulers.parallel().schedule(work, delay.toNanos(), TimeUnit.NANOSECONDS);
			}
			ScheduledFuture<?> future = this.loop.schedule(work, delay.toNanos(), TimeUnit.NANOSECONDS);
			return () -> future.cancel(false);
		}

	}

}
