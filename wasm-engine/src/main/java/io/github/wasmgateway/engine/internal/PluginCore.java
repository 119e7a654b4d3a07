package io.github.wasmgateway.engine.internal;

import io.github.wasmgateway.engine.AbiProfile;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.abi.HostFunctions;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.MetricsSink;
import io.github.wasmgateway.engine.host.PluginLogger;
import io.github.wasmgateway.engine.host.SharedDataStore;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What every VM of one plugin shares: its code, settings, host services and the list of
 * configurations (one root context each, in every VM).
 */
public final class PluginCore {

	private static final long LOG_PERIOD_NANOS = 1_000_000_000L;

	final String name;

	final String rootId;

	final String vmId;

	final byte[] vmConfiguration;

	final long memoryLimitBytes;

	final long callTimeoutNanos;

	final long startTimeoutNanos;

	final LoadedModule module;

	final AbiProfile profile;

	final HostServices services;

	final PluginLogger logger;

	final SharedDataStore sharedData;

	final CallWatchdog watchdog;

	final Consumer<PluginFailure> failures;

	final java.util.Map<String, String> wasiEnvironment;

	final java.util.List<String> wasiArguments;

	/**
	 * Whether the module imports WASI: a VM of one that does not (the AssemblyScript
	 * plugins) builds no WASI instance, its streams and random source.
	 */
	final boolean importsWasi;

	/**
	 * Failures of this plugin's calls and of host services serving it: about a line a
	 * second each.
	 */
	final LogThrottle failureLog;

	final LogThrottle hostFailureLog;

	private final AtomicInteger vmIds = new AtomicInteger();

	/** The plugin-defined metrics this version retains, until it releases them. */
	private final Set<Integer> metricIds = new HashSet<>();

	private boolean metricsReleased;

	/** CPU time of all guest calls of every VM, closed ones included (sampled). */
	final LongAdder cpuNanos = new LongAdder();

	/** Configurations by index; copy-on-write so VMs read it without a lock. */
	private volatile byte[][] configurations = new byte[0][];

	public PluginCore(String name, String rootId, String vmId, byte[] vmConfiguration, long memoryLimitBytes,
			long callTimeoutNanos, long startTimeoutNanos, LoadedModule module, AbiProfile profile,
			HostServices services, CallWatchdog watchdog, Consumer<PluginFailure> failures,
			java.util.Map<String, String> wasiEnvironment, java.util.List<String> wasiArguments) {
		this.name = name;
		this.rootId = rootId;
		this.vmId = vmId;
		this.vmConfiguration = vmConfiguration;
		this.memoryLimitBytes = memoryLimitBytes;
		this.callTimeoutNanos = callTimeoutNanos;
		this.startTimeoutNanos = startTimeoutNanos;
		this.module = module;
		this.profile = profile;
		this.services = services;
		this.logger = services.logger(name);
		// shared data is scoped by vm_id, as in proxy-wasm-cpp-host (SharedData keyed by
		// vm_id, src/shared_data.cc): plugins of one vm_id share one store
		this.sharedData = services.sharedData(vmId);
		this.watchdog = watchdog;
		this.failures = failures;
		this.wasiEnvironment = wasiEnvironment;
		this.wasiArguments = wasiArguments;
		this.importsWasi = HostFunctions.importsWasi(module.module());
		this.failureLog = new LogThrottle(services.clock(), LOG_PERIOD_NANOS);
		this.hostFailureLog = new LogThrottle(services.clock(), LOG_PERIOD_NANOS);
	}

	public String name() {
		return this.name;
	}

	/**
	 * {@code proxy_define_metric}: defines (or finds) the metric in the host's sink, and
	 * retains it for this version of the plugin.
	 */
	public int defineMetric(MetricsSink.MetricType type, String metricName) {
		MetricsSink sink = this.services.metrics();
		int id = sink.define(this.name, type, metricName);
		if (id > 0) {
			// rare (SDKs define once per name), so a lock keeps retain and release paired
			synchronized (this.metricIds) {
				if (!this.metricsReleased && this.metricIds.add(id)) {
					sink.retain(id);
				}
			}
		}
		return id;
	}

	/**
	 * This version no longer serves (retired or closed): the sink may drop the metrics no
	 * other version retains. Once only.
	 */
	public void releaseMetrics() {
		synchronized (this.metricIds) {
			if (this.metricsReleased) {
				return;
			}
			this.metricsReleased = true;
			this.metricIds.forEach(this.services.metrics()::release);
		}
	}

	/** CPU time of the plugin's guest calls so far, every VM (sampled). */
	public long cpuNanos() {
		return this.cpuNanos.sum();
	}

	public String rootId() {
		return this.rootId;
	}

	public String vmId() {
		return this.vmId;
	}

	/** The VM configuration; callers must not change it. */
	public byte[] vmConfiguration() {
		return this.vmConfiguration;
	}

	public HostServices services() {
		return this.services;
	}

	public PluginLogger logger() {
		return this.logger;
	}

	public SharedDataStore sharedData() {
		return this.sharedData;
	}

	public AbiProfile profile() {
		return this.profile;
	}

	public LoadedModule module() {
		return this.module;
	}

	/** The index of {@code configuration}, adding it if it is new. */
	public synchronized int indexOf(byte[] configuration) {
		byte[][] current = this.configurations;
		for (int i = 0; i < current.length; i++) {
			if (Arrays.equals(current[i], configuration)) {
				return i;
			}
		}
		byte[][] next = Arrays.copyOf(current, current.length + 1);
		next[current.length] = configuration.clone();
		this.configurations = next;
		return current.length;
	}

	byte[] configuration(int index) {
		return this.configurations[index];
	}

	/** Wall-clock time from the host clock, for failure records. */
	public java.time.Instant now() {
		return java.time.Instant.ofEpochSecond(0, this.services.clock().epochNanos());
	}

	int nextVmId() {
		return this.vmIds.incrementAndGet();
	}

}
