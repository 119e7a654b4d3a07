package io.github.wasmgateway.engine.host;

/**
 * Where a plugin's own metrics go ({@code proxy_define_metric} and friends). Ids are
 * positive; an unknown id is refused with false / null.
 * <p>
 * Each version of a plugin (a reload makes a new one) {@link #retain retains} every
 * metric it defines, once, and {@link #release releases} them when it is retired or
 * closed, so a sink can drop the metrics no version serving now has defined.
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

	/** A plugin version defined metric {@code id} and uses it until it releases it. */
	default void retain(int id) {
	}

	/** A plugin version that retained metric {@code id} no longer serves. */
	default void release(int id) {
	}

}
