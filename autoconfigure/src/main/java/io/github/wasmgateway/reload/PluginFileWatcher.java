package io.github.wasmgateway.reload;

import io.github.wasmgateway.gateway.PluginHandle;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import io.github.wasmgateway.service.ServiceHandle;
import io.github.wasmgateway.service.WasmServiceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches every plugin and service plugin whose location is a {@code file:} and reloads
 * it when it changed: a poll every {@code pollInterval}, and a change is acted on only
 * after the file stayed the same for {@code quietPeriod}, so a half-written file is never
 * loaded (as Spring Boot devtools' file watcher does). The reload itself (build, check,
 * swap) runs on this watcher's thread, off the request path.
 */
public class PluginFileWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PluginFileWatcher.class);

	private static final String SERVICE = "service:";

	private final WasmPluginRegistry registry;

	private final WasmServiceRegistry services;

	private final Duration pollInterval;

	private final Duration quietPeriod;

	/** What is watched, by plugin name or "service:" and the service's name. */
	private final Map<String, Watched> files = new ConcurrentHashMap<>();

	private final Map<String, Snapshot> seen = new ConcurrentHashMap<>();

	private volatile boolean started;

	private volatile Thread thread;

	public PluginFileWatcher(WasmPluginRegistry registry, WasmServiceRegistry services, Duration pollInterval,
			Duration quietPeriod) {
		this.registry = registry;
		this.services = services;
		this.pollInterval = pollInterval;
		this.quietPeriod = quietPeriod;
		registry.plugins().values().forEach(this::follow);
		registry.addListener(new WasmPluginRegistry.Listener() {

			@Override
			public void added(PluginHandle plugin) {
				follow(plugin);
			}

			@Override
			public void removed(PluginHandle plugin) {
				forget(plugin.name());
			}

		});
		services.services().values().forEach(this::follow);
		services.addListener(new WasmServiceRegistry.Listener() {

			@Override
			public void added(ServiceHandle service) {
				follow(service);
			}

			@Override
			public void removed(ServiceHandle service) {
				forget(SERVICE + service.name());
			}

		});
	}

	private void follow(PluginHandle plugin) {
		follow(plugin.name(), plugin.definition().location(), () -> this.registry.reload(plugin.name(), false));
	}

	private void follow(ServiceHandle service) {
		follow(SERVICE + service.name(), service.definition().location(),
				() -> this.services.reload(service.name(), false));
	}

	private void follow(String key, String location, Runnable reload) {
		if (location != null && location.startsWith("file:")) {
			Path file = Path.of(location.substring("file:".length()));
			this.seen.put(key, Snapshot.of(file, 0));
			this.files.put(key, new Watched(file, reload));
			if (this.started) {
				startThread();
			}
		}
	}

	private void forget(String key) {
		this.files.remove(key);
		this.seen.remove(key);
	}

	@Override
	public void start() {
		this.started = true;
		startThread();
	}

	private synchronized void startThread() {
		if (this.files.isEmpty() || this.thread != null) {
			return;
		}
		Thread watcher = new Thread(this::watch, "wasm-plugin-watcher");
		watcher.setDaemon(true);
		this.thread = watcher;
		watcher.start();
	}

	private void watch() {
		while (this.thread == Thread.currentThread()) {
			try {
				Thread.sleep(this.pollInterval.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			poll(System.nanoTime());
		}
	}

	/** One look at every file; reloads those that changed and then stayed quiet. */
	void poll(long now) {
		this.files.forEach((name, watched) -> {
			Snapshot previous = this.seen.get(name);
			Snapshot current = Snapshot.of(watched.file(), now);
			if (!current.sameFile(previous)) {
				this.seen.put(name, current.awaitingQuiet());
				return;
			}
			if (previous.pending && now - previous.changedAt >= this.quietPeriod.toNanos()) {
				this.seen.put(name, previous.settled());
				try {
					watched.reload().run();
				}
				catch (RuntimeException ex) {
					logger.error("Reload of wasm plugin '" + name + "' failed", ex);
				}
			}
		});
	}

	@Override
	public void stop() {
		this.started = false;
		Thread watcher = this.thread;
		this.thread = null;
		if (watcher != null) {
			watcher.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	/** A watched file and how to reload what it holds. */
	private record Watched(Path file, Runnable reload) {
	}

	/**
	 * Size and modification time of a file when last seen, and whether a change is
	 * waiting to settle.
	 */
	private record Snapshot(long size, long modified, long changedAt, boolean pending) {

		static Snapshot of(Path file, long now) {
			try {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				return new Snapshot(attributes.size(), attributes.lastModifiedTime().toMillis(), now, false);
			}
			catch (IOException ex) {
				return new Snapshot(-1, -1, now, false);
			}
		}

		boolean sameFile(Snapshot other) {
			return other != null && other.size == this.size && other.modified == this.modified;
		}

		Snapshot awaitingQuiet() {
			return new Snapshot(this.size, this.modified, this.changedAt, true);
		}

		Snapshot settled() {
			return new Snapshot(this.size, this.modified, this.changedAt, false);
		}

	}

}
