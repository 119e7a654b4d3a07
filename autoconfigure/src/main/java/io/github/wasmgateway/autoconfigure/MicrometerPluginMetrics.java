package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.engine.host.MetricsSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plugin's own metrics ({@code proxy_define_metric}) as Micrometer meters, tagged with
 * the plugin's name: counters as counters, gauges as gauges, histograms as distribution
 * summaries.
 */
final class MicrometerPluginMetrics implements MetricsSink {

	private final MeterRegistry registry;

	private final Map<String, Integer> ids = new ConcurrentHashMap<>();

	private final List<Metric> metrics = new CopyOnWriteArrayList<>();

	MicrometerPluginMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public synchronized int define(String plugin, MetricType type, String name) {
		String key = plugin + "\0" + type + "\0" + name;
		Integer existing = this.ids.get(key);
		if (existing != null) {
			return existing;
		}
		Metric metric = switch (type) {
			case COUNTER ->
				new Metric(type, Counter.builder(name).tag("plugin", plugin).register(this.registry), null, null);
			case GAUGE -> {
				AtomicLong value = new AtomicLong();
				Gauge.builder(name, value, AtomicLong::get).tag("plugin", plugin).register(this.registry);
				yield new Metric(type, null, value, null);
			}
			case HISTOGRAM -> new Metric(type, null, null,
					DistributionSummary.builder(name).tag("plugin", plugin).register(this.registry));
		};
		this.metrics.add(metric);
		int id = this.metrics.size();
		this.ids.put(key, id);
		return id;
	}

	@Override
	public boolean increment(int id, long offset) {
		Metric metric = metric(id);
		if (metric == null || metric.type == MetricType.HISTOGRAM) {
			return false;
		}
		if (metric.counter != null) {
			metric.counter.increment(offset);
		}
		else {
			metric.gauge.addAndGet(offset);
		}
		return true;
	}

	@Override
	public boolean record(int id, long value) {
		Metric metric = metric(id);
		if (metric == null) {
			return false;
		}
		switch (metric.type) {
			case COUNTER -> metric.counter.increment(value);
			case GAUGE -> metric.gauge.set(value);
			case HISTOGRAM -> metric.summary.record(value);
		}
		return true;
	}

	@Override
	public Long get(int id) {
		Metric metric = metric(id);
		if (metric == null) {
			return null;
		}
		return switch (metric.type) {
			case COUNTER -> (long) metric.counter.count();
			case GAUGE -> metric.gauge.get();
			case HISTOGRAM -> metric.summary.count();
		};
	}

	private Metric metric(int id) {
		return (id >= 1 && id <= this.metrics.size()) ? this.metrics.get(id - 1) : null;
	}

	private record Metric(MetricType type, Counter counter, AtomicLong gauge, DistributionSummary summary) {
	}

}
