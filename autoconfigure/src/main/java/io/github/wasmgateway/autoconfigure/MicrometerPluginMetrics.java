package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.engine.host.MetricsSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's own metrics ({@code proxy_define_metric}) as Micrometer meters: counters as
 * counters, gauges as gauges, histograms as distribution summaries, named and tagged by
 * {@link PluginMetricNames} (Envoy's tag extraction) plus the plugin's name. A meter is
 * removed once no version of its plugin that defined it serves any more (the plugin was
 * removed, or reloaded into a version that does not define it).
 * <p>
 * A metric the registry refuses (its name taken by a meter of another type, or, in
 * Prometheus, with other tag keys) still works for its plugin, as it would in Envoy,
 * whose stats of different types never clash: it is kept out of the registry, and a
 * warning names the plugin, the metric and the registry's reason.
 */
final class MicrometerPluginMetrics implements MetricsSink {

	private static final Logger log = LoggerFactory.getLogger(MicrometerPluginMetrics.class);

	private final MeterRegistry registry;

	/**
	 * Where the metrics the registry refused live, so their plugins can still use them.
	 */
	private final MeterRegistry refused = new SimpleMeterRegistry();

	private final PluginMetricNames names;

	/** Ids of the live metrics by plugin, type and name. */
	private final Map<String, Integer> ids = new ConcurrentHashMap<>();

	/** Every metric ever defined, by id - 1 (ids are never reused). */
	private final List<Metric> metrics = new CopyOnWriteArrayList<>();

	MicrometerPluginMetrics(MeterRegistry registry, PluginMetricNames names) {
		this.registry = registry;
		this.names = names;
	}

	@Override
	public synchronized int define(String plugin, MetricType type, String name) {
		String key = plugin + "\0" + type + "\0" + name;
		Integer existing = this.ids.get(key);
		if (existing != null) {
			return existing;
		}
		PluginMetricNames.Tagged tagged = this.names.extract(name);
		Tags tags = Tags.of(tagged.tags().stream().filter((tag) -> !tag.getKey().equals("plugin")).toList())
			.and(Tag.of("plugin", plugin));
		Metric metric;
		try {
			metric = register(key, type, tagged.name(), tags, this.registry);
		}
		catch (IllegalArgumentException ex) {
			log.warn("plugin '{}': its metric '{}' is not exported as meter '{}' ({}); the plugin still uses it",
					plugin, name, tagged.name(), ex.getMessage());
			metric = register(key, type, tagged.name(), tags, this.refused);
		}
		this.metrics.add(metric);
		int id = this.metrics.size();
		this.ids.put(key, id);
		return id;
	}

	private static Metric register(String key, MetricType type, String name, Tags tags, MeterRegistry registry) {
		return switch (type) {
			case COUNTER -> new Metric(key, type, Counter.builder(name).tags(tags).register(registry), null, registry);
			case GAUGE -> {
				AtomicLong value = new AtomicLong();
				yield new Metric(key, type, Gauge.builder(name, value, AtomicLong::get).tags(tags).register(registry),
						value, registry);
			}
			case HISTOGRAM ->
				new Metric(key, type, DistributionSummary.builder(name).tags(tags).register(registry), null, registry);
		};
	}

	@Override
	public synchronized void retain(int id) {
		Metric metric = metric(id);
		if (metric != null) {
			metric.holders++;
		}
	}

	@Override
	public synchronized void release(int id) {
		Metric metric = metric(id);
		if (metric != null && metric.holders > 0 && --metric.holders == 0) {
			metric.registry.remove(metric.meter);
			this.ids.remove(metric.key, id);
		}
	}

	@Override
	public boolean increment(int id, long offset) {
		Metric metric = metric(id);
		if (metric == null || metric.type == MetricType.HISTOGRAM) {
			return false;
		}
		if (metric.type == MetricType.COUNTER) {
			((Counter) metric.meter).increment(offset);
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
			case COUNTER -> ((Counter) metric.meter).increment(value);
			case GAUGE -> metric.gauge.set(value);
			case HISTOGRAM -> ((DistributionSummary) metric.meter).record(value);
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
			case COUNTER -> (long) ((Counter) metric.meter).count();
			case GAUGE -> metric.gauge.get();
			case HISTOGRAM -> ((DistributionSummary) metric.meter).count();
		};
	}

	private Metric metric(int id) {
		return (id >= 1 && id <= this.metrics.size()) ? this.metrics.get(id - 1) : null;
	}

	/** One defined metric; {@code gauge} holds a gauge's value. */
	private static final class Metric {

		final String key;

		final MetricType type;

		final Meter meter;

		final AtomicLong gauge;

		/** The application's registry, or the one for refused metrics. */
		final MeterRegistry registry;

		/** Plugin versions that defined it and still serve; guarded by the sink. */
		int holders;

		Metric(String key, MetricType type, Meter meter, AtomicLong gauge, MeterRegistry registry) {
			this.key = key;
			this.type = type;
			this.meter = meter;
			this.gauge = gauge;
			this.registry = registry;
		}

	}

}
