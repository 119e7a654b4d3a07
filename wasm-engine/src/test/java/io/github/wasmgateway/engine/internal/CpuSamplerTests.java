package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which calls have their CPU time measured: about one in {@code oneIn} when a call costs
 * much more than the clock, rarer (at most {@link CpuSampler#MAX_STRETCH} times) for
 * cheap calls, each counted as many times as the calls it stands for, so totals stay
 * right; every call with 1, none with 0.
 */
class CpuSamplerTests {

	private static final long CLOCK_COST = 100;

	/** A thread CPU clock the test advances. */
	private long now;

	private CpuSampler sampler(int oneIn) {
		return new CpuSampler(oneIn, () -> this.now, CLOCK_COST);
	}

	/** Runs {@code calls} calls of {@code nanos} each; the total the sampler counted. */
	private long run(CpuSampler sampler, int calls, long nanos, int[] measured) {
		long total = 0;
		for (int i = 0; i < calls; i++) {
			long started = sampler.start();
			if (started >= 0) {
				measured[0]++;
				this.now += nanos + CLOCK_COST;
				total += sampler.end(started);
			}
		}
		return total;
	}

	@Test
	void aboutOneCallInOneInIsMeasuredWhenCallsCostFarMoreThanTheClock() {
		int[] measured = new int[1];
		// 10 µs a call: above 32 x the two reads (6.4 µs), so the gap stays at 64
		long total = run(sampler(64), 64_000, 10_000, measured);
		// gaps uniform in 1..127: 1000 expected, the standard deviation is about 18
		assertThat(measured[0]).isBetween(850, 1150);
		assertThat(total).isEqualTo(measured[0] * 64L * 10_000);
	}

	@Test
	void cheapCallsAreMeasuredRarerAndStillAddUp() {
		int[] measured = new int[1];
		// 50 ns a call: the clock (2 x 100 ns) may cost 1/32 of it, so one call in 128
		CpuSampler sampler = sampler(64);
		long total = run(sampler, 256_000, 50, measured);
		assertThat(sampler.mean()).isEqualTo(128);
		assertThat(measured[0]).isBetween(1700, 2300);
		// about 1.5% standard deviation from the random gaps
		assertThat(total).isBetween(256_000L * 50 * 9 / 10, 256_000L * 50 * 11 / 10);
	}

	@Test
	void theGapGrowsAtMostMaxStretchTimes() {
		int[] measured = new int[1];
		CpuSampler sampler = sampler(64);
		run(sampler, 64_000 * CpuSampler.MAX_STRETCH, 0, measured);
		assertThat(sampler.mean()).isEqualTo(64 * CpuSampler.MAX_STRETCH);
		assertThat(measured[0]).isBetween(850, 1150);
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
