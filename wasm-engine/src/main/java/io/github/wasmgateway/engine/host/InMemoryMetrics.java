package io.github.wasmgateway.engine.host;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plugin metrics kept in this process, the default sink (and what tests read).
 */
public final class InMemoryMetrics implements MetricsSink {

	private final Map<String, Integer> ids = new ConcurrentHashMap<>();

	private final List<Metric> metrics = new CopyOnWriteArrayList<>();

	@Override
	public synchronized int define(String plugin, MetricType type, String name) {
		Integer existing = this.ids.get(plugin + "\0" + name);
		if (existing != null) {
			return existing;
		}
		this.metrics.add(new Metric(plugin, type, name));
		int id = this.metrics.size();
		this.ids.put(plugin + "\0" + name, id);
		return id;
	}

	@Override
	public boolean increment(int id, long offset) {
		Metric metric = metric(id);
		if (metric == null || metric.type == MetricType.HISTOGRAM) {
			return false;
		}
		metric.value.addAndGet(offset);
		return true;
	}

	@Override
	public boolean record(int id, long value) {
		Metric metric = metric(id);
		if (metric == null) {
			return false;
		}
		switch (metric.type) {
			case GAUGE -> metric.value.set(value);
			case COUNTER -> metric.value.addAndGet(value);
			case HISTOGRAM -> metric.value.incrementAndGet();
		}
		return true;
	}

	@Override
	public Long get(int id) {
		Metric metric = metric(id);
		return (metric != null) ? metric.value.get() : null;
	}

	/** The value of a plugin's metric by name, or null. */
	public Long value(String plugin, String name) {
		Integer id = this.ids.get(plugin + "\0" + name);
		return (id != null) ? get(id) : null;
	}

	private Metric metric(int id) {
		return (id >= 1 && id <= this.metrics.size()) ? this.metrics.get(id - 1) : null;
	}

	private static final class Metric {

		final String plugin;

		final MetricType type;

		final String name;

		final AtomicLong value = new AtomicLong();

		Metric(String plugin, MetricType type, String name) {
			this.plugin = plugin;
			this.type = type;
			this.name = name;
		}

	}

}
