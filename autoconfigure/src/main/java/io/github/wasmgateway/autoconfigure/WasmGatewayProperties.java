package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.gateway.FailurePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of wasm-gateway: the plugins a gateway can run, the upstream clusters
 * they may call, and the limits of a stream.
 */
@ConfigurationProperties("wasm-gateway")
public class WasmGatewayProperties {

	/** Whether wasm-gateway is active. */
	private boolean enabled = true;

	/**
	 * Whether the gateway's upstream connections are pooled per event loop, so that an
	 * upstream's answer arrives on the thread that owns the request and its plugin VMs
	 * (no hand-over between threads). Each event loop then has its own pool with the
	 * gateway's pool settings.
	 */
	private boolean upstreamPoolPerEventLoop = true;

	public boolean isUpstreamPoolPerEventLoop() {
		return this.upstreamPoolPerEventLoop;
	}

	public void setUpstreamPoolPerEventLoop(boolean upstreamPoolPerEventLoop) {
		this.upstreamPoolPerEventLoop = upstreamPoolPerEventLoop;
	}

	/**
	 * Whether plugins may call the host crypto foreign functions (signature verification,
	 * HMAC and SHA-2 over the JDK's providers); when off, a plugin that asks for them
	 * gets NOT_FOUND and uses its own Wasm code, as it does on Envoy.
	 */
	private boolean hostCrypto = true;

	public boolean isHostCrypto() {
		return this.hostCrypto;
	}

	public void setHostCrypto(boolean hostCrypto) {
		this.hostCrypto = hostCrypto;
	}

	/**
	 * Directory where compiled plugin classes are kept across restarts (keyed by sha256
	 * and Chicory version, each entry verified before it is loaded); owner-only, refused
	 * when others can write it; empty to compile at every start.
	 */
	private Path compileCache = userCacheDirectory().resolve("compile-cache");

	/**
	 * Largest plugin binary accepted from any location (for an OCI image: also the
	 * largest layer); a larger one is refused.
	 */
	private DataSize maxBinarySize = DataSize.ofMegabytes(64);

	/**
	 * Largest plugin or VM configuration, of a plugin or of a route; a larger one is
	 * refused.
	 */
	private DataSize maxConfigurationSize = DataSize.ofMegabytes(1);

	public DataSize getMaxBinarySize() {
		return this.maxBinarySize;
	}

	public void setMaxBinarySize(DataSize maxBinarySize) {
		this.maxBinarySize = maxBinarySize;
	}

	public DataSize getMaxConfigurationSize() {
		return this.maxConfigurationSize;
	}

	public void setMaxConfigurationSize(DataSize maxConfigurationSize) {
		this.maxConfigurationSize = maxConfigurationSize;
	}

	/** Where remote plugins (https:, oci://) are fetched from, and how. */
	private final Sources sources = new Sources();

	public Sources getSources() {
		return this.sources;
	}

	/**
	 * The per-user cache directory of wasm-gateway: {@code $XDG_CACHE_HOME/wasm-gateway},
	 * else {@code ~/.cache/wasm-gateway}; never the shared temporary directory.
	 */
	static Path userCacheDirectory() {
		String xdg = System.getenv("XDG_CACHE_HOME");
		Path base = (xdg != null && !xdg.isBlank()) ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
		return base.resolve("wasm-gateway");
	}

	/**
	 * Directory of plugin binaries: a plugin declared without a location is read from
	 * {@code <directory>/<name>.wasm} (and watched for changes like any file location).
	 */
	private Path pluginsDirectory;

	public Path getPluginsDirectory() {
		return this.pluginsDirectory;
	}

	public void setPluginsDirectory(Path pluginsDirectory) {
		this.pluginsDirectory = pluginsDirectory;
	}

	/** Longest a stream may stay paused by a plugin before it is answered with 504. */
	private Duration streamTimeout = Duration.ofSeconds(30);

	/**
	 * Largest body the gateway keeps for a plugin (StopIterationAndBuffer, or headers
	 * StopAllIterationAndBuffer); beyond it the request gets 413 and the response 500, as
	 * Envoy's buffer limit.
	 */
	private DataSize maxBufferedBody = DataSize.ofMegabytes(1);

	/** Hot reload of plugins whose location is a file. */
	private final Reload reload = new Reload();

	/** What the plugins' meters measure and how their own metrics are named. */
	private final Metrics metrics = new Metrics();

	/** Observations of plugin calls: a span per call with micrometer-tracing. */
	private final Observations observations = new Observations();

	public Observations getObservations() {
		return this.observations;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Reload getReload() {
		return this.reload;
	}

	/** The plugins, by name: the name used by routes, logs and metrics. */
	private Map<String, Plugin> plugins = new LinkedHashMap<>();

	/**
	 * Upstreams plugins may call by name: proxy_http_call, and proxy_grpc_call and
	 * proxy_grpc_stream (http:// as h2c, https:// as TLS).
	 */
	private Map<String, Cluster> clusters = new LinkedHashMap<>();

	/**
	 * Service plugins, by name (Envoy's singleton WasmService): one VM for the gateway,
	 * on a thread of its own, with a root context only and no route; for background work
	 * (ticks, callouts, Redis, queue consumers). The same properties as a plugin;
	 * failure-policy does not apply (a service serves no request).
	 */
	private Map<String, Plugin> services = new LinkedHashMap<>();

	public Map<String, Plugin> getServices() {
		return this.services;
	}

	public void setServices(Map<String, Plugin> services) {
		this.services = services;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Path getCompileCache() {
		return this.compileCache;
	}

	public void setCompileCache(Path compileCache) {
		this.compileCache = compileCache;
	}

	public Duration getStreamTimeout() {
		return this.streamTimeout;
	}

	public void setStreamTimeout(Duration streamTimeout) {
		this.streamTimeout = streamTimeout;
	}

	public DataSize getMaxBufferedBody() {
		return this.maxBufferedBody;
	}

	public void setMaxBufferedBody(DataSize maxBufferedBody) {
		this.maxBufferedBody = maxBufferedBody;
	}

	public Map<String, Plugin> getPlugins() {
		return this.plugins;
	}

	public void setPlugins(Map<String, Plugin> plugins) {
		this.plugins = plugins;
	}

	public Map<String, Cluster> getClusters() {
		return this.clusters;
	}

	public void setClusters(Map<String, Cluster> clusters) {
		this.clusters = clusters;
	}

	/** How a plugin's code runs. */
	public enum Mode {

		/** Compiled to JVM bytecode at start-up (cached on disk). */
		AOT,

		/** Chicory's interpreter. */
		INTERPRETER

	}

	/** One plugin. */
	public static class Plugin {

		/**
		 * Where the binary is: file:, classpath:, https: (requires sha256),
		 * oci://registry/repository:tag or @sha256:digest, or builtin:NAME for a plugin
		 * of the wasm-gateway-plugins jar.
		 */
		private String location;

		/** Expected sha256 of the binary (hex); a mismatch refuses the plugin. */
		private String sha256;

		/**
		 * VM configuration handed to proxy_on_vm_start: a string (sent as is) or a map
		 * (sent as JSON).
		 */
		private Object vmConfiguration;

		/**
		 * Default plugin configuration handed to proxy_on_configure: a string (sent as
		 * is) or a map (sent as JSON, keys and types exactly as written).
		 */
		private Object configuration;

		/**
		 * What an exchange does when a call into the plugin fails, in any phase:
		 * fail-closed answers 503 (Envoy's wasm_fail_stream), fail-open goes on as if the
		 * plugin were not on the route.
		 */
		private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

		/** How the plugin's code runs. */
		private Mode mode = Mode.AOT;

		/** Cap on each VM's linear memory. */
		private DataSize memoryLimit = DataSize.ofMegabytes(64);

		/**
		 * Deadline of one call into the plugin while it serves: a plugin that loops holds
		 * its event loop, and every connection on it, at most this long. Empty: 500ms for
		 * compiled code (aot, built-in plugins), 5s in the interpreter.
		 */
		private Duration callTimeout;

		/**
		 * Deadline of one start-up call (start-up export, proxy_on_vm_start,
		 * proxy_on_configure).
		 */
		private Duration startTimeout = Duration.ofSeconds(30);

		public Duration getStartTimeout() {
			return this.startTimeout;
		}

		public void setStartTimeout(Duration startTimeout) {
			this.startTimeout = startTimeout;
		}

		/** Value of the plugin_root_id property (Envoy's root_id). */
		private String rootId = "";

		/**
		 * The plugin's vm_id (Envoy's vm_config.vm_id, the plugin_vm_id property): the
		 * scope of shared data and shared queues; plugins with the same vm_id share both.
		 * Empty: the plugin's name.
		 */
		private String vmId;

		public String getVmId() {
			return this.vmId;
		}

		public void setVmId(String vmId) {
			this.vmId = vmId;
		}

		/**
		 * Least time between two attempts to build a VM on a worker after one failed
		 * (instantiation, start or configuration: a crash loop); meanwhile that worker's
		 * requests get the failure policy's answer. A VM that fails while serving is
		 * replaced at once.
		 */
		private Duration rebuildBackoff = Duration.ofSeconds(1);

		/**
		 * Linear memory past which a VM is replaced by a fresh one once its streams end;
		 * empty: never.
		 */
		private DataSize rebuildMemoryThreshold;

		public DataSize getRebuildMemoryThreshold() {
			return this.rebuildMemoryThreshold;
		}

		public void setRebuildMemoryThreshold(DataSize rebuildMemoryThreshold) {
			this.rebuildMemoryThreshold = rebuildMemoryThreshold;
		}

		public Duration getRebuildBackoff() {
			return this.rebuildBackoff;
		}

		public void setRebuildBackoff(Duration rebuildBackoff) {
			this.rebuildBackoff = rebuildBackoff;
		}

		public String getLocation() {
			return this.location;
		}

		public void setLocation(String location) {
			this.location = location;
		}

		public String getSha256() {
			return this.sha256;
		}

		public void setSha256(String sha256) {
			this.sha256 = sha256;
		}

		public Object getVmConfiguration() {
			return this.vmConfiguration;
		}

		public void setVmConfiguration(Object vmConfiguration) {
			this.vmConfiguration = vmConfiguration;
		}

		public Object getConfiguration() {
			return this.configuration;
		}

		public void setConfiguration(Object configuration) {
			this.configuration = configuration;
		}

		public FailurePolicy getFailurePolicy() {
			return this.failurePolicy;
		}

		public void setFailurePolicy(FailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
		}

		public Mode getMode() {
			return this.mode;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
		}

		public DataSize getMemoryLimit() {
			return this.memoryLimit;
		}

		public void setMemoryLimit(DataSize memoryLimit) {
			this.memoryLimit = memoryLimit;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public String getRootId() {
			return this.rootId;
		}

		public void setRootId(String rootId) {
			this.rootId = rootId;
		}

	}

	/** What the plugins' meters measure. */
	public static class Metrics {

		/**
		 * One guest call in this many has its thread CPU time measured, chosen at random
		 * and counted this many times (reading the thread clock costs more than a small
		 * plugin call); 1 measures every call, 0 none.
		 */
		private int cpuSampling = HostServices.DEFAULT_CPU_SAMPLING;

		/**
		 * Tags taken out of plugin metric names, as Envoy's stats_tags: tag-name and a
		 * regex whose first group is cut from the name and whose second group (else the
		 * first) is the value. They run before Envoy's default rules.
		 */
		private List<TagRule> tags = new ArrayList<>();

		/**
		 * Whether {@code _key=value} segments of plugin metric names become tags (how Go
		 * and Istio plugins label their stats), after the configured and Envoy's rules.
		 */
		private boolean keyValueTags = true;

		public List<TagRule> getTags() {
			return this.tags;
		}

		public void setTags(List<TagRule> tags) {
			this.tags = tags;
		}

		public boolean isKeyValueTags() {
			return this.keyValueTags;
		}

		public void setKeyValueTags(boolean keyValueTags) {
			this.keyValueTags = keyValueTags;
		}

		public int getCpuSampling() {
			return this.cpuSampling;
		}

		public void setCpuSampling(int cpuSampling) {
			this.cpuSampling = cpuSampling;
		}

	}

	/** Observations of plugin calls (a span per call, with micrometer-tracing). */
	public static class Observations {

		/**
		 * Whether each call into a plugin is a Micrometer observation
		 * (wasm.plugin.phase), made only when the observation registry has a handler
		 * besides the meter one (a tracer); false keeps the plugins' meters without spans
		 * per plugin call.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** One tag rule for plugin metric names (Envoy's TagSpecifier). */
	public static class TagRule {

		/** The tag's name. */
		private String tagName;

		/** The regex: group 1 is cut from the name, group 2 (else 1) is the value. */
		private String regex;

		public String getTagName() {
			return this.tagName;
		}

		public void setTagName(String tagName) {
			this.tagName = tagName;
		}

		public String getRegex() {
			return this.regex;
		}

		public void setRegex(String regex) {
			this.regex = regex;
		}

	}

	/** Hot reload of plugin binaries. */
	public static class Reload {

		/** Whether plugin files are watched and reloaded when they change. */
		private boolean enabled = true;

		/** How often plugin files are looked at. */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * How long a changed file must stay unchanged before it is loaded, so that a
		 * half-written file is never loaded.
		 */
		private Duration quietPeriod = Duration.ofMillis(400);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

	}

	/** Remote plugin sources: https: and oci:// locations. */
	public static class Sources {

		/** Longest wait for a connection to a plugin server or registry. */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/** Longest wait for one whole answer (a manifest, a binary, a layer). */
		private Duration readTimeout = Duration.ofSeconds(30);

		/**
		 * Further attempts after a failed one (connection error, timeout, 5xx, 429); a
		 * 404 or a refused credential is not retried.
		 */
		private int retries = 3;

		/**
		 * Wait before the first retry; doubled for each next one, at most 16 times this.
		 */
		private Duration retryBackoff = Duration.ofMillis(500);

		/**
		 * How often every remote plugin is asked again: an OCI tag is resolved again and
		 * a new digest is hot-reloaded; an https binary is re-checked. 0 turns it off.
		 */
		private Duration recheckInterval = Duration.ofMinutes(1);

		/**
		 * Directory of the verified local copies of remote plugins, used when the source
		 * is unreachable at start-up; owner-only. Empty: no local copies.
		 */
		private Path localCopies = userCacheDirectory().resolve("plugins");

		/**
		 * Name of the Spring SSL bundle (spring.ssl.bundle.*) whose trust material
		 * verifies plugin servers and registries; the JVM's default trust when not set.
		 */
		private String sslBundle;

		/**
		 * Whether http: locations and OCI registries on a loopback address (127.0.0.1,
		 * ::1, localhost) are used without TLS. Never applies to any other address.
		 */
		private boolean plainHttpLoopback;

		/**
		 * Credentials per registry, keyed by host or host:port (in brackets:
		 * "[registry.example.com:5000]"); used for Basic authentication and to obtain
		 * bearer tokens.
		 */
		private Map<String, Registry> registries = new LinkedHashMap<>();

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public int getRetries() {
			return this.retries;
		}

		public void setRetries(int retries) {
			this.retries = retries;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public Duration getRecheckInterval() {
			return this.recheckInterval;
		}

		public void setRecheckInterval(Duration recheckInterval) {
			this.recheckInterval = recheckInterval;
		}

		public Path getLocalCopies() {
			return this.localCopies;
		}

		public void setLocalCopies(Path localCopies) {
			this.localCopies = localCopies;
		}

		public String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public boolean isPlainHttpLoopback() {
			return this.plainHttpLoopback;
		}

		public void setPlainHttpLoopback(boolean plainHttpLoopback) {
			this.plainHttpLoopback = plainHttpLoopback;
		}

		public Map<String, Registry> getRegistries() {
			return this.registries;
		}

		public void setRegistries(Map<String, Registry> registries) {
			this.registries = registries;
		}

	}

	/** Credentials of one OCI registry. */
	public static class Registry {

		/** User name (for a token, whatever the registry expects, often the account). */
		private String username;

		/** Password or access token. */
		private String password;

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

	}

	/** An upstream a plugin may call by name. */
	public static class Cluster {

		/** Base URL, e.g. http://127.0.0.1:9000. */
		private String url;

		/** Timeout of a call when the plugin gives none. */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * Name of an SSL bundle (spring.ssl.bundle.*) whose trust material, and key for
		 * mutual TLS, secure gRPC calls to an https URL; empty: the JVM's default trust.
		 */
		private String sslBundle;

		public String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
