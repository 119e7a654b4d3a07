package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged gateway refuses to start on a broken plugin setup, and tells the user
 * which plugin, which route, why, and what to do.
 */
class StartupErrorsIT {

	@Test
	void missingBinary() throws Exception {
		DemoGateway.Failed failed = DemoGateway
			.failToStart("--wasm-gateway.plugins.trapper.location=file:/nowhere/trapper.wasm");
		assertThat(failed.exitCode()).isNotZero();
		assertThat(failed.output()).contains("APPLICATION FAILED TO START")
			.contains("The wasm plugin 'trapper' could not be started")
			.contains("cannot read file:/nowhere/trapper.wasm")
			.contains("wasm-gateway.plugins.trapper.location");
	}

	@Test
	void routeNamingAnUnknownPlugin(@TempDir Path directory) throws Exception {
		Path routes = directory.resolve("routes.yml");
		Files.writeString(routes, """
				spring.cloud.gateway.server.webflux.routes:
				  - id: orders
				    uri: http://127.0.0.1:9
				    predicates: [ "Path=/orders/**" ]
				    filters: [ "WasmPlugin=no-such-plugin" ]
				""");
		DemoGateway.Failed failed = DemoGateway.failToStart("--spring.config.additional-location=file:" + routes);
		assertThat(failed.exitCode()).isNotZero();
		assertThat(failed.output()).contains("The wasm plugin 'no-such-plugin' used by route 'orders'")
			.contains("no plugin of that name is configured");
	}

	@Test
	void sha256Mismatch() throws Exception {
		DemoGateway.Failed failed = DemoGateway
			.failToStart("--wasm-gateway.plugins.as-plugin.sha256=" + "ab".repeat(32));
		assertThat(failed.output()).contains("The wasm plugin 'as-plugin' could not be started").contains("was pinned");
	}

	@Test
	void configurationThePluginRejects() throws Exception {
		DemoGateway.Failed failed = DemoGateway.failToStart("--wasm-gateway.plugins.exerciser.configuration=reject");
		assertThat(failed.output()).contains("The wasm plugin 'exerciser'")
			.contains("rejected its configuration (proxy_on_configure returned false)");
	}

	/**
	 * Hostile binaries (the chaos suite's scenario "binaries"): the start is refused with
	 * a message naming the plugin and the cause, in a small heap without an
	 * OutOfMemoryError.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("badBinaries")
	void badBinary(String kind, byte[] binary, String cause, @TempDir Path directory) throws Exception {
		Path file = directory.resolve(kind + ".wasm");
		Files.write(file, binary);
		DemoGateway.Failed failed = DemoGateway.failToStart(List.of("-Xmx256m"),
				"--wasm-gateway.plugins.bad.location=file:" + file);
		assertThat(failed.exitCode()).isNotZero();
		assertThat(failed.output()).contains("The wasm plugin 'bad' could not be started")
			.containsAnyOf(cause.split("\\|"))
			.doesNotContain("OutOfMemoryError");
	}

	static Stream<Arguments> badBinaries() {
		byte[] exerciser = fixture("exerciser");
		// (module (import "env" "no_such_function" (func)) (memory (export "memory") 1)
		// (func (export "proxy_abi_version_0_2_1"))
		// (func (export "malloc") (param i32) (result i32) (i32.const 0)))
		byte[] unknownImport = HexFormat.of()
			.parseHex("0061736d0100000001090260000060017f017f02180103656e76106e6f5f737563685f66756e6374696f"
					+ "6e000003030200010503010001072d03066d656d6f727902001770726f78795f6162695f76657273696f"
					+ "6e5f305f325f310001066d616c6c6f6300020a090202000b040041000b");
		// 64 MB of random bytes behind the wasm magic and version: the parser's worst
		// case
		byte[] random = new byte[64 * 1024 * 1024];
		new Random(18).nextBytes(random);
		System.arraycopy(exerciser, 0, random, 0, 8);
		return Stream.of(
				Arguments.of("not-wasm", "this is not a wasm module".getBytes(), "is not a WebAssembly binary"),
				Arguments.of("truncated", Arrays.copyOf(exerciser, 600), "the file is corrupt or truncated"),
				Arguments.of("no-abi", fixture("no-abi"), "exports no proxy_abi_version_* marker"),
				Arguments.of("unknown-import", unknownImport, "imports env.no_such_function"),
				// in 256 MB of heap, parsing 64 MB may run out of heap: refused all the
				// same
				Arguments.of("random-64MB", random, "the file is corrupt or truncated|the heap ran out"));
	}

	static byte[] fixture(String name) {
		try (InputStream in = StartupErrorsIT.class.getResourceAsStream("/fixtures/" + name + ".wasm")) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
