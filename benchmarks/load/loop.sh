#!/usr/bin/env bash
# What a looping plugin costs the other connections of its event loop: the packaged demo
# gateway (profiles bench and loop) with ONE event loop, so that every connection shares
# it; wrk measures the plain route /bench/none while, every LOOP_EVERY, a request to
# /bench/loop makes its plugin spin until its call deadline (the request then fails with
# 503). Once per deadline in CALL_TIMEOUTS: the plain route's p99 during the loop should
# be about that deadline. Prints a markdown table. Never run by the build or CI.
#
#   benchmarks/load/loop.sh
#   CALL_TIMEOUTS="100ms 500ms 1s" DURATION=20s benchmarks/load/loop.sh
#
# Settings (environment):
#   CALL_TIMEOUTS  call deadlines of the looping plugin, one run each  default "default 100ms 1s"
#                  ("default": the gateway's own default, not set)
#   DURATION       measured seconds per run (wrk -d, in seconds: 10s)  default 10s
#   CONNECTIONS    wrk connections on the plain route                  default 4
#   LOOPS          event loops of the gateway (reactor.netty.ioWorkerCount)  default 1
#   LOOP_EVERY     seconds between two looping requests (sleep)        default 1
#   JAVA_OPTS      more JVM options of the gateway                     default none
#   JAVA           the java command                                    default java
#   BUILD=1        rebuild demo-app/target/demo.jar first (built anyway when missing)
#   START_TIMEOUT  seconds to wait for the gateway to answer           default 120
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HERE=$ROOT/benchmarks/load
JAR=$ROOT/demo-app/target/demo.jar

CALL_TIMEOUTS=${CALL_TIMEOUTS:-default 100ms 1s}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-4}
LOOPS=${LOOPS:-1}
LOOP_EVERY=${LOOP_EVERY:-1}
JAVA_OPTS="-Dreactor.netty.ioWorkerCount=$LOOPS ${JAVA_OPTS:-}"
JAVA=${JAVA:-java}
BUILD=${BUILD:-0}
START_TIMEOUT=${START_TIMEOUT:-120}

# shellcheck source=gateway.sh
. "$HERE/gateway.sh"

plain() { # wrk on the plain route; prints report.lua's RESULT line
	# a long timeout: requests held up by the loop are measured, not dropped as timeouts
	wrk -t1 -c"$CONNECTIONS" -d"$1" --timeout 30s -s "$HERE/report.lua" "$BASE/bench/none/x" | grep "^RESULT "
}

echo "# A looping plugin and the other connections of its event loop"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "- java: $("$JAVA" -version 2>&1 | sed -n 2p); gateway event loops: $LOOPS; JAVA_OPTS: $JAVA_OPTS"
echo "- machine: $(nproc) CPUs; load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- plain route: wrk, $CONNECTIONS connections, $DURATION; loop: curl on /bench/loop/x with x-loop: 1, then ${LOOP_EVERY}s of sleep, over and over"
echo
echo "| looper call-timeout | plain route without loop: p50 / p99 / max µs | with the loop: p50 / p99 / max µs | plain requests/s without / with | looping requests answered (503) |"
echo "|---|---|---|---|---|"

for timeout in $CALL_TIMEOUTS; do
	args=(--spring.profiles.active=bench,loop)
	[ "$timeout" = default ] || args+=(--wasm-gateway.plugins.looper.call-timeout="$timeout")
	start_gateway "${args[@]}"
	status=$(curl -s -o /dev/null -w '%{http_code}' -H 'x-loop: 1' "$BASE/bench/loop/x")
	[ "$status" = 503 ] || die "the looping route answered $status, not 503 (deadline, fail-closed)"
	plain 3s >/dev/null # warm-up
	quiet=$(plain "$DURATION")
	: >"$WORK/loop.out"
	(while :; do
		curl -s -o /dev/null -w '%{http_code}\n' -H 'x-loop: 1' "$BASE/bench/loop/x" >>"$WORK/loop.out"
		sleep "$LOOP_EVERY"
	done) &
	looper=$!
	busy=$(plain "$DURATION")
	kill "$looper" 2>/dev/null || true
	wait "$looper" 2>/dev/null || true
	looped=$(grep -c '^503$' "$WORK/loop.out" || true)
	stop_gateway
	printf '| %s | %s / %s / %s | %s / %s / %s | %.0f / %.0f | %s |\n' "$timeout" \
		"$(field "$quiet" p50_us)" "$(field "$quiet" p99_us)" "$(field "$quiet" max_us)" \
		"$(field "$busy" p50_us)" "$(field "$busy" p99_us)" "$(field "$busy" max_us)" \
		"$(field "$quiet" rps)" "$(field "$busy" rps)" "$looped"
done

echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "With one event loop every connection waits while a looping call runs: the plain route's p99"
echo "during the loop is about the looper's call deadline (the default: 500 ms for compiled code)."
