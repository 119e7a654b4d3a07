package io.github.wasmgateway.engine.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared queues in this process, the default.
 */
public final class InMemorySharedQueues implements SharedQueues {

	private final Map<String, Integer> tokens = new ConcurrentHashMap<>();

	private final Map<Integer, Queue> queues = new ConcurrentHashMap<>();

	private final AtomicInteger nextToken = new AtomicInteger(1);

	@Override
	public int register(String vmId, String name, Runnable listener) {
		int token = this.tokens.computeIfAbsent(vmId + "\0" + name, (key) -> this.nextToken.getAndIncrement());
		this.queues.compute(token, (t, queue) -> {
			Queue result = (queue != null) ? queue : new Queue();
			result.listener = listener;
			return result;
		});
		return token;
	}

	@Override
	public int resolve(String vmId, String name) {
		return this.tokens.getOrDefault(vmId + "\0" + name, 0);
	}

	@Override
	public boolean enqueue(int token, byte[] data) {
		Queue queue = this.queues.get(token);
		if (queue == null) {
			return false;
		}
		queue.items.add(data.clone());
		Runnable listener = queue.listener;
		if (listener != null) {
			listener.run();
		}
		return true;
	}

	@Override
	public byte[] dequeue(int token) {
		Queue queue = this.queues.get(token);
		if (queue == null) {
			return null;
		}
		byte[] item = queue.items.poll();
		return (item != null) ? item : EMPTY;
	}

	private static final class Queue {

		final ConcurrentLinkedQueue<byte[]> items = new ConcurrentLinkedQueue<>();

		volatile Runnable listener;

	}

}
