package io.github.wasmgateway.benchmarks;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
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
 * interpreter, with the same work done in plain Java, and the same guest calls on a bare
 * Chicory instance, as floors.
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

	/**
	 * Guest calls per CPU time measurement (0: none, 1: every call; 256 is the engine's
	 * default).
	 */
	@Param({ "256" })
	public int cpuSampling;

	private WasmEngine engine;

	private Plugin plugin;

	private PluginConfiguration configuration;

	private final Exchange exchange = new Exchange();

	@Setup(Level.Trial)
	public void start() throws IOException {
		this.engine = WasmEngine.builder().build();
		byte[] bytes = wasm();
		this.plugin = this.engine.createPlugin(this.engine.compile(PluginBinary.of(bytes, "bench-headers"), this.mode),
				PluginSettings.builder("bench").build(),
				HostServices.builder().withCpuSampling(this.cpuSampling).build());
		this.configuration = this.plugin.configure(new byte[0]);
	}

	static byte[] wasm() throws IOException {
		try (InputStream in = FullRequestBenchmark.class.getResourceAsStream("/fixtures/bench-headers.wasm")) {
			return in.readAllBytes();
		}
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

	/**
	 * The floor of any host on Chicory: the same guest calls (context create, request
	 * headers, response headers, log, done, delete) on a bare compiled Chicory instance,
	 * whose header functions answer a one-byte value from the guest's allocator (a nested
	 * guest call, as a real host's copy does) and add nothing: the cost of crossing into
	 * and out of Chicory's compiled code, with no host bookkeeping and no header work.
	 */
	@Benchmark
	public long chicoryFloor(BareChicory bare) {
		request();
		return bare.request();
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

	@Override
	protected long pluginCpuNanos() {
		return (this.plugin != null) ? this.plugin.cpuNanos() : -1;
	}

	/** bench-headers.wasm on Chicory's compiler alone, for {@link #chicoryFloor}. */
	@State(Scope.Thread)
	public static class BareChicory {

		private static final FunctionType HEADER_FUNCTION = FunctionType.of(
				new ValType[] { ValType.I32, ValType.I32, ValType.I32, ValType.I32, ValType.I32 },
				new ValType[] { ValType.I32 });

		private final long[] ok = new long[1];

		private Instance instance;

		private ExportFunction malloc;

		private ExportFunction contextCreate;

		private ExportFunction requestHeaders;

		private ExportFunction responseHeaders;

		private ExportFunction log;

		private ExportFunction done;

		private ExportFunction delete;

		@Setup(Level.Trial)
		public void start() throws IOException {
			WasmModule module = Parser.parse(wasm());
			this.instance = Instance.builder(module)
				.withImportValues(ImportValues.builder()
					.addFunction(new HostFunction("env", "proxy_get_header_map_value", HEADER_FUNCTION,
							(instance, args) -> getHeader(args)))
					.addFunction(new HostFunction("env", "proxy_add_header_map_value", HEADER_FUNCTION,
							(instance, args) -> this.ok))
					.build())
				.withMachineFactory(MachineFactoryCompiler::compile)
				.build();
			this.instance.export("_initialize").apply();
			this.malloc = this.instance.export("malloc");
			this.contextCreate = this.instance.export("proxy_on_context_create");
			this.requestHeaders = this.instance.export("proxy_on_request_headers");
			this.responseHeaders = this.instance.export("proxy_on_response_headers");
			this.log = this.instance.export("proxy_on_log");
			this.done = this.instance.export("proxy_on_done");
			this.delete = this.instance.export("proxy_on_delete");
			this.contextCreate.apply(1, 0);
		}

		private long[] getHeader(long[] args) {
			int address = (int) this.malloc.apply(1)[0];
			this.instance.memory().writeByte(address, (byte) 'v');
			this.instance.memory().writeI32((int) args[3], address);
			this.instance.memory().writeI32((int) args[4], 1);
			this.ok[0] = 0;
			return this.ok;
		}

		long request() {
			this.contextCreate.apply(2, 1);
			long code = this.requestHeaders.apply(2, 8, 0)[0];
			this.responseHeaders.apply(2, 2, 0);
			this.log.apply(2);
			this.done.apply(2);
			this.delete.apply(2);
			return code;
		}

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
