package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.PluginFailure;
import io.github.wasmgateway.engine.PluginFailure.Kind;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Calls into one VM's guest code. Only the VM's own thread may call, one call at a time
 * (a host function may call back in, the allocator say: calls nest, counted by depth).
 * The outermost call runs under a deadline and has its CPU time sampled
 * ({@link CpuSampler}); argument arrays are pooled per depth and arity, so a call
 * allocates none; any failure is classified into a {@link PluginFailure} and handed to
 * the VM. Host work that arrives during a call ({@link #runWhenIdle}) runs once the
 * outermost call has returned, so the guest is never re-entered.
 */
final class GuestCalls {

	private static final int POOLED_DEPTHS = 2;

	private static final int POOLED_ARITY = 3;

	private final PluginVm vm;

	private final PluginCore core;

	private final Thread owner;

	private final CallWatchdog.Guard guard;

	private final CpuSampler cpu;

	/**
	 * Argument arrays for guest calls, by nesting depth (a callback, the allocator a host
	 * function calls inside it) and arity. Chicory is done with an array once the call
	 * has begun (compiled code unboxes it into JVM locals, the interpreter copies it into
	 * the frame), and each depth has its own arrays, so a nested call never refills the
	 * array of a call still running even if it were not.
	 */
	private final long[][][] argumentArrays = new long[POOLED_DEPTHS][POOLED_ARITY + 1][];

	private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

	private Instance instance;

	private int depth;

	GuestCalls(PluginVm vm, PluginCore core, Thread owner) {
		this.vm = vm;
		this.core = core;
		this.owner = owner;
		this.guard = core.watchdog.register(owner);
		this.cpu = new CpuSampler(core.services.cpuSampling());
	}

	/** The instance the calls go to, once it is built (its machine gives stacks). */
	void instance(Instance instance) {
		this.instance = instance;
	}

	Thread owner() {
		return this.owner;
	}

	/** Throws unless called on the VM's own thread. */
	void checkThread() {
		if (Thread.currentThread() != this.owner) {
			throw new IllegalStateException("VM " + this.vm.id() + " of plugin '" + this.core.name
					+ "' belongs to thread " + this.owner.getName() + " but was entered from "
					+ Thread.currentThread().getName() + "; hand the work to the VM's executor");
		}
	}

	/**
	 * Calls a guest function with containment: a deadline, and any failure turned into a
	 * {@link PluginCallException} that marks the VM failed. Read the result before the
	 * next guest call: the array may be reused (a host function's result array, when an
	 * export is an imported host function).
	 */
	long[] invokeWithin(long timeoutNanos, String callback, ExportFunction function, long... args) {
		checkThread();
		if (!this.vm.callable()) {
			throw this.vm.unavailable(callback);
		}
		boolean outermost = this.depth++ == 0;
		long cpuStarted = -1;
		StreamContext stream = null;
		if (outermost) {
			this.guard.enter(timeoutNanos);
			cpuStarted = this.cpu.start();
			if (cpuStarted >= 0) {
				stream = this.vm.contexts().effectiveStream();
			}
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
			throw this.vm.failed(classify(callback, timeoutNanos, ex), ex);
		}
		finally {
			this.depth--;
			if (outermost) {
				if (cpuStarted >= 0) {
					this.vm.countCpu(this.cpu.end(cpuStarted), stream);
				}
				this.guard.exit();
				if (!this.vm.callable()) {
					// the failure queued the streams' failure notices
					drainDeferred();
				}
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

	/** Runs host work after the current call, even when the VM is idle now. */
	void defer(Runnable task) {
		this.deferred.add(task);
	}

	/** Runs what arrived during a call; called once the outermost call is done. */
	void drainDeferred() {
		Runnable task;
		while (this.depth == 0 && (task = this.deferred.poll()) != null) {
			task.run();
		}
	}

	/** Stops watching the deadline of this VM's calls. */
	void close() {
		this.core.watchdog.unregister(this.guard);
	}

	/** What went wrong in a call, named for users, with the guest's stack. */
	private PluginFailure classify(String callback, long timeoutNanos, Throwable error) {
		Kind kind;
		String message;
		if (this.guard.timedOut() || error instanceof ChicoryInterruptedException) {
			kind = Kind.TIMEOUT;
			message = "the call ran past its deadline of " + timeoutNanos / 1_000_000 + " ms and was interrupted";
		}
		else if (error instanceof WasiExitException exit) {
			kind = Kind.EXIT;
			message = "the plugin called proc_exit(" + exit.exitCode() + ")";
		}
		else if (this.vm.nearMemoryCap()) {
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
		return new PluginFailure(this.vm.now(), this.core.name, this.vm.routeOfEffectiveStream(), callback, kind,
				message, stack);
	}

	static String describe(Throwable error) {
		String text = error.getMessage();
		return (text != null) ? text : error.getClass().getSimpleName();
	}

}
