package io.github.wasmgateway.engine.host;

/**
 * Shared message queues ({@code proxy_register_shared_queue} and friends). Tokens are
 * positive; a queue belongs to the VM id that registered it.
 */
public interface SharedQueues {

	/**
	 * Registers (or re-registers) queue {@code name} of {@code vmId} and returns its
	 * token; {@code listener} hears about every later enqueue.
	 */
	int register(String vmId, String name, Runnable listener);

	/** The token of an existing queue, or 0 when there is none. */
	int resolve(String vmId, String name);

	/** Appends; returns false when the token is unknown. */
	boolean enqueue(int token, byte[] data);

	/**
	 * Takes the oldest item; {@link #EMPTY} when empty; null when the token is unknown.
	 */
	byte[] dequeue(int token);

	/** The marker {@link #dequeue} returns for an empty queue. */
	byte[] EMPTY = new byte[0];

}
