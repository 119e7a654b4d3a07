package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** my-plugin's binary (npm run build) on wasm-gateway's engine, as the gateway runs it. */
class MyPluginTests {

	static final PluginTester plugin = PluginTester
		.forFile(Path.of(System.getProperty("my-plugin.wasm", "build/my-plugin.wasm")))
		.build();

	@AfterAll
	static void close() {
		plugin.close();
	}

	@Test
	void addsItsHeader() {
		TestConfiguration configuration = plugin.configure("{\"header\": \"x-greeting\", \"value\": \"hi\"}");
		TestResult result = plugin.send(configuration, TestRequest.get("/my/hello"));
		assertThat(result.passed()).isTrue();
		assertThat(result.requestHeader("x-greeting")).isEqualTo("hi");
	}

	@Test
	void deniesThePathsUnderItsPrefix() {
		TestConfiguration configuration = plugin.configure("{\"deny_prefix\": \"/my/private\"}");
		TestResult result = plugin.send(configuration, TestRequest.get("/my/private/report"));
		assertThat(result.status()).isEqualTo(403);
		assertThat(result.body()).isEqualTo("denied by my-plugin");
		assertThat(plugin.send(configuration, TestRequest.get("/my/public")).passed()).isTrue();
	}

	@Test
	void refusesAMalformedConfiguration() {
		assertThat(plugin.refused("{\"deny_prefix\": \"private\"}"))
			.contains("my-plugin: configuration refused: deny_prefix must start with '/'");
		assertThat(plugin.failures()).isZero();
	}

}
