package io.github.wasmgateway.engine;

import static io.github.wasmgateway.engine.Exerciser.BAD_ARGUMENT;
import static io.github.wasmgateway.engine.Exerciser.EMPTY;
import static io.github.wasmgateway.engine.Exerciser.NOT_FOUND;
import static io.github.wasmgateway.engine.Exerciser.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.Exerciser.Outcome;
import io.github.wasmgateway.engine.TestHost.RecordingCallouts;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import io.github.wasmgateway.engine.host.TickScheduler;
import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a plugin starts in one callback and finishes in another: HTTP callouts, Redis
 * calls, ticks, deferred {@code proxy_done} and shared queues. The test plays the
 * upstream, Redis and the timer, completing each on its own thread as a worker's event
 * loop would.
 */
class AsyncCallsTests extends ExerciserTestSupport {

	// ---- HTTP callouts

	@BothModes
	void calloutCarriesTheRequestThePluginBuilt(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("http-call", "x-method", "POST", "x-path", "/authorize",
					"x-authority", "auth.internal", "x-body", "token=abc", "x-timeout", "250");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				assertThat(exchange.requestHeaders.get("x-status")).isEqualTo(OK);

				RecordingCallouts.Call call = this.host.callouts.only();
				assertThat(call.request().plugin()).isEqualTo("exerciser");
				assertThat(call.request().cluster()).isEqualTo("upstream");
				HeaderMap headers = call.request().headers();
				assertThat(headers.get(":method")).isEqualTo("POST");
				assertThat(headers.get(":path")).isEqualTo("/authorize");
				assertThat(headers.get(":authority")).isEqualTo("auth.internal");
				assertThat(headers.get("x-from-exerciser")).isEqualTo("1");
				assertThat(new String(call.request().body(), StandardCharsets.UTF_8)).isEqualTo("token=abc");
				assertThat(call.request().trailers().size()).isZero();
				assertThat(call.request().timeout()).isEqualTo(Duration.ofMillis(250));
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void calloutReplyResumesTheRequestWithWhatThePluginReadFromIt(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("http-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				assertThat(exchange.resumed).isEmpty();

				this.host.callouts.only().reply(200, "allowed", "x-decision", "allow");

				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				ListHeaderMap headers = exchange.requestHeaders;
				assertThat(headers.get("x-callout-status")).isEqualTo("200");
				assertThat(headers.get("x-callout-body")).isEqualTo("allowed");
				assertThat(headers.get("x-callout-headers")).isEqualTo("2");
				assertThat(headers.get("x-callout-body-size")).isEqualTo("7");
				assertThat(headers.get("x-callout-trailers")).isEqualTo("0");
				assertThat(headers.get("x-callout-effective-context-status")).isEqualTo(OK);
				assertThat(headers.get("x-callout-failed")).isNull();
				assertThat(exchange.failures).isEmpty();
			}
			finally {
				stream.finish();
			}
			assertThat(this.host.logger.lines).contains("INFO exerciser http_call_response token="
					+ exchange.requestHeaders.get("x-result") + " continue_status=0");
		}
	}

	@BothModes
	void failedCalloutReachesThePluginAsAReplyWithoutHeaders(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("http-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				this.host.callouts.only().completion().accept(HttpCalloutResponse.failed("connection refused"));

				assertThat(exchange.requestHeaders.get("x-callout-failed")).isEqualTo("1");
				assertThat(exchange.requestHeaders.get("x-callout-headers")).isEqualTo("0");
				assertThat(exchange.requestHeaders.get("x-callout-status-lookup")).isEqualTo(NOT_FOUND);
				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void calloutToAClusterTheHostDoesNotKnowIsBadArgument(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome outcome = exerciser.run("http-call", "x-cluster", "evil.example.com");
			assertThat(outcome.status()).isEqualTo(BAD_ARGUMENT);
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(this.host.callouts.calls).isEmpty();
		}
	}

	@BothModes
	void calloutAnsweredWhileThePluginRunsIsDeliveredRightAfterTheCallback(ExecutionMode mode) {
		// a client that answers inside dispatch, i.e. inside proxy_http_call
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withHttpCallouts((request, completion) -> {
					completion.accept(HttpCalloutResponse.of(ListHeaderMap.of(":status", "204"), new byte[0]));
					return true;
				}).build())) {
			Outcome outcome = exerciser.run("http-call");
			// the plugin paused, and the reply, run after it returned, continued the
			// request within the same host call: no resume is needed
			assertThat(outcome.status()).isEqualTo(OK);
			assertThat(outcome.header("x-callout-status")).isEqualTo("204");
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(outcome.exchange().resumed).isEmpty();
			assertThat(exerciser.plugin.failureCount()).isZero();
		}
	}

	@BothModes
	void calloutReplyAfterTheStreamEndedIsDropped(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("http-call");
			HttpStream stream = exerciser.open(exchange);
			stream.onRequestHeaders(true);
			stream.finish();

			this.host.callouts.only().reply(200, "too late");

			assertThat(exchange.requestHeaders.get("x-callout-status")).isNull();
			assertThat(exchange.resumed).isEmpty();
			assertThat(this.host.logger.contains("http_call_response")).isFalse();
			assertThat(exerciser.plugin.failureCount()).isZero();
		}
	}

	@BothModes
	void calloutFromTheResponsePhaseResumesTheResponse(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = TestExchange.get("/", "x-response-op", "http-call").withResponse(200);
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
				assertThat(stream.onResponseHeaders(false)).isEqualTo(Decision.Flow.STOP_ITERATION);

				this.host.callouts.only().reply(503, "busy");

				assertThat(exchange.resumed).containsExactly(StreamDirection.RESPONSE);
				assertThat(exchange.responseHeaders.get("x-callout-status")).isEqualTo("503");
				assertThat(exchange.responseHeaders.get("x-callout-body")).isEqualTo("busy");
			}
			finally {
				stream.finish();
			}
		}
	}

	// ---- Redis (Higress)

	@BothModes
	void redisReplyResumesTheRequestWithTheReply(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("redis-init", "x-cluster", "redis").status()).isEqualTo(OK);
			assertThat(this.host.redis.initialized).containsExactly("redis");

			TestExchange exchange = Exerciser.request("redis-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				TestHost.RecordingRedis.Call call = this.host.redis.only();
				assertThat(call.cluster()).isEqualTo("redis");
				assertThat(call.command()).isEqualTo("*1\r\n$4\r\nPING\r\n");

				call.reply("+PONG\r\n");

				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				assertThat(exchange.requestHeaders.get("x-redis-reply")).isEqualTo("+PONG");
				assertThat(exchange.requestHeaders.get("x-redis-status")).isEqualTo(OK);
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void redisFailureStatusReachesThePlugin(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			exerciser.run("redis-init");
			TestExchange exchange = Exerciser.request("redis-call");
			HttpStream stream = exerciser.open(exchange);
			try {
				stream.onRequestHeaders(true);
				this.host.redis.only().completion().complete(5, new byte[0]);

				assertThat(exchange.requestHeaders.get("x-redis-status")).isEqualTo("5");
				assertThat(exchange.requestHeaders.get("x-redis-reply")).isEmpty();
				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
			}
			finally {
				stream.finish();
			}
		}
	}

	// ---- ticks

	@BothModes
	void tickPeriodSetInConfigureStartsTicks(ExecutionMode mode) {
		try (Exerciser exerciser = Exerciser.start(engine, mode, this.host.services(),
				PluginSettings.builder(Exerciser.NAME), "tick:50")) {
			// the worker's VM ticks from configure() on, before any request
			assertThat(this.host.ticks.active()).singleElement()
				.satisfies((schedule) -> assertThat(schedule.period).isEqualTo(Duration.ofMillis(50)));

			this.host.ticks.tick();
			this.host.ticks.tick();

			assertThat(this.host.logger.lines).containsSubsequence("INFO tick 1", "INFO tick 2");
			assertThat(exerciser.run("stats").header("x-result-ticks")).isEqualTo("2");
		}
	}

	@BothModes
	void setTickPeriodReplacesTheScheduleAndZeroStopsIt(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("set-tick-period:25").status()).isEqualTo(OK);
			assertThat(this.host.ticks.active()).singleElement()
				.satisfies((schedule) -> assertThat(schedule.period).isEqualTo(Duration.ofMillis(25)));

			exerciser.run("set-tick-period:100");
			assertThat(this.host.ticks.active()).singleElement()
				.satisfies((schedule) -> assertThat(schedule.period).isEqualTo(Duration.ofMillis(100)));

			assertThat(exerciser.run("set-tick-period:0").status()).isEqualTo(OK);
			assertThat(this.host.ticks.active()).isEmpty();
		}
	}

	@BothModes
	void closingThePluginStopsItsTicks(ExecutionMode mode) {
		Exerciser exerciser = exerciser(mode);
		exerciser.run("set-tick-period:25");
		assertThat(this.host.ticks.active()).hasSize(1);
		exerciser.close();
		assertThat(this.host.ticks.active()).isEmpty();
	}

	@BothModes
	void pausedRequestIsResumedByTheNextTick(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("pause-until-tick:10");
			HttpStream stream = exerciser.open(exchange);
			try {
				assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.STOP_ITERATION);
				assertThat(exchange.resumed).isEmpty();

				this.host.ticks.tick();

				assertThat(exchange.resumed).containsExactly(StreamDirection.REQUEST);
				assertThat(exchange.requestHeaders.get("x-resumed-by")).isEqualTo("tick");
			}
			finally {
				stream.finish();
			}
		}
	}

	@BothModes
	void tickThatFiresWhileThePluginRunsWaitsForTheCallbackToEnd(ExecutionMode mode) {
		// a timer that fires at once, inside proxy_set_tick_period_milliseconds
		TickScheduler immediate = (period, tick) -> {
			tick.run();
			return () -> {
			};
		};
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withTicks(immediate).build())) {
			Outcome outcome = exerciser.run("pause-until-tick:10");
			// had the tick re-entered the plugin, it would have found nothing to resume
			assertThat(outcome.header("x-resumed-by")).isEqualTo("tick");
			assertThat(outcome.decision()).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(outcome.exchange().resumed).isEmpty();
		}
	}

	@BothModes
	void streamWhosePluginDefersDoneIsDeletedWhenThePluginCallsProxyDone(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			TestExchange exchange = Exerciser.request("defer-done");
			HttpStream stream = exerciser.open(exchange);
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
			assertThat(exchange.requestHeaders.get("x-result")).isEqualTo("deferred");
			stream.finish();
			assertThat(stream.deleted()).isFalse();

			this.host.ticks.tick();

			assertThat(stream.deleted()).isTrue();
			assertThat(this.host.logger.lines)
				.contains("INFO exerciser proxy_done ctx=" + stream.contextId() + " status=0");
		}
	}

	// ---- shared queues

	@BothModes
	void queueHandsOutMessagesInOrderThenReportsEmpty(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			Outcome register = exerciser.run("queue-register:jobs");
			assertThat(register.status()).isEqualTo(OK);
			String id = register.result();

			assertThat(exerciser.run("queue-enqueue:" + id, "x-value", "job-1").status()).isEqualTo(OK);
			assertThat(exerciser.run("queue-enqueue:" + id, "x-value", "job-2").status()).isEqualTo(OK);

			assertThat(exerciser.run("queue-dequeue:" + id).result()).isEqualTo("job-1");
			Outcome second = exerciser.run("queue-dequeue:" + id);
			assertThat(second.status()).isEqualTo(OK);
			assertThat(second.result()).isEqualTo("job-2");
			Outcome empty = exerciser.run("queue-dequeue:" + id);
			assertThat(empty.status()).isEqualTo(EMPTY);
			assertThat(empty.result()).isNull();
		}
	}

	@BothModes
	void enqueueWakesTheRootContextThatRegisteredTheQueue(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			String id = exerciser.run("queue-register:jobs").result();
			assertThat(this.host.logger.contains("queue_ready")).isFalse();

			exerciser.run("queue-enqueue:" + id, "x-value", "job-1");

			assertThat(this.host.logger.lines).contains("INFO queue_ready " + id);
			assertThat(exerciser.run("stats").header("x-result-queue-ready")).isEqualTo("1");
		}
	}

	@BothModes
	void resolveFindsAQueueOfThePluginsVmId(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			String id = exerciser.run("queue-register:jobs").result();

			Outcome resolved = exerciser.run("queue-resolve:jobs");
			assertThat(resolved.status()).isEqualTo(OK);
			assertThat(resolved.result()).isEqualTo(id);
			assertThat(exerciser.run("queue-resolve:jobs", "x-vm-id", "exerciser").result()).isEqualTo(id);
			assertThat(exerciser.run("queue-resolve:jobs", "x-vm-id", "another-vm").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("queue-resolve:never-registered").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void unknownQueueIdIsNotFound(ExecutionMode mode) {
		try (Exerciser exerciser = exerciser(mode)) {
			assertThat(exerciser.run("queue-enqueue:4242", "x-value", "lost").status()).isEqualTo(NOT_FOUND);
			assertThat(exerciser.run("queue-dequeue:4242").status()).isEqualTo(NOT_FOUND);
		}
	}

	@BothModes
	void enqueueOnAnotherWorkerWakesTheRegisteringVmOnItsOwnThread(ExecutionMode mode) throws Exception {
		WorkerQueues workers = new WorkerQueues();
		ExecutorService otherWorker = Executors.newSingleThreadExecutor();
		try (Exerciser exerciser = Exerciser.start(engine, mode,
				this.host.servicesBuilder().withWorkers(workers).build())) {
			String id = exerciser.run("queue-register:jobs").result();

			Outcome enqueued = otherWorker.submit(() -> exerciser.run("queue-enqueue:" + id, "x-value", "job-1")).get();
			assertThat(enqueued.status()).isEqualTo(OK);
			// the notification waits in this thread's event loop, not run on the other
			assertThat(this.host.logger.contains("queue_ready")).isFalse();

			assertThat(workers.runPending()).isEqualTo(1);
			assertThat(this.host.logger.lines).contains("INFO queue_ready " + id);
			assertThat(exerciser.run("queue-dequeue:" + id).result()).isEqualTo("job-1");
			assertThat(exerciser.plugin.failureCount()).isZero();
		}
		finally {
			otherWorker.shutdown();
		}
	}

	/** One task queue per worker thread, run when that thread says so (an event loop). */
	static final class WorkerQueues implements WorkerExecutors {

		private final Map<Thread, Queue<Runnable>> queues = new ConcurrentHashMap<>();

		@Override
		public Executor currentWorker() {
			return this.queues.computeIfAbsent(Thread.currentThread(), (thread) -> new ConcurrentLinkedQueue<>())::add;
		}

		/** Runs what was handed to the calling thread; returns how many tasks ran. */
		int runPending() {
			Queue<Runnable> queue = this.queues.get(Thread.currentThread());
			int count = 0;
			Runnable task;
			while (queue != null && (task = queue.poll()) != null) {
				task.run();
				count++;
			}
			return count;
		}

	}

}
