package io.github.wasmgateway.engine.host;

/**
 * Where a plugin's own metrics go ({@code proxy_define_metric} and friends). Ids are
 * positive; an unknown id is refused with false / null.
 */
public interface MetricsSink {

	/** Counter, gauge or histogram, as the ABI numbers them. */
	enum MetricType {

		COUNTER, GAUGE, HISTOGRAM;

		public static MetricType of(int abiValue) {
			return (abiValue >= 0 && abiValue < values().length) ? values()[abiValue] : null;
		}

	}

	/** Defines (or finds) the metric and returns its id. */
	int define(String plugin, MetricType type, String name);

	/** Adds to a counter or gauge; false for an unknown id or a histogram. */
	boolean increment(int id, long offset);

	/**
	 * Sets a gauge, adds to a counter, or records a histogram sample; false for an
	 * unknown id.
	 */
	boolean record(int id, long value);

	/** The current value (histograms: the sample count), or null for an unknown id. */
	Long get(int id);

}
