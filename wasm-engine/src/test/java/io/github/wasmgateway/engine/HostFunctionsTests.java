package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.BAD_ARGUMENT;
import static io.github.wasmgateway.engine.Exerciser.CAS_MISMATCH;
import static io.github.wasmgateway.engine.Exerciser.INVALID_MEMORY_ACCESS;
import static io.github.wasmgateway.engine.Exerciser.NOT_FOUND;
import static io.github.wasmgateway.engine.Exerciser.OK;
import static io.github.wasmgateway.engine.Exerciser.UNIMPLEMENTED;
import static io.github.wasmgateway.engine.Exerciser.WASI_FAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.github.wasmgateway.engine.Exerciser.Outcome;
import io.github.wasmgateway.engine.host.ForeignFunctions;
import io.github.wasmgateway.engine.host.PluginLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every synchronous host function, called by the ABI exerciser during a request and
 * checked by what it reports back (fixtures/README.md, "The exerciser protocol") and by
 * what the host saw: headers, logs, metrics, local responses. Callouts, Redis, ticks and
 * queues are in {@link AsyncCallsTests}, bodies in {@link BodyTests}.
 */
class HostFunctionsTests extends ExerciserTestSupport {

	// ---- logging

	@BothModes
	void logWritesOneLineAtEachLevelToThePluginLogger(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("log");
			assertThat(outcome.result()).isEqualTo("0,0,0,0,0,0");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(this.host.logger.lines).containsSubsequence("TRACE exerciser log level 0",
					"DEBUG exerciser log level 1", "INFO exerciser log level 2", "WARN exerciser log level 3",
					"ERROR exerciser log level 4", "CRITICAL exerciser log level 5");
		}
	}

	@BothModes
	void logAtALevelPastCriticalIsBadArgumentAndNotLogged(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("log:6", "x-value", "level six line");
			assertThat(outcome.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(this.host.logger.contains("level six line")).isFalse();
		}
	}

	@BothModes
	void logLevelIsTheLowestLevelTheHostLogsAndLowerLinesAreDropped(ExecutionMode mode) {
		WarnAndAbove logger = new WarnAndAbove();
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withLoggers((name) -> logger).build())) {
			Outcome level = exerciser.run("get-log-level");
			assertThat(level.result()).isEqualTo("3");
			assertThat(level.status()).isEqualTo(OK);

			assertThat(exerciser.run("log:2", "x-value", "an info line").status()).isEqualTo(OK);
			assertThat(exerciser.run("log:3", "x-value", "a warning line").status()).isEqualTo(OK);
			assertThat(logger.lines).contains("WARN a warning line").noneMatch((line) -> line.contains("an info line"));
		}
	}

	@BothModes
	void logLevelIsTraceWhenTheHostLogsEverything(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("get-log-level").result()).isEqualTo("0");
		}
	}

	// ---- time

	@BothModes
	void currentTimeIsTheHostClock(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("current-time");
			assertThat(outcome.result()).isEqualTo(Long.toString(TestHost.CLOCK_NANOS));
			assertThat(outcome.status()).isEqualTo(OK);

			this.host.clock.nanos = TestHost.CLOCK_NANOS + 1_500_000_000L;
			assertThat(exerciser.run("current-time").result())
				.isEqualTo(Long.toString(TestHost.CLOCK_NANOS + 1_500_000_000L));
		}
	}

	// ---- buffers

	@BothModes
	void vmAndPluginConfigurationBuffersAreReadableFromAStream(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME).withVmConfiguration("vm-settings"), "plugin-settings")) {
			Outcome vm = exerciser.run("get-buffer:6");
			assertThat(vm.status()).isEqualTo(OK);
			assertThat(vm.result()).isEqualTo("vm-settings");
			assertThat(vm.header("x-result-len")).isEqualTo("11");

			Outcome plugin = exerciser.run("get-buffer:7");
			assertThat(plugin.status()).isEqualTo(OK);
			assertThat(plugin.result()).isEqualTo("plugin-settings");
			assertThat(plugin.header("x-result-hex")).isEqualTo(hex("plugin-settings"));
		}
	}

	@BothModes
	void bufferIsReadFromStartUpToMax(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode, PluginSettings.builder(Exerciser.NAME), "plugin-settings")) {
			Outcome outcome = exerciser.run("get-buffer:7", "x-start", "7", "x-max", "3");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("set");
		}
	}

	@BothModes
	void bufferStatusGivesTheSize(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode, PluginSettings.builder(Exerciser.NAME), "plugin-settings")) {
			Outcome outcome = exerciser.run("get-buffer-status:7");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("15");
		}
	}

	@BothModes
	void buffersThatDoNotExistDuringRequestHeadersAreNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// 0/1 bodies, 2/3 TCP data, 4 callout body, 5 gRPC message, 8 foreign call
			// arguments, 9 Redis reply
			for (String type : List.of("0", "1", "2", "3", "4", "5", "8", "9")) {
				assertThat(exerciser.run("get-buffer:" + type).status()).as("buffer " + type).isEqualTo(NOT_FOUND);
				assertThat(exerciser.run("get-buffer-status:" + type).status()).as("buffer " + type)
					.isEqualTo(NOT_FOUND);
			}
		}
	}

	@BothModes
	void unknownBufferTypeIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("get-buffer:10").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("get-buffer-status:99").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("set-buffer:12", "x-value", "x").status()).isEqualTo(BAD_ARGUMENT);
		}
	}

	@BothModes
	void configurationBuffersCannotBeChanged(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME).withVmConfiguration("vm-settings"), "plugin-settings")) {
			Outcome vm = exerciser.run("set-buffer:6", "x-value", "changed");
			assertThat(vm.status()).isEqualTo(NOT_FOUND);
			assertThat(vm.result()).isEqualTo("vm-settings");

			Outcome plugin = exerciser.run("set-buffer:7", "x-value", "changed");
			assertThat(plugin.status()).isEqualTo(NOT_FOUND);
			assertThat(plugin.result()).isEqualTo("plugin-settings");
		}
	}

	// ---- configuration

	@BothModes
	void pluginReadsItsConfigurationsAtStart(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME).withVmConfiguration("vm-settings"), "{\"limit\":5}")) {
			assertThat(exerciser.run("get-vm-config").result()).isEqualTo("vm-settings");
			assertThat(exerciser.run("get-config").result()).isEqualTo("{\"limit\":5}");
			assertThat(this.host.logger.lines).contains("INFO exerciser vm_start root=1 size=11",
					"INFO exerciser configure root=1 size=11");
		}
	}

	@BothModes
	void abi010GetConfigurationReturnsThePluginConfiguration(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode, PluginSettings.builder(Exerciser.NAME), "{\"limit\":5}")) {
			Outcome outcome = exerciser.run("get-configuration");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("{\"limit\":5}");
		}
	}

	@BothModes
	void configurationThePluginRejectsFailsConfigure(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("exerciser", mode),
				PluginSettings.builder("strict").build(), this.host.services())) {
			assertThatThrownBy(() -> plugin.configure(bytes("reject"))).isInstanceOf(PluginLoadException.class)
				.hasMessageContaining("plugin 'strict'")
				.hasMessageContaining("proxy_on_configure returned false");
			// the plugin itself is fine: another configuration is accepted
			assertThat(plugin.configure(bytes("accept")).bytes()).isEqualTo(bytes("accept"));
		}
	}

	@BothModes
	void vmConfigurationThePluginRejectsFailsConfigure(ExecutionMode mode) {
		try (Plugin plugin = engine.createPlugin(Fixtures.compiled("exerciser", mode),
				PluginSettings.builder("strict-vm").withVmConfiguration("reject").build(), this.host.services())) {
			assertThatThrownBy(() -> plugin.configure(new byte[0])).isInstanceOf(PluginLoadException.class)
				.hasMessageContaining("plugin 'strict-vm'")
				.hasMessageContaining("proxy_on_vm_start returned false");
		}
	}

	// ---- header maps: request headers

	@BothModes
	void getHeaderReadsARequestHeaderWhateverTheCaseOfTheName(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("get-header:X-Tenant", "x-tenant", "acme");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("acme");
		}
	}

	@BothModes
	void getHeaderAnswersShortLongAndNonAsciiValuesByteForByte(ExecutionMode mode) {
		// the host writes short ASCII values byte by byte, longer ones in bulk, and
		// others
		// as UTF-8
		for (String value : List.of("v", "a-value-of-17-by", "x".repeat(300), "grüße, 東京", "é".repeat(200))) {
			try (Exerciser exerciser = exerciser(mode)) {
				Outcome outcome = exerciser.run("get-header:x-tenant", "x-tenant", value);
				assertThat(outcome.status()).isEqualTo(OK);
				assertThat(outcome.result()).isEqualTo(value);
			}
		}
	}

	@BothModes
	void getHeaderOfAMissingHeaderIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("get-header:x-missing");
			assertThat(outcome.status()).isEqualTo(NOT_FOUND);
			assertThat(outcome.result()).isNull();
		}
	}

	@BothModes
	void addHeaderKeepsTheValuesAlreadyThere(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("add-header", "x-tenant", "acme", "x-key", "x-tenant", "x-value", "globex");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.exchange().requestHeaders.getAll("x-tenant")).containsExactly("acme", "globex");
		}
	}

	@BothModes
	void replaceHeaderLeavesOneValue(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("replace-header", "x-tenant", "acme", "x-tenant", "initech", "x-key",
					"x-tenant", "x-value", "globex");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("globex");
			assertThat(outcome.exchange().requestHeaders.getAll("x-tenant")).containsExactly("globex");
		}
	}

	@BothModes
	void removeHeaderRemovesEveryValue(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("remove-header", "x-tenant", "acme", "x-tenant", "initech", "x-key",
					"x-tenant");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-status-get")).isEqualTo(NOT_FOUND);
			assertThat(outcome.exchange().requestHeaders.getAll("x-tenant")).isEmpty();
		}
	}

	@BothModes
	void getMapGivesEveryPairInOrder(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("get-map");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result())
				.isEqualTo(":method=GET|:path=/|:authority=example.com|:scheme=http|x-op=get-map");
			assertThat(outcome.header("x-result-count")).isEqualTo("5");
		}
	}

	@BothModes
	void getMapSizeIsTheSizeOfTheSerializedMap(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("get-map-size");
			int expected = serializedSize(ListHeaderMap.copyOf(exchange.requestHeaders));
			Outcome outcome = exerciser.run(exchange);
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo(Integer.toString(expected));
		}
	}

	@BothModes
	void setMapReplacesTheWholeRequestMap(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("set-map", "x-drop-secret", "s3cr3t", "x-keep", "1");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-status-get")).isEqualTo(OK);
			ListHeaderMap headers = outcome.exchange().requestHeaders;
			assertThat(headers.get("x-drop-secret")).isNull();
			assertThat(names(headers)).startsWith(":method", ":path", ":authority", ":scheme", "x-op", "x-keep",
					"x-set-map");
			assertThat(headers.get("x-set-map")).isEqualTo("1");
		}
	}

	@BothModes
	void requestTrailersAreReadableWhenTheRequestHasThem(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("get-header:x-checksum", "x-map", "1");
			exchange.requestTrailers = ListHeaderMap.of("x-checksum", "abc123");
			Outcome outcome = exerciser.run(exchange);
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("abc123");
		}
	}

	@BothModes
	void mapsTheStreamDoesNotHaveAreNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// request trailers (none yet), response headers and trailers (no response
			// yet), callout response headers and trailers (outside a callout reply)
			for (String map : List.of("1", "2", "3", "6", "7")) {
				assertThat(exerciser.run("get-map-size", "x-map", map).status()).as("map " + map).isEqualTo(NOT_FOUND);
				assertThat(exerciser.run("get-map", "x-map", map).status()).as("map " + map).isEqualTo(NOT_FOUND);
				assertThat(exerciser.run("get-header:x-any", "x-map", map).status()).as("map " + map)
					.isEqualTo(NOT_FOUND);
			}
			assertThat(exerciser.run("add-header", "x-map", "2", "x-key", "x-late", "x-value", "1").status())
				.isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void unknownMapTypeIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("get-map-size", "x-map", "9").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("get-map", "x-map", "99").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("add-header", "x-map", "8", "x-key", "k", "x-value", "v").status())
				.isEqualTo(BAD_ARGUMENT);
		}
	}

	@BothModes
	void malformedMapIsBadArgumentAndChangesNothing(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome tooManyPairs = exerciser.run("bad-map:count");
			assertThat(tooManyPairs.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(names(tooManyPairs.exchange().requestHeaders)).containsExactly(":method", ":path", ":authority",
					":scheme", "x-op", "x-status");

			Outcome badLengths = exerciser.run("bad-map:lengths");
			assertThat(badLengths.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(badLengths.exchange().requestHeaders.get(":path")).isEqualTo("/");
		}
	}

	// ---- header maps: response headers (the op runs in proxy_on_response_headers)

	@BothModes
	void getHeaderReadsAResponseHeader(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.runInResponse("get-header:server");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("upstream");
		}
	}

	@BothModes
	void addHeaderAddsToTheResponse(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.runInResponse("add-header", "x-key", "server", "x-value", "gateway");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.exchange().responseHeaders.getAll("server")).containsExactly("upstream", "gateway");
			assertThat(outcome.exchange().requestHeaders.get("server")).isNull();
		}
	}

	@BothModes
	void replaceHeaderReplacesInTheResponse(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.runInResponse("replace-header", "x-key", "server", "x-value", "gateway");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.exchange().responseHeaders.getAll("server")).containsExactly("gateway");
		}
	}

	@BothModes
	void removeHeaderRemovesFromTheResponse(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.runInResponse("remove-header", "x-key", "server");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.exchange().responseHeaders.get("server")).isNull();
		}
	}

	@BothModes
	void getMapAndSizeDescribeTheResponseMap(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome pairs = exerciser.runInResponse("get-map");
			assertThat(pairs.status()).isEqualTo(OK);
			assertThat(pairs.result()).isEqualTo(":status=200|server=upstream");

			Outcome size = exerciser.runInResponse("get-map-size");
			assertThat(size.status()).isEqualTo(OK);
			assertThat(size.result())
				.isEqualTo(Integer.toString(serializedSize(ListHeaderMap.of(":status", "200", "server", "upstream"))));
		}
	}

	@BothModes
	void setMapWritesTheResponseMap(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// the op copies the request headers (minus x-drop-*) over the response
			// headers
			Outcome outcome = exerciser.runInResponse("set-map", "x-map", "2", "x-drop-me", "1");
			assertThat(outcome.status()).isEqualTo(OK);
			ListHeaderMap response = outcome.exchange().responseHeaders;
			assertThat(response.get("server")).isNull();
			assertThat(response.get(":path")).isEqualTo("/");
			assertThat(response.get("x-drop-me")).isNull();
			assertThat(response.get("x-set-map")).isEqualTo("1");
		}
	}

	// ---- properties

	@BothModes
	void pluginPropertiesAreAnsweredFromTheSettings(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME).withRootId("edge-root").withVmId("edge-vm"), "")) {
			assertThat(exerciser.run("get-property:plugin_name").result()).isEqualTo("exerciser");
			assertThat(exerciser.run("get-property:plugin_root_id").result()).isEqualTo("edge-root");
			Outcome vmId = exerciser.run("get-property:plugin_vm_id");
			assertThat(vmId.status()).isEqualTo(OK);
			assertThat(vmId.result()).isEqualTo("edge-vm");
		}
	}

	@BothModes
	void requestPropertiesAreAnsweredByTheExchange(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange.get("/orders/7", "x-op", "get-property:request.path");
			Outcome path = exerciser.run(exchange);
			assertThat(path.status()).isEqualTo(OK);
			assertThat(path.result()).isEqualTo("/orders/7");

			TestExchange other = Exerciser.request("get-property:source.address");
			other.properties.put("source.address", "10.0.0.7:51000");
			assertThat(exerciser.run(other).result()).isEqualTo("10.0.0.7:51000");
		}
	}

	@BothModes
	void unknownPropertyIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("get-property:no.such.property");
			assertThat(outcome.status()).isEqualTo(NOT_FOUND);
			assertThat(outcome.result()).isNull();
		}
	}

	@BothModes
	void propertyThePluginSetsIsReadBackLaterInTheSameStreamOnly(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange
				.get("/", "x-op", "set-property:my.flag", "x-value", "on", "x-response-op", "get-property:my.flag")
				.withResponse(200);
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				assertThat(exchange.requestHeaders.get("x-status")).isEqualTo(OK);
				assertThat(exchange.requestHeaders.get("x-result")).isEqualTo("on");
				stream.onResponseHeaders(true);
				assertThat(exchange.responseHeaders.get("x-status")).isEqualTo(OK);
				assertThat(exchange.responseHeaders.get("x-result")).isEqualTo("on");
			}
			finally {
				stream.finish();
			}
			assertThat(exerciser.run("get-property:my.flag").status()).isEqualTo(NOT_FOUND);
		}
	}

	// ---- contexts and stream control

	@BothModes
	void switchingToAnUnknownContextIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("set-effective-context");
			assertThat(outcome.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(outcome.header("x-status-restore")).isEqualTo(OK);
		}
	}

	@BothModes
	void switchingToTheRootContextOrItselfIsAllowed(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome root = exerciser.run("set-effective-context:root");
			assertThat(root.status()).isEqualTo(OK);
			assertThat(root.result()).isEqualTo("1");
			Outcome self = exerciser.run("set-effective-context:self");
			assertThat(self.status()).isEqualTo(OK);
			assertThat(self.header("x-status-restore")).isEqualTo(OK);
		}
	}

	@BothModes
	void continueStreamInsideACallbackContinuesWithoutAResume(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome request = exerciser.run("continue-stream:0");
			assertThat(request.status()).isEqualTo(OK);
			assertThat(request.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(request.exchange().resumed).isEmpty();

			assertThat(exerciser.run("continue-stream:1").status()).isEqualTo(OK);
		}
	}

	@BothModes
	void continueOrCloseOfAnUnknownStreamTypeIsRefused(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// 2 and 3 are the TCP streams, which an HTTP host does not have
			assertThat(exerciser.run("continue-stream:2").status()).isEqualTo(UNIMPLEMENTED);
			assertThat(exerciser.run("close-stream:3").status()).isEqualTo(UNIMPLEMENTED);
			assertThat(exerciser.run("continue-stream:9").status()).isEqualTo(BAD_ARGUMENT);
			Outcome close = exerciser.run("close-stream:9");
			assertThat(close.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(close.exchange().closed).isEmpty();
		}
	}

	@BothModes
	void closeStreamTellsTheHostWhichDirectionToClose(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// inside a callback the reset is the callback's decision
			Outcome request = exerciser.run("close-stream:0");
			assertThat(request.status()).isEqualTo(OK);
			assertThat(request.decision()).isEqualTo(new Decision.Reset(StreamDirection.REQUEST));

			Outcome response = exerciser.run("close-stream:1");
			assertThat(response.decision()).isEqualTo(new Decision.Reset(StreamDirection.RESPONSE));
		}
	}

	@BothModes
	void abi010ContinueAndRouteCacheFunctionsAnswerOk(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("continue-request").status()).isEqualTo(OK);
			assertThat(exerciser.run("continue-response").status()).isEqualTo(OK);
			assertThat(exerciser.run("clear-route-cache").status()).isEqualTo(OK);
		}
	}

	@BothModes
	void proxyDoneWithNothingToFinishIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("done");
			assertThat(outcome.status()).isEqualTo(NOT_FOUND);
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);
		}
	}

	@BothModes
	void getStatusBeforeAnyGrpcCloseIsZeroWithoutAMessage(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// Envoy answers the root context's status, 0 until a gRPC call closes
			Outcome outcome = exerciser.run("get-status");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo("0");
			assertThat(outcome.header("x-result-message")).isEmpty();
		}
	}

	@BothModes
	void requestLogCallbackSeesTheRequestHeaders(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange.get("/audit/me");
			HttpStream stream = exerciser.open(exchange);
			stream.onRequestHeaders(true);
			stream.finish();
			assertThat(this.host.logger.lines).contains("INFO on_log ctx=" + stream.contextId() + " path=/audit/me");
			assertThat(stream.deleted()).isTrue();
		}
	}

	// ---- local responses

	@BothModes
	void localResponseIsWhatTheClientGets(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("local-response");
			assertThat(outcome.decision()).isInstanceOf(Decision.Reply.class);
			assertThat(outcome.status()).isEqualTo(OK);
			LocalResponse response = outcome.localResponse();
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.details()).isEqualTo("exerciser");
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("local response from exerciser");
			assertThat(response.headers()).containsExactly(entry("x-local", "1"));
			assertThat(response.grpcStatus()).isEqualTo(-1);
			// answered inside the callback: through the action, not HttpExchange.respond
			assertThat(outcome.exchange().responses).isEmpty();
		}
	}

	@BothModes
	void localResponseCarriesTheStatusBodyAndGrpcStatusThePluginChose(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("local-response", "x-response-code", "429", "x-response-body", "slow down",
					"x-response-details", "rate_limited", "x-grpc-status", "8");
			LocalResponse response = outcome.localResponse();
			assertThat(response.status()).isEqualTo(429);
			assertThat(response.details()).isEqualTo("rate_limited");
			assertThat(response.body()).isEqualTo(bytes("slow down"));
			assertThat(response.grpcStatus()).isEqualTo(8);
		}
	}

	@BothModes
	void localResponseFromTheResponsePhaseReplacesTheResponse(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.runInResponse("local-response", "x-response-code", "502");
			assertThat(outcome.decision()).isInstanceOf(Decision.Reply.class);
			assertThat(outcome.localResponse().status()).isEqualTo(502);
		}
	}

	// ---- Higress upstream functions: offered, answered UNIMPLEMENTED

	@BothModes
	void higressUpstreamFunctionsAreUnimplemented(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("upstream-hosts").status()).isEqualTo(UNIMPLEMENTED);
			assertThat(exerciser.run("override-host:10.0.0.1:8080").status()).isEqualTo(UNIMPLEMENTED);
			assertThat(exerciser.run("inject-data", "x-value", "data").status()).isEqualTo(UNIMPLEMENTED);
		}
	}

	// ---- shared data

	@BothModes
	void sharedDataIsReadBackWithACasToken(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("shared-set:quota=100").status()).isEqualTo(OK);
			Outcome read = exerciser.run("shared-get:quota");
			assertThat(read.status()).isEqualTo(OK);
			assertThat(read.result()).isEqualTo("100");
			assertThat(Long.parseLong(read.header("x-result-cas"))).isPositive();
		}
	}

	@BothModes
	void missingSharedKeyIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("shared-get:never-set").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void writeWithAStaleCasTokenIsCasMismatch(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			exerciser.run("shared-set:quota=100");
			String cas = exerciser.run("shared-get:quota").header("x-result-cas");
			assertThat(exerciser.run("shared-set:quota=99", "x-cas", cas).status()).isEqualTo(OK);
			assertThat(exerciser.run("shared-set:quota=98", "x-cas", cas).status()).isEqualTo(CAS_MISMATCH);
			assertThat(exerciser.run("shared-get:quota").result()).isEqualTo("99");
		}
	}

	@BothModes
	void sharedDataIsSharedByTheVmsOfOnePlugin(ExecutionMode mode) throws Exception {
		ExecutorService otherWorker = Executors.newSingleThreadExecutor();
		try (Exerciser exerciser = exerciser(mode)) {
			exerciser.run("shared-set:quota=100");
			String cas = exerciser.run("shared-get:quota").header("x-result-cas");

			// another worker thread, so another VM, reads and updates it
			Outcome read = otherWorker.submit(() -> exerciser.run("shared-get:quota")).get();
			assertThat(read.result()).isEqualTo("100");
			assertThat(read.header("x-result-cas")).isEqualTo(cas);
			Outcome update = otherWorker.submit(() -> exerciser.run("shared-set:quota=99", "x-cas", cas)).get();
			assertThat(update.status()).isEqualTo(OK);
			assertThat(exerciser.plugin.vms()).hasSize(2);

			// this VM's token is now stale
			assertThat(exerciser.run("shared-set:quota=98", "x-cas", cas).status()).isEqualTo(CAS_MISMATCH);
			assertThat(exerciser.run("shared-get:quota").result()).isEqualTo("99");
		}
		finally {
			otherWorker.shutdown();
		}
	}

	// ---- metrics

	@BothModes
	void metricsOfEveryTypeReachTheMetricsSink(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("metrics");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-status-counter")).isEqualTo("0,0,0");
			assertThat(outcome.header("x-status-gauge")).isEqualTo("0,0,0");
			assertThat(outcome.header("x-status-histogram")).isEqualTo("0,0,0");
			assertThat(outcome.header("x-result-counter")).isEqualTo("1");
			assertThat(outcome.header("x-result-gauge")).isEqualTo("42");
			assertThat(this.host.metrics.value("exerciser", "exerciser_counter")).isEqualTo(1);
			assertThat(this.host.metrics.value("exerciser", "exerciser_gauge")).isEqualTo(42);
			// a histogram reads back as its sample count
			assertThat(this.host.metrics.value("exerciser", "exerciser_histogram")).isEqualTo(1);
		}
	}

	@BothModes
	void counterIncrementsAddUp(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome define = exerciser.run("metric-define:counter", "x-name", "requests_total");
			assertThat(define.status()).isEqualTo(OK);
			String id = define.result();
			assertThat(exerciser.run("metric-increment:" + id, "x-value", "5").result()).isEqualTo("5");
			Outcome again = exerciser.run("metric-increment:" + id, "x-value", "2");
			assertThat(again.status()).isEqualTo(OK);
			assertThat(again.result()).isEqualTo("7");
			assertThat(exerciser.run("metric-get:" + id).result()).isEqualTo("7");
			assertThat(this.host.metrics.value("exerciser", "requests_total")).isEqualTo(7);
		}
	}

	@BothModes
	void gaugeIsSetByRecordAndMovedByIncrement(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			String id = exerciser.run("metric-define:gauge", "x-name", "in_flight").result();
			Outcome record = exerciser.run("metric-record:" + id, "x-value", "10");
			assertThat(record.status()).isEqualTo(OK);
			assertThat(record.result()).isEqualTo("10");
			assertThat(exerciser.run("metric-increment:" + id, "x-value", "-3").result()).isEqualTo("7");
			assertThat(this.host.metrics.value("exerciser", "in_flight")).isEqualTo(7);
		}
	}

	@BothModes
	void definingAMetricTwiceGivesTheSameId(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			String first = exerciser.run("metric-define:counter", "x-name", "hits").result();
			String second = exerciser.run("metric-define:counter", "x-name", "hits").result();
			assertThat(second).isEqualTo(first);
		}
	}

	@BothModes
	void unknownMetricTypeIsBadArgumentAndUnknownIdIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("metric-define:7").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(exerciser.run("metric-get:9999").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("metric-increment:9999").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("metric-record:9999").status()).isEqualTo(NOT_FOUND);
		}
	}

	// ---- foreign functions

	@BothModes
	void clearRouteCacheForeignFunctionAnswersOkWithNoResult(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("foreign:clear_route_cache");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-result-len")).isEqualTo("0");
		}
	}

	@BothModes
	void unknownForeignFunctionIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("foreign:compress", "x-value", "data");
			assertThat(outcome.status()).isEqualTo(NOT_FOUND);
			assertThat(outcome.result()).isNull();
		}
	}

	@BothModes
	void hostDigestForeignFunctionAnswersTheDigest(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("foreign:wasmgateway.crypto.digest.v1", "x-value",
					"\u0007\0\0\0SHA-256\u0003\0\0\0abc");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-result-hex"))
				.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		}
	}

	@BothModes
	void hostCryptoWithMalformedArgumentsIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			// a length past the end, an unknown hash, a missing field
			assertThat(exerciser.run("foreign:wasmgateway.crypto.digest.v1", "x-value", "\u0009\0\0\0SHA-256").status())
				.isEqualTo(BAD_ARGUMENT);
			assertThat(
					exerciser.run("foreign:wasmgateway.crypto.digest.v1", "x-value", "\u0003\0\0\0MD4\u0003\0\0\0abc")
						.status())
				.isEqualTo(BAD_ARGUMENT);
			Outcome outcome = exerciser.run("foreign:wasmgateway.crypto.verify_signature.v1", "x-value",
					"\u0005\0\0\0ECDSA");
			assertThat(outcome.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(outcome.result()).isNull();
		}
	}

	@BothModes
	void hostCryptoTurnedOffIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withForeignFunctions(ForeignFunctions.withoutHostCrypto()).build())) {
			assertThat(exerciser
				.run("foreign:wasmgateway.crypto.digest.v1", "x-value", "\u0007\0\0\0SHA-256\u0003\0\0\0abc")
				.status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("foreign:clear_route_cache").status()).isEqualTo(OK);
		}
	}

	// ---- Redis without a Redis reply (the call itself is in AsyncCallsTests)

	@BothModes
	void redisInitOfAnUnknownClusterIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("redis-init", "x-cluster", "no-such-redis").status()).isEqualTo(BAD_ARGUMENT);
			assertThat(this.host.redis.initialized).isEmpty();
		}
	}

	@BothModes
	void redisCallToAClusterNeverInitializedIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("redis-call");
			assertThat(outcome.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(this.host.redis.calls).isEmpty();
		}
	}

	// ---- WASI

	@BothModes
	void wasiStdoutAndStderrGoToThePluginLogger(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome stdout = exerciser.run("wasi-fd-write:1", "x-value", "to stdout\n");
			assertThat(stdout.status()).isEqualTo(OK);
			assertThat(stdout.result()).isEqualTo("10");
			exerciser.run("wasi-fd-write:2", "x-value", "to stderr\n");
			assertThat(this.host.logger.lines).contains("INFO to stdout", "ERROR to stderr");
		}
	}

	@BothModes
	void wasiRealtimeClockIsTheHostClock(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("wasi-clock:0");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.result()).isEqualTo(Long.toString(TestHost.CLOCK_NANOS));
		}
	}

	@BothModes
	void wasiRandomGivesDifferentBytesEachTime(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome first = exerciser.run("wasi-random:16");
			Outcome second = exerciser.run("wasi-random:16");
			assertThat(first.status()).isEqualTo(OK);
			assertThat(first.result()).matches("[0-9a-f]{32}");
			assertThat(second.result()).matches("[0-9a-f]{32}").isNotEqualTo(first.result());
		}
	}

	@BothModes
	void wasiEnvironmentIsEmptyByDefault(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("wasi-environ");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-result-count")).isEqualTo("0");
		}
	}

	@BothModes
	void wasiEnvironmentIsWhatTheSettingsGive(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME)
					.withWasiEnvironment("REGION", "eu-west")
					.withWasiEnvironment("TIER", "gold"),
				"")) {
			Outcome outcome = exerciser.run("wasi-environ");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-result-count")).isEqualTo("2");
			assertThat(outcome.result().split("\\|")).containsExactlyInAnyOrder("REGION=eu-west", "TIER=gold");
		}
	}

	@BothModes
	void wasiArgumentsAreWhatTheSettingsGive(ExecutionMode mode) {
		try (Exerciser plain = exerciser(mode)) {
			assertThat(plain.run("wasi-args").header("x-result-count")).isEqualTo("0");
		}
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME).withWasiArguments(List.of("exerciser.wasm", "--fast")), "")) {
			Outcome outcome = exerciser.run("wasi-args");
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-result-count")).isEqualTo("2");
			assertThat(outcome.result()).isEqualTo("exerciser.wasm|--fast");
		}
	}

	@BothModes
	void procExitEndsTheCallAsAnExitAndTheNextRequestGetsAFreshVm(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode,
				PluginSettings.builder(Exerciser.NAME).withRebuildBackoff(Duration.ZERO), "")) {
			assertThatThrownBy(() -> exerciser.run("wasi-proc-exit:3"))
				.isInstanceOfSatisfying(PluginCallException.class, (ex) -> {
					assertThat(ex.kind()).isEqualTo(PluginFailure.Kind.EXIT);
					assertThat(ex.getMessage()).contains("proc_exit(3)");
				});
			assertThat(exerciser.run("get-log-level").status()).isEqualTo(OK);
			assertThat(exerciser.plugin.failureCount()).isEqualTo(1);
			assertThat(exerciser.plugin.rebuildCount()).isEqualTo(1);
		}
	}

	// ---- bad guest input: a status, never a trap

	/**
	 * What each {@code bad-pointer:<function>} call must answer (fixtures/README.md,
	 * "Bad-pointer calls"): INVALID_MEMORY_ACCESS for proxy-wasm, FAULT for WASI, except
	 * where the host has nothing to read or write before looking at the pointer.
	 */
	static Map<String, String> badPointerAnswers() {
		Map<String, String> answers = new LinkedHashMap<>();
		for (String function : List.of("proxy_log", "proxy_get_log_level", "proxy_get_current_time_nanoseconds",
				"proxy_set_buffer_bytes", "proxy_get_header_map_size", "proxy_get_header_map_pairs",
				"proxy_set_header_map_pairs", "proxy_get_header_map_value", "proxy_get_header_map_value-ret",
				"proxy_add_header_map_value", "proxy_replace_header_map_value", "proxy_remove_header_map_value",
				"proxy_send_local_response", "proxy_http_call", "proxy_set_shared_data", "proxy_get_shared_data",
				"proxy_register_shared_queue", "proxy_resolve_shared_queue", "proxy_enqueue_shared_queue",
				"proxy_dequeue_shared_queue", "proxy_define_metric", "proxy_get_metric", "proxy_get_property",
				"proxy_set_property", "proxy_call_foreign_function", "proxy_get_configuration", "proxy_redis_init",
				"proxy_redis_call", "proxy_get_status", "proxy_grpc_call", "proxy_grpc_stream", "proxy_grpc_send")) {
			answers.put(function, INVALID_MEMORY_ACCESS);
		}
		// buffer 0 (the request body) does not exist during request headers
		answers.put("proxy_get_buffer_bytes", NOT_FOUND);
		answers.put("proxy_get_buffer_status", NOT_FOUND);
		for (String function : List.of("proxy_get_upstream_hosts", "proxy_set_upstream_override_host",
				"proxy_inject_encoded_data_to_filter_chain")) {
			answers.put(function, UNIMPLEMENTED);
		}
		for (String function : List.of("fd_write", "clock_time_get", "random_get", "environ_sizes_get", "environ_get",
				"args_sizes_get", "args_get")) {
			answers.put(function, WASI_FAULT);
		}
		return answers;
	}

	static Stream<Arguments> badPointerCalls() {
		List<Arguments> calls = new ArrayList<>();
		for (ExecutionMode mode : List.of(ExecutionMode.AOT, ExecutionMode.INTERPRETER)) {
			badPointerAnswers().forEach((function, answer) -> calls.add(Arguments.of(mode, function, answer)));
		}
		return calls.stream();
	}

	/** WASI has an environment and arguments, so environ_get and args_get must write. */
	Exerciser exerciserWithWasiData(ExecutionMode mode) {
		return exerciser(mode,
				PluginSettings.builder(Exerciser.NAME)
					.withWasiEnvironment("A", "1")
					.withWasiArguments(List.of("exerciser.wasm")),
				"");
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("badPointerCalls")
	void badPointerIsAnsweredWithAStatusAndTheVmKeepsServing(ExecutionMode mode, String function, String answer) {
		try (Exerciser exerciser = exerciserWithWasiData(mode)) {
			Outcome outcome = exerciser.run("bad-pointer:" + function);
			assertThat(outcome.header("x-error")).isNull();
			assertThat(outcome.status()).isEqualTo(answer);
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);

			Outcome next = exerciser.run(TestExchange.get("/next"));
			assertThat(next.header("x-exerciser")).isNotNull();
			assertThat(exerciser.plugin.failureCount()).isZero();
			assertThat(exerciser.plugin.rebuildCount()).isZero();
		}
	}

	@BothModes
	void everyBadPointerCallInOneRequestIsAnsweredAndTheVmKeepsServing(ExecutionMode mode) {
		try (Exerciser exerciser = exerciserWithWasiData(mode)) {
			Outcome outcome = exerciser.run("bad-pointer:all");
			Map<String, String> answers = new LinkedHashMap<>();
			badPointerAnswers().keySet()
				.forEach((function) -> answers.put(function, outcome.header("x-bad-" + function)));
			assertThat(answers).isEqualTo(badPointerAnswers());

			assertThat(exerciser.run(TestExchange.get("/next")).header("x-exerciser")).isNotNull();
			assertThat(exerciser.plugin.failureCount()).isZero();
		}
	}

	// ---- helpers

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String hex(String text) {
		StringBuilder hex = new StringBuilder();
		for (byte b : bytes(text)) {
			hex.append(String.format("%02x", b));
		}
		return hex.toString();
	}

	static List<String> names(HeaderMap map) {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < map.size(); i++) {
			names.add(map.name(i));
		}
		return names;
	}

	/**
	 * proxy-wasm map serialization: u32 count, a pair of u32 lengths per entry, then each
	 * name and value followed by a NUL.
	 */
	static int serializedSize(HeaderMap map) {
		int size = 4 + 8 * map.size();
		for (int i = 0; i < map.size(); i++) {
			size += bytes(map.name(i)).length + 1 + bytes(map.value(i)).length + 1;
		}
		return size;
	}

	/** Logs WARN and above, like a host configured at WARN. */
	static final class WarnAndAbove implements PluginLogger {

		final List<String> lines = new CopyOnWriteArrayList<>();

		@Override
		public boolean isEnabled(Level level) {
			return level.ordinal() >= Level.WARN.ordinal();
		}

		@Override
		public void log(Level level, String message) {
			this.lines.add(level + " " + message);
		}

	}

}
