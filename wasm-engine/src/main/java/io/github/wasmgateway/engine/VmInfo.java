package io.github.wasmgateway.engine;

/**
 * A snapshot of one VM, for the actuator endpoint and metrics.
 *
 * @param id the VM's number within its plugin
 * @param state STARTING, READY, RETIRING, FAILED or CLOSED
 * @param thread the worker thread it belongs to
 * @param memoryBytes its linear memory
 * @param ageMillis time since it was created
 * @param requestsServed streams it has opened
 * @param activeStreams streams open now
 * @param cpuNanos CPU time of its guest calls (sampled)
 */
public record VmInfo(int id, String state, String thread, long memoryBytes, long ageMillis, long requestsServed,
		int activeStreams, long cpuNanos) {
}
