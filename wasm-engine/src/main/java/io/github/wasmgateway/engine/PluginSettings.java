package io.github.wasmgateway.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one plugin runs: its name, root id, VM configuration, limits and WASI capabilities.
 * Immutable; build with {@link #builder(String)}.
 */
public final class PluginSettings {

	/**
	 * The call deadline of compiled code (AOT, precompiled) when none is set: about three
	 * times the slowest call of the built-in plugins measured on a loaded machine
	 * (docs/engine.md, "Deadlines").
	 */
	public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMillis(500);

	/**
	 * The call deadline in the interpreter when none is set: the same calls run 50-500
	 * times slower there (docs/engine.md, "Deadlines").
	 */
	public static final Duration DEFAULT_INTERPRETED_CALL_TIMEOUT = Duration.ofSeconds(5);

	/** See {@link #startTimeout()}. */
	public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

	private final String name;

	private final String rootId;

	private final String vmId;

	private final byte[] vmConfiguration;

	private final long memoryLimitBytes;

	private final Duration callTimeout;

	private final Duration startTimeout;

	private final Duration rebuildBackoff;

	private final long rebuildMemoryThresholdBytes;

	private final Map<String, String> wasiEnvironment;

	private final List<String> wasiArguments;

	private PluginSettings(Builder builder) {
		this.name = builder.name;
		this.rootId = builder.rootId;
		this.vmId = (builder.vmId != null) ? builder.vmId : builder.name;
		this.vmConfiguration = builder.vmConfiguration;
		this.memoryLimitBytes = builder.memoryLimitBytes;
		this.callTimeout = builder.callTimeout;
		this.startTimeout = builder.startTimeout;
		this.rebuildBackoff = builder.rebuildBackoff;
		this.rebuildMemoryThresholdBytes = builder.rebuildMemoryThresholdBytes;
		this.wasiEnvironment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.wasiEnvironment));
		this.wasiArguments = List.copyOf(builder.wasiArguments);
	}

	public static Builder builder(String name) {
		return new Builder(name);
	}

	/** The plugin's name, used in messages, logs and metrics. */
	public String name() {
		return this.name;
	}

	/**
	 * The value of the property {@code plugin_root_id} (Envoy's root_id); default empty.
	 */
	public String rootId() {
		return this.rootId;
	}

	/**
	 * The vm_id ({@code plugin_vm_id}): the scope of shared data and shared queues, as in
	 * Envoy; plugins with one vm_id share both. Default: the plugin's name.
	 */
	public String vmId() {
		return this.vmId;
	}

	public byte[] vmConfiguration() {
		return this.vmConfiguration.clone();
	}

	byte[] vmConfigurationUnsafe() {
		return this.vmConfiguration;
	}

	/** Cap on each VM's linear memory; 0 keeps the module's own maximum. */
	public long memoryLimitBytes() {
		return this.memoryLimitBytes;
	}

	/**
	 * Deadline of one call into the plugin while it serves (a stream's callbacks, ticks,
	 * replies): a plugin that loops holds its worker, and every other connection on it,
	 * at most this long. When none is set: {@link #DEFAULT_CALL_TIMEOUT}, or
	 * {@link #DEFAULT_INTERPRETED_CALL_TIMEOUT} for a plugin the interpreter runs.
	 */
	public Duration callTimeout(ExecutionMode mode) {
		if (this.callTimeout != null) {
			return this.callTimeout;
		}
		return (mode == ExecutionMode.INTERPRETER) ? DEFAULT_INTERPRETED_CALL_TIMEOUT : DEFAULT_CALL_TIMEOUT;
	}

	/**
	 * Deadline of one start-up call: the start-up export ({@code _initialize},
	 * {@code main}, {@code _start}), and a root context's
	 * {@code proxy_on_context_create}, {@code proxy_on_vm_start} and
	 * {@code proxy_on_configure}.
	 */
	public Duration startTimeout() {
		return this.startTimeout;
	}

	/** Least time between two rebuilds of a failed VM on one worker. */
	public Duration rebuildBackoff() {
		return this.rebuildBackoff;
	}

	/** Linear memory past which a VM is rebuilt once its streams end; 0 is off. */
	public long rebuildMemoryThresholdBytes() {
		return this.rebuildMemoryThresholdBytes;
	}

	public Map<String, String> wasiEnvironment() {
		return this.wasiEnvironment;
	}

	public List<String> wasiArguments() {
		return this.wasiArguments;
	}

	/** Same settings: a plugin built with either would behave the same. */
	@Override
	public boolean equals(Object other) {
		return other instanceof PluginSettings that && this.name.equals(that.name) && this.rootId.equals(that.rootId)
				&& this.vmId.equals(that.vmId) && java.util.Arrays.equals(this.vmConfiguration, that.vmConfiguration)
				&& this.memoryLimitBytes == that.memoryLimitBytes && Objects.equals(this.callTimeout, that.callTimeout)
				&& this.startTimeout.equals(that.startTimeout) && this.rebuildBackoff.equals(that.rebuildBackoff)
				&& this.rebuildMemoryThresholdBytes == that.rebuildMemoryThresholdBytes
				&& this.wasiEnvironment.equals(that.wasiEnvironment) && this.wasiArguments.equals(that.wasiArguments);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode() * 31 + java.util.Arrays.hashCode(this.vmConfiguration);
	}

	public static final class Builder {

		private final String name;

		private String rootId = "";

		private String vmId;

		private byte[] vmConfiguration = new byte[0];

		private long memoryLimitBytes = 64L * 1024 * 1024;

		private Duration callTimeout;

		private Duration startTimeout = DEFAULT_START_TIMEOUT;

		private Duration rebuildBackoff = Duration.ofSeconds(1);

		private long rebuildMemoryThresholdBytes;

		private final Map<String, String> wasiEnvironment = new LinkedHashMap<>();

		private List<String> wasiArguments = List.of();

		private Builder(String name) {
			this.name = Objects.requireNonNull(name, "name");
		}

		public Builder withRootId(String rootId) {
			this.rootId = Objects.requireNonNullElse(rootId, "");
			return this;
		}

		public Builder withVmId(String vmId) {
			this.vmId = vmId;
			return this;
		}

		public Builder withVmConfiguration(byte[] vmConfiguration) {
			this.vmConfiguration = (vmConfiguration != null) ? vmConfiguration.clone() : new byte[0];
			return this;
		}

		public Builder withVmConfiguration(String vmConfiguration) {
			return withVmConfiguration(
					(vmConfiguration != null) ? vmConfiguration.getBytes(StandardCharsets.UTF_8) : new byte[0]);
		}

		public Builder withMemoryLimitBytes(long memoryLimitBytes) {
			this.memoryLimitBytes = memoryLimitBytes;
			return this;
		}

		/** The call deadline; null: the default of the plugin's execution mode. */
		public Builder withCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
			return this;
		}

		/** Whether a call deadline was set (harnesses give theirs only when none was). */
		boolean hasCallTimeout() {
			return this.callTimeout != null;
		}

		public Builder withStartTimeout(Duration startTimeout) {
			this.startTimeout = Objects.requireNonNull(startTimeout);
			return this;
		}

		public Builder withRebuildBackoff(Duration rebuildBackoff) {
			this.rebuildBackoff = Objects.requireNonNull(rebuildBackoff);
			return this;
		}

		public Builder withRebuildMemoryThresholdBytes(long bytes) {
			this.rebuildMemoryThresholdBytes = bytes;
			return this;
		}

		public Builder withWasiEnvironment(String name, String value) {
			this.wasiEnvironment.put(name, value);
			return this;
		}

		public Builder withWasiArguments(List<String> arguments) {
			this.wasiArguments = List.copyOf(arguments);
			return this;
		}

		public PluginSettings build() {
			return new PluginSettings(this);
		}

	}

}
