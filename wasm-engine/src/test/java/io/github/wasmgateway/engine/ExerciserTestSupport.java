package io.github.wasmgateway.engine;

/**
 * What the exerciser-driven test classes share: one engine (its watchdog is a daemon
 * thread, so it is never closed: closing it after one class would end deadlines for the
 * next) and a fresh {@link TestHost} (logger, clock, ticks, callouts, Redis) per test.
 */
abstract class ExerciserTestSupport {

	static final WasmEngine engine = WasmEngine.builder().build();

	final TestHost host = new TestHost();

	Exerciser exerciser(ExecutionMode mode) {
		return Exerciser.start(engine, mode, this.host.services());
	}

	Exerciser exerciser(ExecutionMode mode, PluginSettings.Builder settings, String configuration) {
		return Exerciser.start(engine, mode, this.host.services(), settings, configuration);
	}

}
