package io.github.wasmgateway.engine;

import io.github.wasmgateway.engine.host.HostClock;
import io.github.wasmgateway.engine.host.HostServices;
import io.github.wasmgateway.engine.host.HttpCalloutClient;
import io.github.wasmgateway.engine.host.HttpCalloutRequest;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import io.github.wasmgateway.engine.host.InMemoryMetrics;
import io.github.wasmgateway.engine.host.InMemorySharedQueues;
import io.github.wasmgateway.engine.host.RedisClient;
import io.github.wasmgateway.engine.host.TickScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Host services a test drives by hand: a recording logger, a clock that stands still,
 * ticks that run when the test says so, and callout and Redis clients that hold each call
 * until the test completes it. Everything completes on the test's own thread, so the
 * default direct worker executor is right.
 */
final class TestHost {

	/** 2024-01-02T03:04:05.123456789Z */
	static final long CLOCK_NANOS = 1_704_164_645_123_456_789L;

	final RecordingLogger logger = new RecordingLogger();

	final ManualClock clock = new ManualClock(CLOCK_NANOS);

	final ManualTicks ticks = new ManualTicks();

	final RecordingCallouts callouts = new RecordingCallouts("upstream");

	final RecordingRedis redis = new RecordingRedis("redis", "redis-a");

	final InMemoryMetrics metrics = new InMemoryMetrics();

	final InMemorySharedQueues queues = new InMemorySharedQueues();

	HostServices.Builder servicesBuilder() {
		return HostServices.builder()
			.withLoggers((name) -> this.logger)
			.withClock(this.clock)
			.withTicks(this.ticks)
			.withHttpCallouts(this.callouts)
			.withRedis(this.redis)
			.withMetrics(this.metrics)
			.withSharedQueues(this.queues);
	}

	HostServices services() {
		return servicesBuilder().build();
	}

	/** A wall clock the test sets; monotonic time follows it. */
	static final class ManualClock implements HostClock {

		volatile long nanos;

		ManualClock(long nanos) {
			this.nanos = nanos;
		}

		@Override
		public long epochNanos() {
			return this.nanos;
		}

		@Override
		public long monotonicNanos() {
			return this.nanos;
		}

	}

	/** Ticks that run only when the test calls {@link #tick()}. */
	static final class ManualTicks implements TickScheduler {

		final List<Schedule> schedules = new CopyOnWriteArrayList<>();

		@Override
		public AutoCloseable schedule(Duration period, Runnable tick) {
			Schedule schedule = new Schedule(period, tick);
			this.schedules.add(schedule);
			return () -> schedule.cancelled = true;
		}

		List<Schedule> active() {
			return this.schedules.stream().filter((schedule) -> !schedule.cancelled).toList();
		}

		/** Runs one tick of every active schedule. */
		void tick() {
			for (Schedule schedule : active()) {
				schedule.tick.run();
			}
		}

		static final class Schedule {

			final Duration period;

			final Runnable tick;

			volatile boolean cancelled;

			Schedule(Duration period, Runnable tick) {
				this.period = period;
				this.tick = tick;
			}

		}

	}

	/** Knows the given clusters; keeps every call until the test completes it. */
	static final class RecordingCallouts implements HttpCalloutClient {

		final Set<String> clusters;

		final List<Call> calls = new CopyOnWriteArrayList<>();

		RecordingCallouts(String... clusters) {
			this.clusters = Set.of(clusters);
		}

		@Override
		public boolean dispatch(HttpCalloutRequest request, Consumer<HttpCalloutResponse> completion) {
			if (!this.clusters.contains(request.cluster())) {
				return false;
			}
			this.calls.add(new Call(request, completion));
			return true;
		}

		Call only() {
			if (this.calls.size() != 1) {
				throw new AssertionError("expected one callout, got " + this.calls.size());
			}
			return this.calls.get(0);
		}

		record Call(HttpCalloutRequest request, Consumer<HttpCalloutResponse> completion) {

			void reply(int status, String body, String... headers) {
				ListHeaderMap map = ListHeaderMap.of(":status", Integer.toString(status));
				for (int i = 0; i < headers.length; i += 2) {
					map.add(headers[i], headers[i + 1]);
				}
				this.completion.accept(HttpCalloutResponse.of(map, body.getBytes(StandardCharsets.UTF_8)));
			}

		}

	}

	/** Knows the given clusters; keeps every call until the test completes it. */
	static final class RecordingRedis implements RedisClient {

		final Set<String> clusters;

		final List<String> initialized = new CopyOnWriteArrayList<>();

		final List<Call> calls = new CopyOnWriteArrayList<>();

		RecordingRedis(String... clusters) {
			this.clusters = Set.of(clusters);
		}

		@Override
		public boolean init(String plugin, String cluster, String username, String password, Duration timeout) {
			if (!this.clusters.contains(cluster)) {
				return false;
			}
			this.initialized.add(cluster);
			return true;
		}

		@Override
		public boolean call(String plugin, String cluster, byte[] respCommand, RedisCompletion completion) {
			if (!this.initialized.contains(cluster)) {
				return false;
			}
			this.calls.add(new Call(cluster, new String(respCommand, StandardCharsets.UTF_8), completion));
			return true;
		}

		Call only() {
			if (this.calls.size() != 1) {
				throw new AssertionError("expected one Redis call, got " + this.calls.size());
			}
			return this.calls.get(0);
		}

		record Call(String cluster, String command, RedisCompletion completion) {

			void reply(String resp) {
				this.completion.complete(0, resp.getBytes(StandardCharsets.UTF_8));
			}

		}

	}

}
