package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.github.wasmgateway.engine.host.HostClock;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.RedisClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * Plugins written in the languages people use (C with wasi-libc, Rust, AssemblyScript)
 * and the Higress profile, doing what such plugins do: print, read the clock and
 * randomness, rewrite headers and bodies, answer locally, call Redis.
 */
class LanguageFixturesTests {

	static final WasmEngine engine = WasmEngine.builder().build();

	final TestHost host = new TestHost();

	@AfterAll
	static void close() {
		engine.close();
	}

	Plugin plugin(String fixture, ExecutionMode mode) {
		return plugin(fixture, mode, PluginSettings.builder(fixture), this.host.services());
	}

	Plugin plugin(String fixture, ExecutionMode mode, PluginSettings.Builder settings, HostServices services) {
		return engine.createPlugin(Fixtures.compiled(fixture, mode), settings.build(), services);
	}

	/** Runs the request headers of {@code exchange} and finishes the stream. */
	static HttpStream request(Plugin plugin, TestExchange exchange, Decision expected) {
		HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), exchange);
		try {
			assertThat(stream.onRequestHeaders(true)).isEqualTo(expected);
		}
		finally {
			stream.finish();
		}
		return stream;
	}

	// ---- C with wasi-libc

	@BothModes
	void wasiLibcStdoutAndStderrLinesReachThePluginLogger(ExecutionMode mode) {
		try (Plugin plugin = plugin("wasi-libc", mode)) {
			plugin.configure(new byte[0]);
			assertThat(this.host.logger.lines).contains("INFO hello from wasi-libc", "ERROR wasi-libc stderr line");
		}
	}

	@BothModes
	void wasiLibcClockReadsTheInjectedHostClock(ExecutionMode mode) {
		try (Plugin plugin = plugin("wasi-libc", mode)) {
			TestExchange exchange = TestExchange.get("/");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-fixture")).isEqualTo("wasi-libc");
			assertThat(exchange.requestHeaders.get("x-time")).isEqualTo(Long.toString(TestHost.CLOCK_NANOS));
		}
	}

	@BothModes
	void wasiLibcClockReadsTheRealClockByDefault(ExecutionMode mode) {
		try (Plugin plugin = plugin("wasi-libc", mode, PluginSettings.builder("wasi-libc"),
				HostServices.builder().withLoggers((name) -> this.host.logger).build())) {
			TestExchange exchange = TestExchange.get("/");
			long before = HostClock.SYSTEM.epochNanos();
			request(plugin, exchange, Decision.Flow.CONTINUE);
			long after = HostClock.SYSTEM.epochNanos();
			assertThat(Long.parseLong(exchange.requestHeaders.get("x-time"))).isBetween(before, after);
		}
	}

	@BothModes
	void wasiLibcRandomBytesDifferBetweenRequests(ExecutionMode mode) {
		try (Plugin plugin = plugin("wasi-libc", mode)) {
			TestExchange first = TestExchange.get("/");
			TestExchange second = TestExchange.get("/");
			request(plugin, first, Decision.Flow.CONTINUE);
			request(plugin, second, Decision.Flow.CONTINUE);
			String random = first.requestHeaders.get("x-random");
			assertThat(random).matches("[0-9a-f]{16}");
			assertThat(second.requestHeaders.get("x-random")).matches("[0-9a-f]{16}").isNotEqualTo(random);
		}
	}

	@BothModes
	void wasiLibcSeesNoEnvironmentByDefault(ExecutionMode mode) {
		try (Plugin plugin = plugin("wasi-libc", mode)) {
			TestExchange exchange = TestExchange.get("/");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-env-count")).isEqualTo("0");
		}
	}

	@BothModes
	void wasiLibcSeesTheEnvironmentTheSettingsGive(ExecutionMode mode) {
		PluginSettings.Builder settings = PluginSettings.builder("wasi-libc")
			.withWasiEnvironment("REGION", "eu-west")
			.withWasiEnvironment("TIER", "gold")
			.withWasiEnvironment("DEBUG", "0");
		try (Plugin plugin = plugin("wasi-libc", mode, settings, this.host.services())) {
			TestExchange exchange = TestExchange.get("/");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-env-count")).isEqualTo("3");
		}
	}

	// ---- Rust

	@BothModes
	void rustPluginAddsTheRequestPath(ExecutionMode mode) {
		try (Plugin plugin = plugin("rust-plugin", mode)) {
			TestExchange exchange = TestExchange.get("/items/42?view=full");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-rust-path")).isEqualTo("/items/42?view=full");
		}
	}

	@BothModes
	void rustPluginReportsAMissingPath(ExecutionMode mode) {
		try (Plugin plugin = plugin("rust-plugin", mode)) {
			TestExchange exchange = new TestExchange(ListHeaderMap.of(":method", "GET"));
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-rust-path")).isNull();
			assertThat(exchange.requestHeaders.get("x-rust-path-status")).isEqualTo(Exerciser.NOT_FOUND);
		}
	}

	@BothModes
	void rustPluginBuffersTheRequestBodyThenReversesIt(ExecutionMode mode) {
		try (Plugin plugin = plugin("rust-plugin", mode)) {
			HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), TestExchange.get("/"));
			try {
				stream.onRequestHeaders(false);
				assertThat(stream.onRequestBody(ByteArrayBody.of("hello "), false))
					.isEqualTo(Decision.Flow.STOP_AND_BUFFER);
				ByteArrayBody whole = ByteArrayBody.of("hello world");
				assertThat(stream.onRequestBody(whole, true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(whole.toString()).isEqualTo("dlrow olleh");
			}
			finally {
				stream.finish();
			}
		}
	}

	// ---- AssemblyScript

	@BothModes
	void assemblyScriptPluginDeniesDenyPathsWithALocalResponse(ExecutionMode mode) {
		try (Plugin plugin = plugin("as-plugin", mode)) {
			TestExchange exchange = TestExchange.get("/deny/admin");
			HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), exchange);
			Decision decision = stream.onRequestHeaders(true);
			stream.finish();
			assertThat(decision).isInstanceOf(Decision.Reply.class);
			LocalResponse response = ((Decision.Reply) decision).response();
			assertThat(response.status()).isEqualTo(403);
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("denied by as-plugin");
			assertThat(response.headers()).containsExactly(entry("x-as", "1"));
			assertThat(response.details()).isEqualTo("as-plugin");
			assertThat(exchange.requestHeaders.get("x-as")).isNull();
		}
	}

	@BothModes
	void assemblyScriptPluginLetsOtherPathsThrough(ExecutionMode mode) {
		try (Plugin plugin = plugin("as-plugin", mode)) {
			TestExchange exchange = TestExchange.get("/public");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-as")).isEqualTo("allowed");
		}
	}

	// ---- Higress

	@BothModes
	void higressPluginWaitsForItsRedisReplyAndResumes(ExecutionMode mode) {
		try (Plugin plugin = plugin("higress-profile", mode)) {
			TestExchange exchange = TestExchange.get("/");
			HttpStream stream = plugin.openStream(plugin.configure(new byte[0]), exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				assertThat(exchange.requestHeaders.get("x-redis-init-status")).isEqualTo(Exerciser.OK);
				TestHost.RecordingRedis.Call call = this.host.redis.only();
				assertThat(call.cluster()).isEqualTo("redis-a");
				assertThat(call.command()).isEqualTo("*1\r\n$4\r\nPING\r\n");

				call.reply("+PONG\r\n");

				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				// the plugin switched to the stream before reading the reply
				assertThat(exchange.requestHeaders.get("x-redis-reply")).isEqualTo("+PONG");
				assertThat(exchange.requestHeaders.get("x-redis-status")).isEqualTo(Exerciser.OK);
			}
			finally {
				stream.finish();
			}
			assertThat(this.host.logger.lines).contains("INFO higress-profile redis_init status=0");
			assertThat(plugin.failureCount()).isZero();
		}
	}

	@BothModes
	void higressPluginWithoutRedisIsToldBadArgumentAndContinues(ExecutionMode mode) {
		try (Plugin plugin = plugin("higress-profile", mode, PluginSettings.builder("higress-profile"),
				this.host.servicesBuilder().withRedis(RedisClient.none()).build())) {
			TestExchange exchange = TestExchange.get("/");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-fixture")).isEqualTo("higress-profile");
			assertThat(exchange.requestHeaders.get("x-redis-init-status")).isEqualTo(Exerciser.BAD_ARGUMENT);
			assertThat(exchange.requestHeaders.get("x-redis-call-status")).isEqualTo(Exerciser.BAD_ARGUMENT);
			assertThat(this.host.logger.lines).contains("INFO higress-profile redis_init status=2");
		}
	}

	@BothModes
	void higressUpstreamHostFunctionsAreUnimplemented(ExecutionMode mode) {
		try (Plugin plugin = plugin("higress-profile", mode, PluginSettings.builder("higress-profile"),
				this.host.servicesBuilder().withRedis(RedisClient.none()).build())) {
			TestExchange exchange = TestExchange.get("/", "x-override-host", "10.0.0.9:8080", "x-get-upstream-hosts",
					"1", "x-inject", "data");
			request(plugin, exchange, Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-override-status")).isEqualTo(Exerciser.UNIMPLEMENTED);
			assertThat(exchange.requestHeaders.get("x-upstream-hosts-status")).isEqualTo(Exerciser.UNIMPLEMENTED);
			assertThat(exchange.requestHeaders.get("x-upstream-hosts")).isNull();
			assertThat(exchange.requestHeaders.get("x-inject-status")).isEqualTo(Exerciser.UNIMPLEMENTED);
		}
	}

}
