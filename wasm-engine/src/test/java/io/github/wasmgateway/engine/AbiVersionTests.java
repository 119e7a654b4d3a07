package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.NOT_FOUND;
import static io.github.wasmgateway.engine.Exerciser.OK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers that differ by the ABI version a plugin declares, as Envoy gives them
 * (docs/abi-coverage.md, "Answers by ABI version"): the same exerciser built with the
 * 0.1.0 marker ({@code exerciser-abi010}) and with 0.2.1's.
 */
class AbiVersionTests extends ExerciserTestSupport {

	Exerciser exerciser(ExecutionMode mode, String fixture, String configuration) {
		return Exerciser.start(engine, Fixtures.compiled(fixture, mode), this.host.services(),
				PluginSettings.builder(Exerciser.NAME), configuration);
	}

	@BothModes
	void aMissingHeaderIsOkAndEmptyUnder010AndNotFoundAfter(ExecutionMode mode) {
		try (Exerciser abi010 = exerciser(mode, "exerciser-abi010", "");
				Exerciser abi021 = exerciser(mode, "exerciser", "")) {
			assertThat(abi010.plugin.compiled().profile().abiVersion()).isEqualTo(AbiVersion.V0_1_0);
			Exerciser.Outcome old = abi010.run("get-header:x-missing");
			assertThat(old.status()).isEqualTo(OK);
			assertThat(old.result()).isEmpty();
			assertThat(abi021.run("get-header:x-missing").status()).isEqualTo(NOT_FOUND);

			// a present header reads the same in both
			assertThat(abi010.run("get-header:x-here", "x-here", "v").result()).isEqualTo("v");
			assertThat(abi021.run("get-header:x-here", "x-here", "v").result()).isEqualTo("v");
		}
	}

	@BothModes
	void aMapNotThereYetIsOkAndEmptyUnder010AndNotFoundAfter(ExecutionMode mode) {
		try (Exerciser abi010 = exerciser(mode, "exerciser-abi010", "");
				Exerciser abi021 = exerciser(mode, "exerciser", "")) {
			// response headers (map 2) during the request phase
			Exerciser.Outcome old = abi010.run("get-header:server", "x-map", "2");
			assertThat(old.status()).isEqualTo(OK);
			assertThat(old.result()).isEmpty();
			assertThat(abi021.run("get-header:server", "x-map", "2").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void anEmptyConfigurationIsOkWithNoDataInEveryVersion(ExecutionMode mode) {
		for (String fixture : new String[] { "exerciser-abi010", "exerciser" }) {
			try (Exerciser exerciser = exerciser(mode, fixture, "")) {
				Exerciser.Outcome configuration = exerciser.run("get-configuration");
				assertThat(configuration.status()).as(fixture).isEqualTo(OK);
				assertThat(configuration.result()).as(fixture).isEmpty();
				Exerciser.Outcome buffer = exerciser.run("get-buffer:7");
				assertThat(buffer.status()).as(fixture).isEqualTo(OK);
				assertThat(buffer.header("x-result-len")).as(fixture).isEqualTo("0");
				assertThat(exerciser.run("get-config").header("x-result-len")).as(fixture).isEqualTo("0");
			}
		}
	}

	@BothModes
	void functionsOfOtherVersionsAreBoundForEveryVersion(ExecutionMode mode) {
		// Envoy links only its version's names (a 0.1.0 module importing
		// proxy_continue_stream fails to load there); this host binds them all
		for (String fixture : new String[] { "exerciser-abi010", "exerciser" }) {
			try (Exerciser exerciser = exerciser(mode, fixture, "{\"a\":1}")) {
				assertThat(exerciser.run("get-configuration").result()).as(fixture).isEqualTo("{\"a\":1}");
				assertThat(exerciser.run("continue-request").status()).as(fixture).isEqualTo(OK);
				assertThat(exerciser.run("continue-stream:0").status()).as(fixture).isEqualTo(OK);
				assertThat(exerciser.run("get-log-level").status()).as(fixture).isEqualTo(OK);
			}
		}
	}

}
