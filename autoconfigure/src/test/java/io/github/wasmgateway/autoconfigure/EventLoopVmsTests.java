package io.github.wasmgateway.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Plugin;
import io.github.wasmgateway.engine.VmInfo;
import io.github.wasmgateway.gateway.ExerciserGatewayTests;
import io.github.wasmgateway.gateway.GatewayTestApplication;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.LoopResources;

/**
 * Every event loop of the server has each plugin's VM, started and configured, before the
 * first request: the requests that follow find their loop's VM ready.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wasm-gateway.compile-cache=", "wasm-gateway.plugins.exerciser.configuration=tick:600000",
				ExerciserGatewayTests.ROUTE })
class EventLoopVmsTests extends ExerciserGatewayTests {

	@Autowired
	WasmPluginRegistry registry;

	@Autowired
	ReactorResourceFactory resources;

	@Test
	void everyServerEventLoopHasTheVmBeforeTheFirstRequest() {
		Plugin plugin = this.registry.plugin("exerciser").current().plugin();
		List<String> loops = new ArrayList<>();
		this.resources.getLoopResources()
			.onServer(LoopResources.DEFAULT_NATIVE)
			.forEach((loop) -> loops.add(threadOf(loop)));
		List<VmInfo> before = plugin.vms();
		assertThat(before).extracting(VmInfo::thread).containsExactlyInAnyOrderElementsOf(loops);
		assertThat(before).extracting(VmInfo::state).containsOnly("READY");

		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		for (int i = 0; i < 2 * loops.size(); i++) {
			String body = client.get().uri("/ex/" + i).retrieve().bodyToMono(String.class).block();
			assertThat(body).startsWith("GET /ex/" + i);
		}
		// no VM was built for a request: each loop served with the VM it had
		assertThat(plugin.vms()).extracting(VmInfo::id)
			.containsExactlyInAnyOrderElementsOf(before.stream().map(VmInfo::id).toList());
	}

	private static String threadOf(io.netty.util.concurrent.EventExecutor loop) {
		try {
			return loop.submit(() -> Thread.currentThread().getName()).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
