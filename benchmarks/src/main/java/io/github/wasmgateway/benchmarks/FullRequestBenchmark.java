package io.github.wasmgateway.benchmarks;

import io.github.wasmgateway.benchmarks.shared.BenchRequest;
import io.github.wasmgateway.benchmarks.shared.CpuPerRequest;
import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.HttpStream;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.PluginConfiguration;
import io.github.wasmgateway.engine.PluginSettings;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.engine.host.HostServices;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full request through a plugin: context create, request headers (read two headers,
 * add one), response headers (read :status), log/done/delete; AOT against the
 * interpreter, with the same work done in plain Java as the floor.
 *
 * <pre>
 * ./mvnw -Pquick install &amp;&amp; java -jar benchmarks/target/benchmarks.jar FullRequest
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FullRequestBenchmark extends CpuPerRequest {

	@Param({ "AOT", "INTERPRETER" })
	public ExecutionMode mode;

	/** Guest calls per CPU time measurement (0: none, 1: every call). */
	@Param({ "64" })
	public int cpuSampling;

	private WasmEngine engine;

	private Plugin plugin;

	private PluginConfiguration configuration;

	private final Exchange exchange = new Exchange();

	@Setup(Level.Trial)
	public void start() throws IOException {
		this.engine = WasmEngine.builder().build();
		byte[] bytes;
		try (InputStream in = FullRequestBenchmark.class.getResourceAsStream("/fixtures/bench-headers.wasm")) {
			bytes = in.readAllBytes();
		}
		this.plugin = this.engine.createPlugin(this.engine.compile(PluginBinary.of(bytes, "bench-headers"), this.mode),
				PluginSettings.builder("bench").build(),
				HostServices.builder().withCpuSampling(this.cpuSampling).build());
		this.configuration = this.plugin.configure(new byte[0]);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.plugin.close();
		this.engine.close();
	}

	@Benchmark
	public Decision fullRequest() {
		request();
		this.exchange.reset();
		HttpStream stream = this.plugin.openStream(this.configuration, this.exchange);
		Decision decision = stream.onRequestHeaders(false);
		stream.onResponseHeaders(false);
		stream.finish();
		return decision;
	}

	/** The same header work in plain Java: the floor the plugin is measured against. */
	@Benchmark
	public String plainJava() {
		request();
		this.exchange.reset();
		HeaderMap headers = this.exchange.requestHeaders();
		String a = headers.get("x-a");
		String b = headers.get("x-b");
		int total = ((a != null) ? a.length() : 0) + ((b != null) ? b.length() : 0);
		headers.add("x-c", Integer.toString(total % 10));
		return this.exchange.responseHeaders().get(":status");
	}

	/**
	 * {@link BenchRequest}'s request and response.
	 */
	static final class Exchange implements HttpExchange {

		private final ListHeaderMap request = ListHeaderMap.of(BenchRequest.REQUEST_HEADERS);

		private final ListHeaderMap response = ListHeaderMap.of(BenchRequest.RESPONSE_HEADERS);

		void reset() {
			this.request.remove("x-c");
		}

		@Override
		public HeaderMap requestHeaders() {
			return this.request;
		}

		@Override
		public HeaderMap responseHeaders() {
			return this.response;
		}

	}

}
