package io.github.wasmgateway.source;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Asks every remote plugin's source again on an interval (an OCI tag is resolved again,
 * an https binary is re-checked with its ETag) and hands each plugin to the hot-reload
 * path, which swaps it only when its sha256 changed. Runs on its own thread, off the
 * request path.
 */
public class RemoteSourceWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RemoteSourceWatcher.class);

	private final Duration interval;

	private final Supplier<Collection<String>> plugins;

	private final Consumer<String> recheck;

	private volatile ScheduledExecutorService executor;

	/**
	 * @param interval time between two re-checks
	 * @param plugins the names of the plugins with a remote location, now
	 * @param recheck reloads one plugin if its binary changed
	 */
	public RemoteSourceWatcher(Duration interval, Supplier<Collection<String>> plugins, Consumer<String> recheck) {
		this.interval = interval;
		this.plugins = plugins;
		this.recheck = recheck;
	}

	/** One re-check of every remote plugin. */
	public void recheckNow() {
		for (String name : this.plugins.get()) {
			try {
				this.recheck.accept(name);
			}
			catch (RuntimeException ex) {
				logger.error("Re-check of wasm plugin '" + name + "' failed", ex);
			}
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor != null || this.interval.isZero() || this.interval.isNegative()) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "wasm-plugin-sources");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::recheckNow, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
