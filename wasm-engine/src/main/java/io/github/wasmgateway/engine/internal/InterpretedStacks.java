package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The interpreter machines of one module's VMs, so that a profiler can read which Wasm
 * functions each is running: in interpreter mode the JVM stack shows only Chicory's
 * interpreter loop. Machines are held weakly (they go with their VM) and registered once,
 * when their VM is built; nothing happens per call but the machine's own bookkeeping.
 */
public final class InterpretedStacks {

	private final Set<TracingInterpreterMachine> machines = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	Machine newMachine(Instance instance) {
		TracingInterpreterMachine machine = new TracingInterpreterMachine(instance);
		this.machines.add(machine);
		return machine;
	}

	/**
	 * One sample: the function indices of every machine inside a guest call now,
	 * outermost first. Read from the sampling thread while the machines run, so a stack
	 * may be a moment old; that is what a sample is.
	 */
	public List<int[]> sample() {
		List<TracingInterpreterMachine> live;
		synchronized (this.machines) {
			live = new ArrayList<>(this.machines);
		}
		List<int[]> stacks = new ArrayList<>();
		for (TracingInterpreterMachine machine : live) {
			int[] stack = machine.activeFunctions();
			if (stack.length > 0) {
				stacks.add(stack);
			}
		}
		return stacks;
	}

}
