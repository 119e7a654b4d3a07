package io.github.wasmgateway.gateway;

import io.github.wasmgateway.gateway.ExchangeObserver.Phase;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observing a request's plugin calls costs the gateway: the observations of one
 * request's five calls (request headers and body, response headers and body, log) as
 * {@code PluginExchange} makes them, under a request observation. {@code registry}:
 * {@code none} (no registry, a no-op one, or only the meter handler: the route has no
 * observations, as the auto-configuration decides) or {@code handler} (a registry with a
 * handler that takes every observation and does nothing: what observing costs before a
 * tracer does its own work). Compare with {@code FullRequestBenchmark.fullRequest} run
 * alongside (docs/performance.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PluginCallObservationBenchmark {

	private static final Phase[] CALLS = { Phase.REQUEST_HEADERS, Phase.REQUEST_BODY, Phase.RESPONSE_HEADERS,
			Phase.RESPONSE_BODY, Phase.LOG };

	@Param({ "none", "handler" })
	public String registry;

	private PluginCallObservations.Route route;

	private Observation request;

	@Setup
	public void setUp() {
		ObservationRegistry observations = ObservationRegistry.NOOP;
		if (this.registry.equals("handler")) {
			observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new TakesAll());
		}
		this.route = new PluginCallObservations(observations, null).forRoute("bench", "bench");
		this.request = Observation.start("http.server.requests", observations);
	}

	/** One request's plugin calls: an observation started before each, stopped after. */
	@Benchmark
	public int request() {
		int observed = 0;
		for (Phase phase : CALLS) {
			Observation call = (this.route != null) ? this.route.start(phase, null, this.request) : null;
			if (call != null) {
				call.stop();
				observed++;
			}
		}
		return observed;
	}

	/** A handler that takes every observation, as a tracer's does, and does nothing. */
	static final class TakesAll implements ObservationHandler<Observation.Context> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
