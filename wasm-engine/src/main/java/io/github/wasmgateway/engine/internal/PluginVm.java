package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.github.wasmgateway.engine.AbiProfile.StartFunction;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.PluginFailure.Kind;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.abi.HostFunctions;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a plugin with its host state. A VM belongs to the thread that created
 * it: every entry checks the thread, so two threads can never be inside it at once.
 * Replies that arrive on other threads are handed to {@link #home()}.
 */
public final class PluginVm {

	private static final Logger log = LoggerFactory.getLogger(PluginVm.class);

	private static final long START_TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

	private static final int POOLED_DEPTHS = 2;

	private static final int POOLED_ARITY = 3;

	/** Lifecycle of a VM. */
	public enum State {

		STARTING, READY, RETIRING, FAILED, CLOSED

	}

	final PluginCore core;

	private final int id;

	private final Thread owner;

	private final Executor home;

	private final long createdNanos;

	private final CallWatchdog.Guard guard;

	private final WasiPreview1 wasi;

	private final Instance instance;

	private final Memory memory;

	private final int capPages;

	private final int declaredMaxPages;

	private final Callbacks callbacks;

	private volatile State state = State.STARTING;

	private volatile PluginFailure failure;

	private int depth;

	/**
	 * Argument arrays for guest calls, by nesting depth (a callback, the allocator a host
	 * function calls inside it) and arity, so a call allocates none. Chicory is done with
	 * an array once the call has begun (compiled code unboxes it into JVM locals, the
	 * interpreter copies it into the frame), and each depth has its own arrays, so a
	 * nested call never refills the array of a call still running even if it were not.
	 */
	private final long[][][] argumentArrays = new long[POOLED_DEPTHS][POOLED_ARITY + 1][];

	private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

	private int nextContextId = 1;

	private RootContext[] roots = new RootContext[0];

	private final IntMap<StreamContext> streams = new IntMap<>();

	private final Map<Integer, RootContext> rootsById = new HashMap<>();

	private final Map<Integer, PendingCall> pendingCalls = new HashMap<>();

	private final Map<String, byte[]> rootProperties = new HashMap<>();

	private int nextToken = 1;

	private volatile long requestsServed;

	private volatile int activeStreams;

	// What the host functions see: the effective context and the buffers of this call
	private StreamContext effectiveStream;

	private RootContext effectiveRoot;

	private HttpCalloutResponse calloutResponse;

	private byte[] redisReply;

	private byte[] foreignArguments;

	private byte[] configurationInCall;

	private boolean vmConfigurationInCall;

	public PluginVm(PluginCore core, Executor home) {
		this.core = core;
		this.id = core.nextVmId();
		this.owner = Thread.currentThread();
		this.home = home;
		this.createdNanos = System.nanoTime();
		this.wasi = WasiSupport.create(core);
		this.capPages = (core.memoryLimitBytes > 0) ? (int) Math.min(65536, core.memoryLimitBytes / 65536) : 65536;
		int[] declared = { 65536 };
		this.guard = core.watchdog.register(this.owner);
		try {
			this.instance = Instance.builder(core.module.module())
				.withImportValues(HostFunctions.bind(core.module.module(), this, this.wasi))
				.withMachineFactory(core.module.machineFactoryOrInterpreter())
				.withMemoryFactory((limits) -> {
					declared[0] = limits.maximumPages();
					if (limits.initialPages() > this.capPages) {
						throw new PluginLoadException("plugin '" + core.name + "' needs " + limits.initialPages() * 64
								+ " KiB of memory at start, more than its memory limit of " + this.capPages * 64
								+ " KiB; raise memory-limit");
					}
					return new ByteArrayMemory(
							new MemoryLimits(limits.initialPages(), Math.min(limits.maximumPages(), this.capPages)));
				})
				.withStart(false)
				.build();
		}
		catch (PluginLoadException ex) {
			close();
			throw ex;
		}
		catch (ChicoryException ex) {
			close();
			throw new PluginLoadException("plugin '" + core.name + "' cannot be instantiated: " + ex.getMessage(), ex);
		}
		this.declaredMaxPages = declared[0];
		this.memory = this.instance.memory();
		this.callbacks = new Callbacks(this.instance, core.profile);
		try {
			runStartFunction();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		this.state = State.READY;
	}

	private void runStartFunction() {
		StartFunction start = this.core.profile.startFunction();
		try {
			if (start == StartFunction.INITIALIZE) {
				invokeWithin(START_TIMEOUT_NANOS, "_initialize", this.instance.export("_initialize"));
				if (this.core.profile.exportsMain()) {
					invokeWithin(START_TIMEOUT_NANOS, "main", this.instance.export("main"), 0, 0);
				}
			}
			else if (start == StartFunction.START) {
				invokeWithin(START_TIMEOUT_NANOS, "_start", this.instance.export("_start"));
			}
		}
		catch (PluginCallException ex) {
			throw new PluginLoadException("plugin '" + this.core.name + "' failed to start: " + ex.getMessage(), ex);
		}
	}

	// ---- entry

	/** Throws unless called on this VM's own thread. */
	public void checkThread() {
		if (Thread.currentThread() != this.owner) {
			throw new IllegalStateException("VM " + this.id + " of plugin '" + this.core.name + "' belongs to thread "
					+ this.owner.getName() + " but was entered from " + Thread.currentThread().getName()
					+ "; hand the work to the VM's executor");
		}
	}

	/**
	 * Calls a guest function with containment: a deadline, and any failure turned into a
	 * {@link PluginCallException} that marks this VM failed. Read the result before the
	 * next guest call: the array may be reused (a host function's result array, when an
	 * export is an imported host function).
	 */
	long[] invokeWithin(long timeoutNanos, String callback, ExportFunction function, long... args) {
		checkThread();
		if (this.state == State.FAILED || this.state == State.CLOSED) {
			throw unavailable(callback);
		}
		boolean outermost = this.depth++ == 0;
		if (outermost) {
			this.guard.enter(timeoutNanos);
		}
		try {
			return function.apply(args);
		}
		catch (PluginCallException ex) {
			throw ex;
		}
		catch (ExecutionCompletedException ex) {
			// proc_exit(0) from a command's _start is a normal end
			return new long[] { 0 };
		}
		catch (RuntimeException | StackOverflowError ex) {
			throw fail(callback, ex);
		}
		finally {
			this.depth--;
			if (outermost) {
				this.guard.exit();
			}
		}
	}

	long[] invoke(String callback, ExportFunction function, long... args) {
		return invokeWithin(this.core.callTimeoutNanos, callback, function, args);
	}

	// the per-request calls have one to three arguments: these fill a pooled array

	long[] invoke(String callback, ExportFunction function, long a0) {
		long[] args = arguments(1);
		args[0] = a0;
		return invokeWithin(this.core.callTimeoutNanos, callback, function, args);
	}

	long[] invoke(String callback, ExportFunction function, long a0, long a1) {
		long[] args = arguments(2);
		args[0] = a0;
		args[1] = a1;
		return invokeWithin(this.core.callTimeoutNanos, callback, function, args);
	}

	long[] invoke(String callback, ExportFunction function, long a0, long a1, long a2) {
		long[] args = arguments(3);
		args[0] = a0;
		args[1] = a1;
		args[2] = a2;
		return invokeWithin(this.core.callTimeoutNanos, callback, function, args);
	}

	/** The argument array for a call about to start at the current depth. */
	private long[] arguments(int arity) {
		if (this.depth >= POOLED_DEPTHS) {
			return new long[arity];
		}
		long[][] byArity = this.argumentArrays[this.depth];
		long[] args = byArity[arity];
		if (args == null) {
			args = new long[arity];
			byArity[arity] = args;
		}
		return args;
	}

	/** Runs host work now if the VM is idle, else right after the current call. */
	void runWhenIdle(Runnable task) {
		if (this.depth > 0) {
			this.deferred.add(task);
		}
		else {
			task.run();
		}
	}

	/** Runs what arrived during a call; called once the outermost call is done. */
	void drainDeferred() {
		Runnable task;
		while (this.depth == 0 && (task = this.deferred.poll()) != null) {
			task.run();
		}
	}

	/** Hands a task from any thread to this VM's thread. */
	public void post(Runnable task) {
		this.home.execute(() -> {
			if (this.state == State.CLOSED) {
				return;
			}
			runWhenIdle(task);
			drainDeferred();
		});
	}

	private PluginCallException fail(String callback, Throwable error) {
		Kind kind;
		String message;
		if (this.guard.timedOut() || error instanceof ChicoryInterruptedException) {
			kind = Kind.TIMEOUT;
			message = "the call ran past its deadline of " + this.core.callTimeoutNanos / 1_000_000
					+ " ms and was interrupted";
		}
		else if (error instanceof WasiExitException exit) {
			kind = Kind.EXIT;
			message = "the plugin called proc_exit(" + exit.exitCode() + ")";
		}
		else if (nearMemoryCap()) {
			kind = Kind.MEMORY_LIMIT;
			message = "memory limit of " + this.core.memoryLimitBytes + " bytes reached (" + describe(error) + ")";
		}
		else if (error instanceof ChicoryException || error instanceof StackOverflowError) {
			kind = Kind.TRAP;
			message = describe(error);
		}
		else {
			kind = Kind.HOST_ERROR;
			message = "host error: " + describe(error);
		}
		List<String> stack = (this.instance != null
				&& this.instance.getMachine() instanceof TracingInterpreterMachine tracing)
						? WasmStackTraces.fromInterpreter(tracing.drainFrames(), this.core.module.names())
						: WasmStackTraces.fromJvmStack(error, this.core.module.names());
		PluginFailure recorded = new PluginFailure(Instant.now(), this.core.name, routeOfEffectiveStream(), callback,
				kind, message, stack);
		this.failure = recorded;
		this.state = State.FAILED;
		log.error("{} (VM {} on {}; a fresh VM replaces it)", recorded.describe(), this.id, this.owner.getName());
		this.core.failures.accept(recorded);
		return new PluginCallException(recorded, error);
	}

	/**
	 * Whether a failure is best explained by the memory cap: the cap (not the module's
	 * own maximum) binds, and memory is within one growth step (1 MiB or an eighth of the
	 * cap) of it. Chicory does not report a refused memory.grow, so this is inferred.
	 */
	private boolean nearMemoryCap() {
		if (this.memory == null || this.capPages >= this.declaredMaxPages) {
			return false;
		}
		int slack = Math.max(16, this.capPages / 8);
		return this.memory.pages() + slack >= this.capPages;
	}

	/**
	 * The route of the stream being served, as the host names it, for failure records.
	 */
	private String routeOfEffectiveStream() {
		StreamContext stream = this.effectiveStream;
		if (stream == null || stream.exchange == null) {
			return null;
		}
		try {
			byte[] route = stream.exchange.property(new String[] { "route_name" });
			return (route != null) ? new String(route, java.nio.charset.StandardCharsets.UTF_8) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static String describe(Throwable error) {
		String text = error.getMessage();
		return (text != null) ? text : error.getClass().getSimpleName();
	}

	/** A failed VM still inside its rebuild backoff. */
	public PluginCallException unavailableForRebuild() {
		return unavailable("proxy_on_context_create");
	}

	PluginCallException unavailable(String callback) {
		PluginFailure cause = this.failure;
		String message = "VM " + this.id + " is " + this.state.name().toLowerCase()
				+ ((cause != null) ? " after " + cause.kind() + " in " + cause.callback() : "");
		return new PluginCallException(
				new PluginFailure(Instant.now(), this.core.name, callback, Kind.VM_UNAVAILABLE, message, List.of()),
				null);
	}

	// ---- root contexts

	/**
	 * The root context of configuration {@code index}, created (and configured) on first
	 * use.
	 */
	RootContext root(int index) {
		if (index < this.roots.length && this.roots[index] != null) {
			return this.roots[index];
		}
		byte[] configuration = this.core.configuration(index);
		RootContext root = new RootContext(this.nextContextId++, index, configuration);
		this.rootsById.put(root.id, root);
		enterRoot(root);
		if (this.callbacks.contextCreate != null) {
			invokeWithin(START_TIMEOUT_NANOS, "proxy_on_context_create", this.callbacks.contextCreate, root.id, 0);
		}
		if (this.callbacks.vmStart != null) {
			this.vmConfigurationInCall = true;
			try {
				long ok = invokeWithin(START_TIMEOUT_NANOS, "proxy_on_vm_start", this.callbacks.vmStart, root.id,
						this.core.vmConfiguration.length)[0];
				if (ok == 0) {
					throw new PluginLoadException("plugin '" + this.core.name
							+ "' rejected its VM configuration (proxy_on_vm_start returned false); "
							+ "see the plugin's log lines above for its reason");
				}
			}
			finally {
				this.vmConfigurationInCall = false;
			}
		}
		if (this.callbacks.configure != null) {
			this.configurationInCall = configuration;
			try {
				long ok = invokeWithin(START_TIMEOUT_NANOS, "proxy_on_configure", this.callbacks.configure, root.id,
						configuration.length)[0];
				if (ok == 0) {
					throw new PluginLoadException("plugin '" + this.core.name
							+ "' rejected its configuration (proxy_on_configure returned false); "
							+ "see the plugin's log lines above for its reason");
				}
			}
			finally {
				this.configurationInCall = null;
			}
		}
		// kept only once the plugin accepted it: a rejected configuration is asked again
		if (index >= this.roots.length) {
			this.roots = java.util.Arrays.copyOf(this.roots, index + 1);
		}
		this.roots[index] = root;
		drainDeferred();
		return root;
	}

	/**
	 * Creates (and so checks) the root context of configuration {@code index}: VM start
	 * and configure, without opening a stream.
	 */
	public void configureRoot(int index) {
		checkThread();
		root(index);
	}

	// ---- streams

	public StreamContext openStream(int configurationIndex, HttpExchange exchange) {
		checkThread();
		// a retiring VM still serves a stream that picked it before the switch
		if (this.state != State.READY && this.state != State.RETIRING) {
			throw unavailable("proxy_on_context_create");
		}
		RootContext root;
		try {
			root = root(configurationIndex);
		}
		catch (PluginLoadException ex) {
			throw new PluginCallException(new PluginFailure(Instant.now(), this.core.name, "proxy_on_configure",
					Kind.VM_UNAVAILABLE, ex.getMessage(), List.of()), ex);
		}
		StreamContext stream = new StreamContext(this, this.nextContextId++, root, exchange);
		this.streams.put(stream.id, stream);
		this.activeStreams++;
		this.requestsServed++;
		if (this.callbacks.contextCreate != null) {
			enterStream(stream);
			invoke("proxy_on_context_create", this.callbacks.contextCreate, stream.id, root.id);
		}
		return stream;
	}

	void streamDeleted(StreamContext stream) {
		if (this.streams.remove(stream.id) != null) {
			this.activeStreams--;
		}
		if (!this.pendingCalls.isEmpty()) {
			this.pendingCalls.values().removeIf((call) -> call.stream == stream);
		}
		if (this.activeStreams == 0 && this.state == State.RETIRING) {
			close();
		}
	}

	StreamContext stream(int contextId) {
		return this.streams.get(contextId);
	}

	// ---- effective context, for the host functions

	void enterStream(StreamContext stream) {
		this.effectiveStream = stream;
		this.effectiveRoot = stream.root;
	}

	void enterRoot(RootContext root) {
		this.effectiveStream = null;
		this.effectiveRoot = root;
	}

	public StreamContext effectiveStream() {
		return this.effectiveStream;
	}

	public RootContext effectiveRoot() {
		return this.effectiveRoot;
	}

	/** {@code proxy_set_effective_context}: false for an unknown id. */
	public boolean setEffectiveContext(int contextId) {
		StreamContext stream = this.streams.get(contextId);
		if (stream != null) {
			enterStream(stream);
			return true;
		}
		RootContext root = this.rootsById.get(contextId);
		if (root != null) {
			enterRoot(root);
			return true;
		}
		return false;
	}

	// ---- asynchronous replies

	/**
	 * Registers a callout or Redis call made from the effective context; returns its
	 * token.
	 */
	public int registerCall() {
		int token = this.nextToken++;
		this.pendingCalls.put(token, new PendingCall(this.effectiveRoot, this.effectiveStream));
		return token;
	}

	public void forgetCall(int token) {
		this.pendingCalls.remove(token);
	}

	/** A callout's answer, on this VM's thread. */
	public void deliverHttpCallResponse(int token, HttpCalloutResponse response) {
		PendingCall call = this.pendingCalls.remove(token);
		if (call == null || this.callbacks.httpCallResponse == null
				|| this.state != State.READY && this.state != State.RETIRING) {
			return;
		}
		enterRoot(call.root);
		this.calloutResponse = response;
		try {
			int trailers = (response.trailers() != null) ? response.trailers().size() : 0;
			invoke("proxy_on_http_call_response", this.callbacks.httpCallResponse, call.root.id, token,
					response.headers().size(), response.body().length, trailers);
		}
		catch (PluginCallException ex) {
			notifyFailure(call, ex);
		}
		finally {
			this.calloutResponse = null;
		}
		afterAsync();
	}

	/** A Redis reply (raw RESP), on this VM's thread. */
	public void deliverRedisResponse(int token, int status, byte[] reply) {
		PendingCall call = this.pendingCalls.remove(token);
		if (call == null || this.callbacks.redisCallResponse == null
				|| this.state != State.READY && this.state != State.RETIRING) {
			return;
		}
		enterRoot(call.root);
		this.redisReply = reply;
		try {
			invoke("proxy_on_redis_call_response", this.callbacks.redisCallResponse, call.root.id, token, status,
					reply.length);
		}
		catch (PluginCallException ex) {
			notifyFailure(call, ex);
		}
		finally {
			this.redisReply = null;
		}
		afterAsync();
	}

	/** A tick of one root context. */
	void deliverTick(RootContext root) {
		if (this.callbacks.tick == null || this.state != State.READY) {
			return;
		}
		enterRoot(root);
		try {
			invoke("proxy_on_tick", this.callbacks.tick, root.id);
		}
		catch (PluginCallException ex) {
			// recorded and logged by fail(); the next stream gets a fresh VM
		}
		afterAsync();
	}

	/** A message arrived on a queue a root context of this VM registered. */
	public void deliverQueueReady(RootContext root, int token) {
		if (this.callbacks.queueReady == null || this.state != State.READY) {
			return;
		}
		enterRoot(root);
		try {
			invoke("proxy_on_queue_ready", this.callbacks.queueReady, root.id, token);
		}
		catch (PluginCallException ex) {
			// recorded and logged by fail()
		}
		afterAsync();
	}

	private void afterAsync() {
		for (StreamContext stream : this.streams.values()) {
			stream.dispatchAsyncOutcome();
		}
	}

	private void notifyFailure(PendingCall call, PluginCallException failure) {
		if (call.stream != null) {
			call.stream.failed(failure);
		}
	}

	/** {@code proxy_set_tick_period_milliseconds} for the effective root context. */
	public void setTickPeriod(long millis) {
		RootContext root = this.effectiveRoot;
		if (root == null) {
			return;
		}
		root.cancelTick();
		if (millis > 0) {
			root.tick = this.core.services.ticks()
				.schedule(Duration.ofMillis(millis), () -> post(() -> deliverTick(root)));
		}
	}

	// ---- state for host functions

	/** Calls the guest's allocator (malloc or proxy_on_memory_allocate). */
	public long[] callAllocator(int size) {
		return invoke(this.core.profile.allocator(), this.callbacks.allocator, size);
	}

	/** A property set by the plugin outside any stream. */
	public byte[] rootProperty(String key) {
		return this.rootProperties.get(key);
	}

	public void setRootProperty(String key, byte[] value) {
		this.rootProperties.put(key, value);
	}

	public byte[] rootConfiguration(RootContext root) {
		return root.configuration;
	}

	public PluginCore core() {
		return this.core;
	}

	public Memory memory() {
		return this.memory;
	}

	public Instance instance() {
		return this.instance;
	}

	public Callbacks callbacks() {
		return this.callbacks;
	}

	public HttpCalloutResponse calloutResponse() {
		return this.calloutResponse;
	}

	public byte[] redisReply() {
		return this.redisReply;
	}

	public byte[] foreignArguments() {
		return this.foreignArguments;
	}

	/** The plugin configuration readable now: in proxy_on_configure only. */
	public byte[] configurationInCall() {
		return this.configurationInCall;
	}

	public boolean vmConfigurationReadable() {
		return this.vmConfigurationInCall;
	}

	public Executor home() {
		return this.home;
	}

	// ---- lifecycle and observation

	public int id() {
		return this.id;
	}

	public State state() {
		return this.state;
	}

	public PluginFailure failure() {
		return this.failure;
	}

	public Thread owner() {
		return this.owner;
	}

	public long ageMillis() {
		return (System.nanoTime() - this.createdNanos) / 1_000_000;
	}

	public long requestsServed() {
		return this.requestsServed;
	}

	public int activeStreams() {
		return this.activeStreams;
	}

	/** Bytes of linear memory (0 once closed). */
	public long memoryBytes() {
		Memory current = this.memory;
		return (current != null && this.state != State.CLOSED) ? (long) current.pages() * 65536 : 0;
	}

	/**
	 * Stops new streams from using this VM; it closes once its streams end. Used when a
	 * plugin asks for a rebuild ({@code wasm_need_rebuild}) or its memory passed the
	 * threshold.
	 */
	public void retire() {
		if (this.state == State.READY) {
			this.state = State.RETIRING;
			// close on the VM's own thread, between calls, once no stream is left
			post(() -> {
				if (this.activeStreams == 0 && this.state == State.RETIRING) {
					close();
				}
			});
		}
	}

	public boolean usable() {
		return this.state == State.READY;
	}

	/**
	 * Releases the VM: ticks stop, the watchdog forgets it, memory goes with the
	 * instance.
	 */
	public void close() {
		if (this.state == State.CLOSED) {
			return;
		}
		if (this.state != State.FAILED) {
			this.state = State.CLOSED;
		}
		for (RootContext root : this.roots) {
			if (root != null) {
				root.cancelTick();
			}
		}
		this.core.watchdog.unregister(this.guard);
		if (this.wasi != null) {
			this.wasi.close();
		}
	}

	/** Closed or failed and done with. */
	public boolean finished() {
		return this.state == State.CLOSED || this.state == State.FAILED;
	}

	@Override
	public String toString() {
		return "PluginVm[" + this.core.name + "#" + this.id + ", " + this.state + ", thread " + this.owner.getName()
				+ "]";
	}

	/** A callout or Redis call waiting for its reply. */
	private record PendingCall(RootContext root, StreamContext stream) {
	}

	/** The guest's callbacks, looked up once per VM; null when not exported. */
	public static final class Callbacks {

		final ExportFunction contextCreate;

		final ExportFunction vmStart;

		final ExportFunction configure;

		final ExportFunction requestHeaders;

		final int requestHeadersArity;

		final ExportFunction requestBody;

		final ExportFunction requestTrailers;

		final ExportFunction responseHeaders;

		final int responseHeadersArity;

		final ExportFunction responseBody;

		final ExportFunction responseTrailers;

		final ExportFunction log;

		final ExportFunction done;

		final ExportFunction delete;

		final ExportFunction tick;

		final ExportFunction httpCallResponse;

		final ExportFunction queueReady;

		final ExportFunction foreignFunction;

		final ExportFunction redisCallResponse;

		public final ExportFunction allocator;

		Callbacks(Instance instance, io.github.wasmgateway.engine.AbiProfile profile) {
			this.contextCreate = find(instance, profile, "proxy_on_context_create");
			this.vmStart = find(instance, profile, "proxy_on_vm_start");
			this.configure = find(instance, profile, "proxy_on_configure");
			this.requestHeaders = find(instance, profile, "proxy_on_request_headers");
			this.requestHeadersArity = profile.arity("proxy_on_request_headers");
			this.requestBody = find(instance, profile, "proxy_on_request_body");
			this.requestTrailers = find(instance, profile, "proxy_on_request_trailers");
			this.responseHeaders = find(instance, profile, "proxy_on_response_headers");
			this.responseHeadersArity = profile.arity("proxy_on_response_headers");
			this.responseBody = find(instance, profile, "proxy_on_response_body");
			this.responseTrailers = find(instance, profile, "proxy_on_response_trailers");
			this.log = find(instance, profile, "proxy_on_log");
			this.done = find(instance, profile, "proxy_on_done");
			this.delete = find(instance, profile, "proxy_on_delete");
			this.tick = find(instance, profile, "proxy_on_tick");
			this.httpCallResponse = find(instance, profile, "proxy_on_http_call_response");
			this.queueReady = find(instance, profile, "proxy_on_queue_ready");
			this.foreignFunction = find(instance, profile, "proxy_on_foreign_function");
			this.redisCallResponse = find(instance, profile, "proxy_on_redis_call_response");
			this.allocator = instance.export(profile.allocator());
		}

		private static ExportFunction find(Instance instance, io.github.wasmgateway.engine.AbiProfile profile,
				String name) {
			return profile.exports(name) ? instance.export(name) : null;
		}

	}

}
