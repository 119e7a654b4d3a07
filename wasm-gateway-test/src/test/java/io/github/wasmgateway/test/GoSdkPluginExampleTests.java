package io.github.wasmgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/plugins/testing.md (DocsExamplesTests keeps the two equal):
 * plugin binaries this project did not build with its SDK, in the shapes Go SDK builds
 * have (fixtures/README.md): {@code go-profile.wasm} is a Go 1.24
 * {@code GOOS=wasip1 -buildmode=c-shared} plugin on the Go SDK (WASI start-up,
 * {@code proxy_on_memory_allocate}), and {@code higress-profile.wasm} one on Higress's Go
 * SDK fork, which calls Redis on every request.
 */
class GoSdkPluginExampleTests {

	static final PluginTester goPlugin = PluginTester.forClasspath("fixtures/go-profile.wasm").build();

	@AfterAll
	static void close() {
		goPlugin.close();
	}

	@Test
	void goPluginAddsItsHeaderAndWritesToStdout() {
		TestConfiguration configuration = goPlugin.configure("{}");
		TestResult result = goPlugin.send(configuration, TestRequest.get("/hello"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-fixture")).isEqualTo("go-profile");
		// the Go runtime's start-up wrote to stdout: the plugin's log, at INFO
		assertThat(goPlugin.logs().contains("go-profile initialized")).isTrue();
	}

	@Test
	void higressPluginWaitsForItsRedisReply() {
		try (PluginTester higress = PluginTester.forClasspath("fixtures/higress-profile.wasm").build()) {
			TestConfiguration configuration = higress.configure("{}");
			assertThat(higress.redis().initialized()).contains("redis-a user= password= timeout=1000");

			higress.redis().hold();
			TestResult result = higress.send(configuration, TestRequest.get("/orders"));
			assertThat(result.paused()).isTrue();
			assertThat(higress.redis().commands()).containsExactly(List.of("PING"));

			higress.release();
			assertThat(result.passed()).isTrue();
			assertThat(result.requestHeader("x-redis-reply")).isEqualTo("+PONG");
			assertThat(result.requestHeader("x-redis-status")).isEqualTo("0");
		}
	}

	@Test
	void higressPluginGoesOnWhenRedisIsDown() {
		try (PluginTester higress = PluginTester.forClasspath("fixtures/higress-profile.wasm").build()) {
			TestConfiguration configuration = higress.configure("{}");
			higress.redis().down();
			TestResult result = higress.send(configuration, TestRequest.get("/orders"));
			assertThat(result.passed()).isTrue();
			assertThat(result.requestHeader("x-redis-status")).isEqualTo("1");
		}
	}

}
