package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import io.github.wasmgateway.engine.AbiProfile.StartFunction;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.PluginFailure.Kind;
import io.github.wasmgateway.engine.PluginLoadException;
import io.github.wasmgateway.engine.abi.HostFunctions;
import io.github.wasmgateway.engine.abi.Status;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a plugin and its lifecycle: built and started, root contexts created
 * and configured, streams opened, asynchronous replies (callouts, Redis, ticks, queues;
 * gRPC through {@link GrpcReplies}) delivered, then retired or closed. A VM belongs to
 * the thread that created it ({@link GuestCalls} checks every entry); replies that arrive
 * on other threads are handed to {@link #home()}. Its contexts are in
 * {@link ContextTable}, what the current callback may read in {@link CallbackData}.
 */
public final class PluginVm {

	private static final Logger log = LoggerFactory.getLogger(PluginVm.class);

	private static final VarHandle REQUESTS_SERVED = field("requestsServed", long.class);

	private static final VarHandle ACTIVE_STREAMS = field("activeStreams", int.class);

	private static final VarHandle CPU_NANOS = field("cpuNanos", long.class);

	private static VarHandle field(String name, Class<?> type) {
		try {
			return MethodHandles.lookup().findVarHandle(PluginVm.class, name, type);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Lifecycle of a VM. */
	public enum State {

		STARTING, READY, RETIRING, FAILED, CLOSED

	}

	final PluginCore core;

	private final int id;

	private final Executor home;

	private final long createdNanos;

	private final GuestCalls calls;

	private final ContextTable contexts = new ContextTable();

	private final CallbackData callbackData = new CallbackData();

	private final GrpcReplies grpcReplies = new GrpcReplies(this);

	private final MemoryCap memoryCap;

	/** Null when the module imports no WASI function. */
	private final WasiPreview1 wasi;

	private final Instance instance;

	private final Memory memory;

	private final Callbacks callbacks;

	/** Told when this VM is lost while serving (a failure, a rebuild request). */
	private final Consumer<PluginVm> lost;

	/**
	 * True while the VM or a root context is being built: a failure then is the
	 * builder's.
	 */
	private boolean building = true;

	private volatile State state = State.STARTING;

	private volatile PluginFailure failure;

	// counters written by the VM's thread only and read by others (VmInfo): opaque
	// writes keep them whole and visible without a fence on every stream

	private long requestsServed;

	private int activeStreams;

	/** CPU time of this VM's guest calls, as sampled. */
	private long cpuNanos;

	/**
	 * Builds and starts a VM on the calling thread, which it then belongs to.
	 * @param lost told, on this thread and after the call that failed, when the VM is
	 * lost while serving (a trap, a deadline, {@code wasm_need_rebuild}); null for a VM
	 * nobody replaces
	 */
	public PluginVm(PluginCore core, Executor home, Consumer<PluginVm> lost) {
		this.core = core;
		this.lost = lost;
		this.id = core.nextVmId();
		this.home = home;
		this.createdNanos = core.services.clock().monotonicNanos();
		this.calls = new GuestCalls(this, core, Thread.currentThread());
		this.wasi = core.importsWasi ? WasiSupport.create(core) : null;
		this.memoryCap = new MemoryCap(core.name, core.memoryLimitBytes);
		try {
			this.instance = Instance.builder(core.module.module())
				.withImportValues(HostFunctions.bind(core.module.module(), this, this.wasi))
				.withMachineFactory(core.module.machineFactoryOrInterpreter())
				.withMemoryFactory(this.memoryCap.factory())
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
		this.calls.instance(this.instance);
		this.memory = this.instance.memory();
		this.callbacks = new Callbacks(this.instance, core.profile);
		try {
			runStartFunction();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		this.building = false;
		this.state = State.READY;
	}

	private void runStartFunction() {
		StartFunction start = this.core.profile.startFunction();
		try {
			if (start == StartFunction.INITIALIZE) {
				this.calls.invokeWithin(this.core.startTimeoutNanos, "_initialize",
						this.instance.export("_initialize"));
				if (this.core.profile.exportsMain()) {
					this.calls.invokeWithin(this.core.startTimeoutNanos, "main", this.instance.export("main"), 0, 0);
				}
			}
			else if (start == StartFunction.START) {
				this.calls.invokeWithin(this.core.startTimeoutNanos, "_start", this.instance.export("_start"));
			}
		}
		catch (PluginCallException ex) {
			throw new PluginLoadException("plugin '" + this.core.name + "' failed to start: " + ex.getMessage(), ex);
		}
	}

	// ---- failures

	/** Whether guest code may run: not failed, not closed. */
	boolean callable() {
		return this.state != State.FAILED && this.state != State.CLOSED;
	}

	/**
	 * A guest call failed: the VM is failed for good, the failure is logged and recorded,
	 * and every stream open on it is told once the call has returned (its host answers it
	 * per the failure policy now, not when its stream timeout ends); its gRPC calls are
	 * cancelled.
	 */
	PluginCallException failed(PluginFailure recorded, Throwable error) {
		this.failure = recorded;
		this.state = State.FAILED;
		long suppressed = this.core.failureLog.admit();
		if (suppressed >= 0) {
			log.error("{} (VM {} on {}; a fresh VM replaces it{})", recorded.describe(), this.id,
					this.calls.owner().getName(), LogThrottle.suppressedNote(suppressed));
		}
		this.core.failures.accept(recorded);
		PluginCallException failed = new PluginCallException(recorded, error);
		this.calls.defer(() -> failOpenStreams(failed));
		this.calls.defer(this.grpcReplies::cancelAll);
		if (!this.building) {
			replaceLater();
		}
		return failed;
	}

	private void failOpenStreams(PluginCallException failure) {
		for (StreamContext stream : this.contexts.streams()) {
			stream.vmFailed(failure);
		}
	}

	/**
	 * A host service failed while serving the guest's call of {@code function} (an
	 * exception from a callout client, Redis, metrics, shared data): the call is answered
	 * with a status and the VM lives on, as Envoy answers a host-side failure. Failures
	 * the guest caused (traps, deadlines, exits) pass through.
	 * @return BAD_ARGUMENT for input the host could not use, INTERNAL_FAILURE otherwise
	 */
	public long hostFailure(String function, RuntimeException error) {
		if (error instanceof PluginCallException || error instanceof ChicoryException) {
			throw error;
		}
		boolean badArgument = error instanceof IllegalArgumentException;
		long suppressed = this.core.hostFailureLog.admit();
		if (suppressed >= 0) {
			String route = routeOfEffectiveStream();
			log.warn("Plugin '{}'{}: the host failed to serve {} ({}); answered {}, the VM goes on{}", this.core.name,
					(route != null) ? " on route '" + route + "'" : "", function, GuestCalls.describe(error),
					badArgument ? "BAD_ARGUMENT" : "INTERNAL_FAILURE", LogThrottle.suppressedNote(suppressed), error);
		}
		return badArgument ? Status.BAD_ARGUMENT : Status.INTERNAL_FAILURE;
	}

	PluginCallException unavailable(String callback) {
		PluginFailure cause = this.failure;
		String message = "VM " + this.id + " is " + this.state.name().toLowerCase()
				+ ((cause != null) ? " after " + cause.kind() + " in " + cause.callback() : "");
		return new PluginCallException(
				new PluginFailure(now(), this.core.name, callback, Kind.VM_UNAVAILABLE, message, List.of()), null);
	}

	Instant now() {
		return this.core.now();
	}

	/** Asks for a replacement once the current call has returned. */
	private void replaceLater() {
		if (this.lost != null) {
			this.calls.defer(() -> this.lost.accept(this));
		}
	}

	boolean nearMemoryCap() {
		return this.memoryCap.reached(this.memory);
	}

	/**
	 * The route of the stream being served, as the host names it, for failure records.
	 */
	String routeOfEffectiveStream() {
		StreamContext stream = this.contexts.effectiveStream();
		if (stream == null || stream.exchange == null) {
			return null;
		}
		try {
			byte[] route = stream.exchange.property(new String[] { "route_name" });
			return (route != null) ? new String(route, StandardCharsets.UTF_8) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	// ---- root contexts

	/**
	 * The root context of configuration {@code index}, created (and configured) on first
	 * use.
	 */
	RootContext root(int index) {
		if (this.contexts.hasRoot(index)) {
			return this.contexts.root(index);
		}
		this.building = true;
		try {
			return createRoot(index);
		}
		finally {
			this.building = false;
		}
	}

	private RootContext createRoot(int index) {
		byte[] configuration = this.core.configuration(index);
		RootContext root = this.contexts.newRoot(index, configuration);
		this.contexts.enterRoot(root);
		if (this.callbacks.contextCreate != null) {
			this.calls.invokeWithin(this.core.startTimeoutNanos, "proxy_on_context_create",
					this.callbacks.contextCreate, root.id, 0);
		}
		if (this.callbacks.vmStart != null) {
			this.callbackData.inVmStart(true);
			try {
				long ok = this.calls.invokeWithin(this.core.startTimeoutNanos, "proxy_on_vm_start",
						this.callbacks.vmStart, root.id, this.core.vmConfiguration.length)[0];
				if (ok == 0) {
					throw new PluginLoadException("plugin '" + this.core.name
							+ "' rejected its VM configuration (proxy_on_vm_start returned false); "
							+ "see the plugin's log lines above for its reason");
				}
			}
			finally {
				this.callbackData.inVmStart(false);
			}
		}
		if (this.callbacks.configure != null) {
			this.callbackData.configuration(configuration);
			try {
				long ok = this.calls.invokeWithin(this.core.startTimeoutNanos, "proxy_on_configure",
						this.callbacks.configure, root.id, configuration.length)[0];
				if (ok == 0) {
					throw new PluginLoadException("plugin '" + this.core.name
							+ "' rejected its configuration (proxy_on_configure returned false); "
							+ "see the plugin's log lines above for its reason");
				}
			}
			finally {
				this.callbackData.configuration(null);
			}
		}
		// kept only once the plugin accepted it: a rejected configuration is asked again
		this.contexts.accept(root);
		this.calls.drainDeferred();
		return root;
	}

	/**
	 * Lets go of the root context of configuration {@code index}, which another VM of the
	 * plugin rejected: its ticks stop.
	 */
	void dropRoot(int index) {
		RootContext root = this.contexts.removeRoot(index);
		if (root != null) {
			root.cancelTick();
		}
	}

	/** Whether the root context of configuration {@code index} is ready. */
	public boolean hasRoot(int index) {
		return this.contexts.hasRoot(index);
	}

	/**
	 * Creates (and so checks) the root context of configuration {@code index}: VM start
	 * and configure, without opening a stream.
	 */
	public void configureRoot(int index) {
		this.calls.checkThread();
		root(index);
	}

	public byte[] rootConfiguration(RootContext root) {
		return root.configuration;
	}

	// ---- streams

	public StreamContext openStream(int configurationIndex, HttpExchange exchange) {
		this.calls.checkThread();
		// a retiring VM still serves a stream that picked it before the switch
		if (this.state != State.READY && this.state != State.RETIRING) {
			throw unavailable("proxy_on_context_create");
		}
		RootContext root;
		try {
			root = root(configurationIndex);
		}
		catch (PluginLoadException ex) {
			throw new PluginCallException(new PluginFailure(now(), this.core.name, "proxy_on_configure",
					Kind.VM_UNAVAILABLE, ex.getMessage(), List.of()), ex);
		}
		StreamContext stream = this.contexts.newStream(this, root, exchange);
		ACTIVE_STREAMS.setOpaque(this, this.activeStreams + 1);
		REQUESTS_SERVED.setOpaque(this, this.requestsServed + 1);
		if (this.callbacks.contextCreate != null) {
			this.contexts.enterStream(stream);
			this.calls.invoke("proxy_on_context_create", this.callbacks.contextCreate, stream.id, root.id);
		}
		return stream;
	}

	void streamDeleted(StreamContext stream) {
		if (this.contexts.remove(stream)) {
			ACTIVE_STREAMS.setOpaque(this, this.activeStreams - 1);
		}
		if (this.activeStreams == 0 && this.state == State.RETIRING) {
			close();
		}
	}

	// ---- asynchronous replies

	/** A callout's answer, on this VM's thread. */
	public void deliverHttpCallResponse(int token, HttpCalloutResponse response) {
		ContextTable.PendingCall call = this.contexts.takeCall(token);
		if (call == null || this.callbacks.httpCallResponse == null || !serving()) {
			return;
		}
		this.contexts.enterRoot(call.root());
		this.callbackData.calloutResponse(response);
		if (response.isFailure()) {
			// Envoy's onHttpCallFailure: BrokenConnection for proxy_get_status
			call.root().status(Status.BROKEN_CONNECTION, "reset");
		}
		try {
			int trailers = (response.trailers() != null) ? response.trailers().size() : 0;
			this.calls.invoke("proxy_on_http_call_response", this.callbacks.httpCallResponse, call.root().id, token,
					response.headers().size(), response.body().length, trailers);
		}
		catch (PluginCallException ex) {
			// the waiting stream, with every other one of this VM, was told by failed()
		}
		finally {
			this.callbackData.calloutResponse(null);
			call.root().clearStatusMessage();
		}
		afterAsync();
	}

	/** A Redis reply (raw RESP), on this VM's thread. */
	public void deliverRedisResponse(int token, int status, byte[] reply) {
		ContextTable.PendingCall call = this.contexts.takeCall(token);
		if (call == null || this.callbacks.redisCallResponse == null || !serving()) {
			return;
		}
		this.contexts.enterRoot(call.root());
		this.callbackData.redisReply(reply);
		try {
			this.calls.invoke("proxy_on_redis_call_response", this.callbacks.redisCallResponse, call.root().id, token,
					status, reply.length);
		}
		catch (PluginCallException ex) {
			// the waiting stream, with every other one of this VM, was told by failed()
		}
		finally {
			this.callbackData.redisReply(null);
		}
		afterAsync();
	}

	/** A tick of one root context. */
	void deliverTick(RootContext root) {
		if (this.callbacks.tick == null || this.state != State.READY) {
			return;
		}
		this.contexts.enterRoot(root);
		try {
			this.calls.invoke("proxy_on_tick", this.callbacks.tick, root.id);
		}
		catch (PluginCallException ex) {
			// recorded and logged by failed(); the next stream gets a fresh VM
		}
		afterAsync();
	}

	/** A message arrived on a queue a root context of this VM registered. */
	public void deliverQueueReady(RootContext root, int token) {
		if (this.callbacks.queueReady == null || this.state != State.READY) {
			return;
		}
		this.contexts.enterRoot(root);
		try {
			this.calls.invoke("proxy_on_queue_ready", this.callbacks.queueReady, root.id, token);
		}
		catch (PluginCallException ex) {
			// recorded and logged by failed()
		}
		afterAsync();
	}

	boolean serving() {
		return this.state == State.READY || this.state == State.RETIRING;
	}

	void afterAsync() {
		for (StreamContext stream : this.contexts.streams()) {
			stream.dispatchAsyncOutcome();
		}
	}

	/** {@code proxy_set_tick_period_milliseconds} for the effective root context. */
	public void setTickPeriod(long millis) {
		RootContext root = this.contexts.effectiveRoot();
		if (root == null) {
			return;
		}
		root.cancelTick();
		if (millis > 0) {
			root.tick = this.core.services.ticks()
				.schedule(Duration.ofMillis(millis), () -> post(() -> deliverTick(root)));
		}
	}

	/** Hands a task from any thread to this VM's thread. */
	public void post(Runnable task) {
		this.home.execute(() -> {
			if (this.state == State.CLOSED) {
				return;
			}
			this.calls.runWhenIdle(task);
			this.calls.drainDeferred();
		});
	}

	// ---- what the host functions use

	/** Calls the guest's allocator (malloc or proxy_on_memory_allocate). */
	public long[] callAllocator(int size) {
		return this.calls.invoke(this.core.profile.allocator(), this.callbacks.allocator, size);
	}

	public PluginCore core() {
		return this.core;
	}

	public Memory memory() {
		return this.memory;
	}

	public ContextTable contexts() {
		return this.contexts;
	}

	public CallbackData callbackData() {
		return this.callbackData;
	}

	/** Where the answers of this VM's gRPC calls are delivered. */
	public GrpcReplies grpcReplies() {
		return this.grpcReplies;
	}

	GuestCalls calls() {
		return this.calls;
	}

	Callbacks callbacks() {
		return this.callbacks;
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
		return this.calls.owner();
	}

	public long ageMillis() {
		return (this.core.services.clock().monotonicNanos() - this.createdNanos) / 1_000_000;
	}

	public long requestsServed() {
		return (long) REQUESTS_SERVED.getOpaque(this);
	}

	public int activeStreams() {
		return (int) ACTIVE_STREAMS.getOpaque(this);
	}

	/** CPU time spent in this VM's guest calls (sampled, see {@link CpuSampler}). */
	public long cpuNanos() {
		return (long) CPU_NANOS.getOpaque(this);
	}

	/** A sampled call's CPU time, for this VM, its plugin and the stream it served. */
	void countCpu(long nanos, StreamContext stream) {
		CPU_NANOS.setOpaque(this, this.cpuNanos + nanos);
		this.core.cpuNanos.add(nanos);
		if (stream != null) {
			stream.countCpu(nanos);
		}
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

	/**
	 * {@code wasm_need_rebuild}: the plugin asks for a fresh VM. This one retires and a
	 * fresh one is built once the current call has returned.
	 */
	public void requestRebuild() {
		if (this.state == State.READY) {
			retire();
			replaceLater();
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
		for (RootContext root : this.contexts.roots()) {
			root.cancelTick();
		}
		this.grpcReplies.cancelAll();
		this.calls.close();
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
		return "PluginVm[" + this.core.name + "#" + this.id + ", " + this.state + ", thread " + owner().getName() + "]";
	}

}
