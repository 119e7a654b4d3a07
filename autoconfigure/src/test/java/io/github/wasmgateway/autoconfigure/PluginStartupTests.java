package io.github.wasmgateway.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginBinary;
import io.github.wasmgateway.engine.WasmEngine;
import io.github.wasmgateway.gateway.GatewayTestApplication;
import io.github.wasmgateway.gateway.PluginDefinition;
import io.github.wasmgateway.gateway.PluginLoader;
import io.github.wasmgateway.gateway.ResourcePluginSource;
import io.github.wasmgateway.gateway.WasmPluginRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * A starting gateway loads its plugins several at once, and says in its log what each
 * cost (compiled or taken from the compile cache, its size, its functions, the time) and
 * how long all of them took.
 */
@ExtendWith(OutputCaptureExtension.class)
class PluginStartupTests {

	private static final String[] PLUGINS = { "wasm-gateway.plugins.go.location=classpath:fixtures/go-profile.wasm",
			"wasm-gateway.plugins.tinygo.location=classpath:fixtures/tinygo-profile.wasm",
			"wasm-gateway.plugins.as.location=classpath:fixtures/as-plugin.wasm",
			"wasm-gateway.plugins.as.mode=interpreter" };

	@TempDir
	Path cache;

	private ConfigurableApplicationContext start(Class<?>... sources) {
		return new SpringApplicationBuilder(GatewayTestApplication.class).sources(sources)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "wasm-gateway.compile-cache=" + this.cache)
			.properties(PLUGINS)
			.run();
	}

	@Test
	void eachPluginIsLoggedWithWhatItCostAndTheWholeLoadOnce(CapturedOutput output) throws IOException {
		CompiledPlugin go;
		try (WasmEngine engine = WasmEngine.builder().build()) {
			go = engine.compile(fixture("go-profile"), ExecutionMode.INTERPRETER);
		}
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBean(WasmPluginRegistry.class).plugins()).containsOnlyKeys("go", "tinygo", "as");
		}
		assertThat(output.getOut())
			.containsPattern("Loaded wasm plugin 'go' from classpath:fixtures/go-profile.wasm in "
					+ "\\d+ ms: AOT, compiled in \\d+ ms \\(" + go.size() + " bytes, " + go.functions()
					+ " functions, 0 interpreted\\), \\d+ VMs started in \\d+ ms")
			.containsPattern("Loaded wasm plugin 'as' from classpath:fixtures/as-plugin.wasm in \\d+ ms: "
					+ "INTERPRETER, interpreted in \\d+ ms")
			.containsPattern("Loaded 3 wasm plugins in \\d+ ms on \\d+ threads \\(2 compiled, 1 interpreted\\)");

		int firstStart = output.getOut().length();
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBean(WasmPluginRegistry.class).plugins()).containsOnlyKeys("go", "tinygo", "as");
		}
		String restart = output.getOut().substring(firstStart);
		assertThat(restart)
			.containsPattern("Loaded wasm plugin 'tinygo' from classpath:fixtures/tinygo-profile.wasm in \\d+ ms: "
					+ "AOT, from the compile cache in \\d+ ms")
			.containsPattern("Loaded 3 wasm plugins in \\d+ ms on \\d+ threads "
					+ "\\(2 from the compile cache, 1 interpreted\\)");
	}

	@Test
	void twoPluginsCompileAtTheSameTime() {
		try (ConfigurableApplicationContext context = start(MeetingLoader.class)) {
			assertThat(context.getBean(WasmPluginRegistry.class).plugins()).containsOnlyKeys("go", "tinygo", "as");
		}
		// each of the first two compiles waited for the other one to begin: had they run
		// one after the other, the first would have given up waiting
		assertThat(MeetingLoader.met).startsWith(true, true);
	}

	private static PluginBinary fixture(String name) throws IOException {
		try (InputStream in = PluginStartupTests.class.getResourceAsStream("/fixtures/" + name + ".wasm")) {
			return PluginBinary.of(in.readAllBytes(), name);
		}
	}

	/** A loader whose compiles wait, each, until two of them have begun. */
	@Configuration(proxyBeanMethods = false)
	static class MeetingLoader {

		static final CountDownLatch twoCompiling = new CountDownLatch(2);

		static final List<Boolean> met = Collections.synchronizedList(new ArrayList<>());

		@Bean
		PluginLoader meetingPluginLoader(WasmEngine engine, ResourceLoader resources) {
			return new PluginLoader(engine, resources.getClassLoader(), List.of(new ResourcePluginSource(resources))) {

				@Override
				protected int loadThreads() {
					return 2; // the test machine may have a single core
				}

				@Override
				public CompiledPlugin compile(PluginDefinition definition, String declaredUnder) {
					twoCompiling.countDown();
					try {
						met.add(twoCompiling.await(60, TimeUnit.SECONDS));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						met.add(false);
					}
					return super.compile(definition, declaredUnder);
				}

			};
		}

	}

}
