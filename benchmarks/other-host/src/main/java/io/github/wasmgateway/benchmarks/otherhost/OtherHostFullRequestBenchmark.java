package io.github.wasmgateway.benchmarks.otherhost;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.roastedroot.proxywasm.PluginFactory;
import io.roastedroot.proxywasm.WasmException;
import io.roastedroot.proxywasm.internal.Action;
import io.roastedroot.proxywasm.internal.ArrayProxyMap;
import io.roastedroot.proxywasm.internal.HttpRequestAdaptor;
import io.roastedroot.proxywasm.internal.Plugin;
import io.roastedroot.proxywasm.internal.PluginHttpContext;
import io.roastedroot.proxywasm.internal.ProxyMap;
import io.roastedroot.proxywasm.internal.WasmResult;
import io.github.wasmgateway.benchmarks.shared.BenchRequest;
import io.github.wasmgateway.benchmarks.shared.CpuPerRequest;
import java.io.InputStream;
import java.util.List;
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
 * FullRequestBenchmark's request through proxy-wasm-java-host (the other JVM host of
 * proxy-wasm plugins, on Chicory too): the same plugin ({@code bench-headers.wasm}, built
 * from this repository's sources), the same headers, the same JMH settings. One request
 * is the steps a filter on this host takes for one: the plugin's lock (its VM serves one
 * request at a time), an HTTP context created ({@code PluginHttpContext}: context
 * create), request headers, response headers, the context closed (done, log, delete).
 * {@code COMPILED} is its best mode: Chicory's compiler as the machine factory
 * ({@code PluginFactory.Builder.withMachineFactory}; its examples pass Chicory's compiled
 * machine there), the same bytecode its build-time compiler would generate;
 * {@code INTERPRETER} is its default. Each iteration also prints the CPU time per request
 * ({@code CpuPerRequest}).
 *
 * <pre>
 * ./mvnw -Pquick install &amp;&amp; java -jar benchmarks/other-host/target/other-host-benchmarks.jar
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OtherHostFullRequestBenchmark extends CpuPerRequest {

	@Param({ "COMPILED", "INTERPRETER" })
	public String mode;

	private Plugin plugin;

	private final Exchange exchange = new Exchange();

	@Setup(Level.Trial)
	public void start() throws Exception {
		WasmModule module;
		try (InputStream in = OtherHostFullRequestBenchmark.class.getResourceAsStream("/fixtures/bench-headers.wasm")) {
			module = Parser.parse(in.readAllBytes());
		}
		PluginFactory.Builder builder = PluginFactory.builder(module).withName("bench");
		if (this.mode.equals("COMPILED")) {
			builder.withMachineFactory(MachineFactoryCompiler::compile);
		}
		this.plugin = (Plugin) builder.build().create();
		fullRequest();
		if (this.exchange.request.get("x-c") == null) {
			throw new IllegalStateException("the plugin did not add x-c: it did not run");
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.plugin.close();
	}

	@Benchmark
	public Action fullRequest() {
		request();
		this.exchange.reset();
		this.plugin.lock();
		try {
			PluginHttpContext request = this.plugin.createHttpContext(this.exchange);
			Action action = request.context().callOnRequestHeaders(false);
			request.context().callOnResponseHeaders(false);
			request.context().close();
			return action;
		}
		finally {
			this.plugin.unlock();
		}
	}

	/** {@link BenchRequest}'s request and response, as this host holds them. */
	static final class Exchange implements HttpRequestAdaptor {

		private final ProxyMap request = ProxyMap.of(BenchRequest.REQUEST_HEADERS);

		private final ProxyMap response = ProxyMap.of(BenchRequest.RESPONSE_HEADERS);

		void reset() {
			this.request.remove("x-c");
		}

		@Override
		public ProxyMap getHttpRequestHeaders() {
			return this.request;
		}

		@Override
		public ProxyMap getHttpResponseHeaders() {
			return this.response;
		}

		@Override
		public ProxyMap getHttpRequestTrailers() {
			return new ArrayProxyMap();
		}

		@Override
		public ProxyMap getHttpResponseTrailers() {
			return new ArrayProxyMap();
		}

		@Override
		public ProxyMap getGrpcReceiveInitialMetaData() {
			return new ArrayProxyMap();
		}

		@Override
		public ProxyMap getGrpcReceiveTrailerMetaData() {
			return new ArrayProxyMap();
		}

		@Override
		public String remoteAddress() {
			return "127.0.0.1";
		}

		@Override
		public int remotePort() {
			return 40000;
		}

		@Override
		public String localAddress() {
			return "127.0.0.1";
		}

		@Override
		public int localPort() {
			return 8080;
		}

		@Override
		public String protocol() {
			return "HTTP/1.1";
		}

		@Override
		public byte[] getProperty(PluginHttpContext pluginRequest, List<String> path) throws WasmException {
			return null;
		}

		@Override
		public WasmResult setProperty(PluginHttpContext pluginRequest, List<String> path, byte[] value) {
			return WasmResult.UNIMPLEMENTED;
		}

	}

}
