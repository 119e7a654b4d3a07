package io.github.wasmgateway.engine.host;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Everything a plugin reaches outside its VM, each with an in-memory default: callouts,
 * gRPC calls, Redis, shared data and queues, metrics, clock, ticks, logging and the way
 * back onto a worker thread, and the foreign functions. The Spring side replaces what it
 * implements.
 */
public final class HostServices {

	/**
	 * Guest calls per CPU time measurement unless configured: at 64 the clock's reads
	 * cost about a third of a small request's CPU on the machine this is built on
	 * (docs/performance.md, "CPU time sampling"); at 256 under a tenth.
	 */
	public static final int DEFAULT_CPU_SAMPLING = 256;

	private final HttpCalloutClient httpCallouts;

	private final GrpcClient grpc;

	private final RedisClient redis;

	private final Function<String, SharedDataStore> sharedData;

	private final SharedQueues sharedQueues;

	private final MetricsSink metrics;

	private final HostClock clock;

	private final TickScheduler ticks;

	private final Function<String, PluginLogger> loggers;

	private final WorkerExecutors workers;

	private final ForeignFunctions foreignFunctions;

	private final int cpuSampling;

	private HostServices(Builder builder) {
		this.httpCallouts = builder.httpCallouts;
		this.grpc = builder.grpc;
		this.redis = builder.redis;
		this.sharedData = builder.sharedData;
		this.sharedQueues = builder.sharedQueues;
		this.metrics = builder.metrics;
		this.clock = builder.clock;
		this.ticks = builder.ticks;
		this.loggers = builder.loggers;
		this.workers = builder.workers;
		this.foreignFunctions = builder.foreignFunctions;
		this.cpuSampling = builder.cpuSampling;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** In-memory defaults for everything. */
	public static HostServices defaults() {
		return builder().build();
	}

	public HttpCalloutClient httpCallouts() {
		return this.httpCallouts;
	}

	public GrpcClient grpc() {
		return this.grpc;
	}

	public RedisClient redis() {
		return this.redis;
	}

	/**
	 * The store shared by every VM of every plugin whose vm_id is {@code vmId} (Envoy's
	 * scope of shared data; a plugin's vm_id defaults to its name).
	 */
	public SharedDataStore sharedData(String vmId) {
		return this.sharedData.apply(vmId);
	}

	public SharedQueues sharedQueues() {
		return this.sharedQueues;
	}

	public MetricsSink metrics() {
		return this.metrics;
	}

	public HostClock clock() {
		return this.clock;
	}

	public TickScheduler ticks() {
		return this.ticks;
	}

	public PluginLogger logger(String plugin) {
		return this.loggers.apply(plugin);
	}

	public WorkerExecutors workers() {
		return this.workers;
	}

	/** What {@code proxy_call_foreign_function} finds by name. */
	public ForeignFunctions foreignFunctions() {
		return this.foreignFunctions;
	}

	/**
	 * One guest call in this many has its thread CPU time measured (and counted this many
	 * times); 0 measures none. See {@link Builder#withCpuSampling}.
	 */
	public int cpuSampling() {
		return this.cpuSampling;
	}

	public static final class Builder {

		private HttpCalloutClient httpCallouts = HttpCalloutClient.none();

		private GrpcClient grpc = GrpcClient.none();

		private RedisClient redis = RedisClient.none();

		private Function<String, SharedDataStore> sharedData = perVmId();

		private SharedQueues sharedQueues = new InMemorySharedQueues();

		private MetricsSink metrics = new InMemoryMetrics();

		private HostClock clock = HostClock.SYSTEM;

		private TickScheduler ticks = new ScheduledTicks();

		private Function<String, PluginLogger> loggers = Slf4jPluginLogger::new;

		private WorkerExecutors workers = WorkerExecutors.DIRECT;

		private ForeignFunctions foreignFunctions = ForeignFunctions.standard();

		private int cpuSampling = DEFAULT_CPU_SAMPLING;

		private Builder() {
		}

		private static Function<String, SharedDataStore> perVmId() {
			Map<String, SharedDataStore> stores = new ConcurrentHashMap<>();
			return (vmId) -> stores.computeIfAbsent(vmId, (id) -> new InMemorySharedData());
		}

		public Builder withHttpCallouts(HttpCalloutClient httpCallouts) {
			this.httpCallouts = Objects.requireNonNull(httpCallouts);
			return this;
		}

		public Builder withGrpc(GrpcClient grpc) {
			this.grpc = Objects.requireNonNull(grpc);
			return this;
		}

		public Builder withRedis(RedisClient redis) {
			this.redis = Objects.requireNonNull(redis);
			return this;
		}

		/**
		 * The store per vm_id; called once when a plugin is created, with its vm_id.
		 */
		public Builder withSharedData(Function<String, SharedDataStore> sharedData) {
			this.sharedData = Objects.requireNonNull(sharedData);
			return this;
		}

		public Builder withSharedQueues(SharedQueues sharedQueues) {
			this.sharedQueues = Objects.requireNonNull(sharedQueues);
			return this;
		}

		public Builder withMetrics(MetricsSink metrics) {
			this.metrics = Objects.requireNonNull(metrics);
			return this;
		}

		public Builder withClock(HostClock clock) {
			this.clock = Objects.requireNonNull(clock);
			return this;
		}

		public Builder withTicks(TickScheduler ticks) {
			this.ticks = Objects.requireNonNull(ticks);
			return this;
		}

		public Builder withLoggers(Function<String, PluginLogger> loggers) {
			this.loggers = Objects.requireNonNull(loggers);
			return this;
		}

		public Builder withWorkers(WorkerExecutors workers) {
			this.workers = Objects.requireNonNull(workers);
			return this;
		}

		/**
		 * The foreign functions plugins may call; {@link ForeignFunctions#standard()} by
		 * default, {@link ForeignFunctions#withoutHostCrypto()} turns the host crypto
		 * off.
		 */
		public Builder withForeignFunctions(ForeignFunctions foreignFunctions) {
			this.foreignFunctions = Objects.requireNonNull(foreignFunctions);
			return this;
		}

		/**
		 * Measures the thread CPU time of one outermost guest call in {@code oneIn},
		 * chosen at random, and counts it {@code oneIn} times: reading a thread's CPU
		 * clock costs about 1.5 µs, several times a whole plugin call (see
		 * docs/performance.md). 1 measures every call, 0 none.
		 */
		public Builder withCpuSampling(int oneIn) {
			if (oneIn < 0) {
				throw new IllegalArgumentException("cpu sampling must be 0 (off) or more, not " + oneIn);
			}
			this.cpuSampling = oneIn;
			return this;
		}

		public HostServices build() {
			return new HostServices(this);
		}

	}

}
