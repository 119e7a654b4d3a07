package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which calls have their CPU time measured: about one in {@code oneIn}, at random gaps,
 * each counted {@code oneIn} times; every call with 1, none with 0.
 */
class CpuSamplerTests {

	@Test
	void aboutOneCallInOneInIsMeasured() {
		CpuSampler sampler = new CpuSampler(64);
		int measured = 0;
		for (int i = 0; i < 64_000; i++) {
			if (sampler.start() >= 0) {
				measured++;
			}
		}
		// gaps uniform in 1..127: 1000 expected, the standard deviation is about 18
		assertThat(measured).isBetween(850, 1150);
	}

	@Test
	void oneMeasuresEveryCallAndZeroNone() {
		CpuSampler every = new CpuSampler(1);
		CpuSampler none = new CpuSampler(0);
		for (int i = 0; i < 100; i++) {
			assertThat(every.start()).isNotNegative();
			assertThat(none.start()).isEqualTo(-1);
		}
	}

	@Test
	void aMeasuredCallStandsForOneInCallsAndIsNeverNegative() {
		CpuSampler sampler = new CpuSampler(1);
		long started = sampler.start();
		assertThat(sampler.end(started)).isNotNegative();
		assertThat(sampler.end(Long.MAX_VALUE)).isZero();
	}

}
