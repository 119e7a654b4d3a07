package io.github.wasmgateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.gateway.EchoUpstream;
import io.github.wasmgateway.gateway.GatewayTestApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Service plugins in a running gateway ({@code wasm-gateway.services}): one VM on a
 * thread of its own, no route; it ticks and calls out on its own, shows in the
 * {@code wasmplugins} endpoint and in health, and is reloaded when its file changes.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wasm-gateway.compile-cache=", "wasm-gateway.reload.poll-interval=100ms",
				"wasm-gateway.reload.quiet-period=200ms",
				"wasm-gateway.services.poller.location=classpath:fixtures/service.wasm",
				"wasm-gateway.services.poller.configuration=tick=50;callout=echo",
				"wasm-gateway.services.swappable.location=file:${test.service-file}",
				"wasm-gateway.services.swappable.configuration=tick=60000",
				"wasm-gateway.clusters.echo.url=${test.upstream}",
				"management.endpoints.web.exposure.include=health,wasmplugins",
				"management.endpoint.health.show-details=always" })
@ExtendWith(OutputCaptureExtension.class)
class ServicePluginTests {

	static final EchoUpstream upstream = new EchoUpstream();

	static final Path serviceFile = copy("service");

	@LocalServerPort
	int port;

	@Autowired
	WasmServiceRegistry services;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("test.upstream", upstream::url);
		registry.add("test.service-file", serviceFile::toString);
	}

	@AfterAll
	static void stop() throws IOException {
		upstream.close();
		Files.deleteIfExists(serviceFile);
	}

	static Path copy(String fixture) {
		try (InputStream in = ServicePluginTests.class.getResourceAsStream("/fixtures/" + fixture + ".wasm")) {
			Path file = Files.createTempFile("service", ".wasm");
			Files.write(file, in.readAllBytes());
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String json(String path) {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri(path)
			.exchangeToMono((response) -> response.bodyToMono(String.class))
			.block(Duration.ofSeconds(10));
	}

	@Test
	void aServiceTicksAndCallsOutWithNoRoute(CapturedOutput output) {
		List<VmInfo> vms = this.services.service("poller").current().plugin().vms();
		assertThat(vms).singleElement().satisfies((vm) -> assertThat(vm.thread()).isEqualTo("wasm-service-poller"));
		// the echo upstream answers with the request line the service sent
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> output.getOut().contains("service callout status=200 body=GET /service/tick/"));
	}

	@Test
	void aServiceShowsInTheEndpointAndInHealth() {
		String plugin = json("/actuator/wasmplugins/poller");
		assertThat((String) JsonPath.read(plugin, "$.kind")).isEqualTo("service");
		assertThat((List<?>) JsonPath.read(plugin, "$.routes")).isEmpty();
		assertThat((List<String>) JsonPath.read(plugin, "$.vms[*].thread")).containsExactly("wasm-service-poller");
		assertThat((String) JsonPath.read(json("/actuator/wasmplugins"), "$.poller.kind")).isEqualTo("service");

		String health = json("/actuator/health");
		assertThat((String) JsonPath.read(health, "$.components.wasmPlugins.details.poller.kind")).isEqualTo("service");
		assertThat((Integer) JsonPath.read(health, "$.components.wasmPlugins.details.poller.vms")).isEqualTo(1);
	}

	@Test
	void aServiceIsReloadedWhenItsFileChanges(CapturedOutput output) throws IOException {
		String before = this.services.service("swappable").current().plugin().compiled().sha256();
		Path next = copy("exerciser");
		Files.move(next, serviceFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> !this.services.service("swappable").current().plugin().compiled().sha256().equals(before));
		ServiceHandle swapped = this.services.service("swappable");
		assertThat(swapped.lastReload().succeeded()).isTrue();
		assertThat(swapped.current().plugin().vms()).singleElement()
			.satisfies((vm) -> assertThat(vm.thread()).isEqualTo("wasm-service-swappable"));
		assertThat(output.getOut()).contains("exerciser configure");
	}

	@Test
	void aBrokenServiceFileKeepsTheServiceRunningUntilTheServingVersionIsPutBack() throws IOException {
		byte[] serving = Files.readAllBytes(serviceFile);
		String sha256 = this.services.service("swappable").current().plugin().compiled().sha256();
		replaceServiceFile("not wasm".getBytes());
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> json("/actuator/health").contains("reloadFailed"));
		assertThat(this.services.service("swappable").current().plugin().compiled().sha256()).isEqualTo(sha256);

		replaceServiceFile(serving);
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> !json("/actuator/health").contains("reloadFailed"));
		assertThat(this.services.service("swappable").lastReload().succeeded()).isTrue();
		assertThat(this.services.service("swappable").current().plugin().compiled().sha256()).isEqualTo(sha256);
	}

	static void replaceServiceFile(byte[] bytes) throws IOException {
		Path next = Files.createTempFile(serviceFile.getParent(), "service", ".wasm");
		Files.write(next, bytes);
		Files.move(next, serviceFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
