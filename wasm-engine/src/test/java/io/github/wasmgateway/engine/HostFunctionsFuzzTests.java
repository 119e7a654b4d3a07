package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.wasmgateway.engine.internal.PluginVm;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;

/**
 * Every proxy-wasm host function with what a hostile guest may pass: arbitrary pointers
 * and lengths (in and out of memory), map bytes, enum values and ids. The fixture
 * {@code fuzz-host.wasm} runs the request body as a script of host calls (see its
 * source), in AOT and in the interpreter. Each call must answer a status: no exception
 * thrown into the guest (a failed stream), no host function failing with an exception
 * (logged as "the host failed to serve"), no hang (the call deadline), no OOM.
 */
class HostFunctionsFuzzTests {

	/** Records of a script: a selector and ten u32 arguments. */
	private static final int RECORD = 44;

	private static final int MAX_RECORDS = 64;

	/** Where the fixture copies the data bytes. */
	private static final int DATA_ADDRESS = 1024;

	private static final ListAppender<ILoggingEvent> hostFailures = new ListAppender<>();

	private static final WasmEngine engine = WasmEngine.builder().build();

	private static final Map<ExecutionMode, Run> runs = new EnumMap<>(ExecutionMode.class);

	static {
		hostFailures.start();
		((Logger) LoggerFactory.getLogger(PluginVm.class)).addAppender(hostFailures);
	}

	@AfterAll
	static void close() {
		runs.values().forEach((run) -> run.plugin.close());
		engine.close();
		((Logger) LoggerFactory.getLogger(PluginVm.class)).detachAppender(hostFailures);
	}

	/** The fixture runs what the script says: here, one proxy_log of the data bytes. */
	@BothModes
	void theScriptReachesTheHostFunctions(ExecutionMode mode) {
		byte[] data = "script ran".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		ByteBuffer script = ByteBuffer.allocate(4 + data.length + RECORD).order(ByteOrder.LITTLE_ENDIAN);
		script.putInt(data.length).put(data);
		// proxy_log(warn, data, length)
		script.putInt(0).putInt(3).putInt(DATA_ADDRESS).putInt(data.length);
		script.put(new byte[RECORD - 16]);
		run(mode, script.array(), exchange());
		assertThat(runs.get(mode).host.logger.contains("script ran")).isTrue();
	}

	@FuzzTest(maxDuration = "10s")
	void everyHostCallAnswersAStatus(FuzzedDataProvider data) {
		ExecutionMode mode = data.consumeBoolean() ? ExecutionMode.AOT : ExecutionMode.INTERPRETER;
		run(mode, script(data), exchange());
	}

	private static TestExchange exchange() {
		TestExchange exchange = TestExchange.get("/fuzz", "x-a", "1", "x-b", "two");
		exchange.withResponse(200, "x-r", "3");
		return exchange;
	}

	private static void run(ExecutionMode mode, byte[] script, TestExchange exchange) {
		Run run = run(mode);
		hostFailures.list.clear();
		HttpStream stream = run.plugin.openStream(run.configuration, exchange);
		try {
			stream.onRequestHeaders(false);
			stream.onRequestBody(new ByteArrayBody(script), true);
			stream.onResponseHeaders(true);
		}
		catch (PluginCallException ex) {
			throw new AssertionError("a host call failed the stream (" + mode + "): " + ex.getMessage(), ex);
		}
		finally {
			stream.finish();
		}
		assertThat(exchange.failures).as("failures of the stream (%s)", mode).isEmpty();
		assertThat(hostFailures.list).extracting(ILoggingEvent::getFormattedMessage)
			.as("host functions that threw (%s)", mode)
			.noneMatch((message) -> message.contains("the host failed to serve"));
		run.inputs++;
	}

	/**
	 * u32 length + data bytes, then records whose arguments are biased towards what
	 * reaches the functions' logic: small values (enums, ids), pointers into the data,
	 * lengths around it, and arbitrary words.
	 */
	private static byte[] script(FuzzedDataProvider data) {
		byte[] bytes = data.consumeBytes(data.consumeInt(0, 2048));
		ByteBuffer script = ByteBuffer.allocate(4 + bytes.length + MAX_RECORDS * RECORD).order(ByteOrder.LITTLE_ENDIAN);
		script.putInt(bytes.length).put(bytes);
		for (int i = 0; i < MAX_RECORDS && data.remainingBytes() > 0; i++) {
			script.putInt(data.consumeInt(0, 39));
			for (int argument = 0; argument < 10; argument++) {
				script.putInt(switch (data.consumeInt(0, 3)) {
					case 0 -> data.consumeInt(-1, 16);
					case 1 -> DATA_ADDRESS + data.consumeInt(0, Math.max(0, bytes.length));
					case 2 -> data.consumeInt(0, 70_000);
					default -> data.consumeInt();
				});
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(script.array(), 0, script.position());
		return out.toByteArray();
	}

	/**
	 * A plugin per mode, renewed now and then so that shared data and the recorded log do
	 * not pile up.
	 */
	private static Run run(ExecutionMode mode) {
		Run run = runs.get(mode);
		if (run == null || run.inputs >= 200) {
			if (run != null) {
				run.plugin.close();
			}
			TestHost host = new TestHost();
			Plugin plugin = engine.createPlugin(Fixtures.compiled("fuzz-host", mode),
					PluginSettings.builder("fuzz-host")
						.withCallTimeout(Duration.ofSeconds(30))
						.withMemoryLimitBytes(16L * 1024 * 1024)
						.build(),
					host.services());
			run = new Run(host, plugin, plugin.configure(new byte[0]));
			runs.put(mode, run);
		}
		return run;
	}

	private static final class Run {

		final TestHost host;

		final Plugin plugin;

		final PluginConfiguration configuration;

		int inputs;

		Run(TestHost host, Plugin plugin, PluginConfiguration configuration) {
			this.host = host;
			this.plugin = plugin;
			this.configuration = configuration;
		}

	}

}
