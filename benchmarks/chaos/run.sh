#!/usr/bin/env bash
# The chaos suite: the packaged demo gateway under load on loopback, with a fault injected
# in each scenario, one line per scenario with its figures and PASS/FAIL against the goal
# (docs/operations.md, "What we promise, and how we test it"). Never run by the build or CI.
#
#   benchmarks/chaos/run.sh                      every scenario (about 15 minutes, 10 of them the soak)
#   SCENARIOS="storm reload" benchmarks/chaos/run.sh
#   SOAK=2m benchmarks/chaos/run.sh
#
# Scenarios: storm response reload loop memory callouts blackhole redis soak inflight binaries
#
# Settings (environment):
#   SCENARIOS      which scenarios, in that order                   default all of them
#   SOAK           length of the soak                               default 10m
#   JAVA           the java command (JDK 17 or newer)               default java
#   JAVA_OPTS      JVM options of the gateway                       default -Xmx512m
#   BUILD=1        rebuild demo.jar and benchmarks.jar first (built anyway when missing)
#   START_TIMEOUT  seconds to wait for a gateway to be ready        default 180
#   DEMO_JAR       the demo jar to run                              default demo-app/target/demo.jar
#   LOAD_JAR       the jar of the load generator                    default benchmarks/target/benchmarks.jar
# Needs: curl, python3 (reads the actuator's JSON), xxd, jcmd, redis-server (scenario redis).
# Exit status: 0 when every scenario passed, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HERE=$ROOT/benchmarks/chaos
JAR=${DEMO_JAR:-$ROOT/demo-app/target/demo.jar}
LOAD_JAR=${LOAD_JAR:-$ROOT/benchmarks/target/benchmarks.jar}
FIXTURES=$ROOT/fixtures/src/main/resources/fixtures

ALL="storm response reload loop memory callouts blackhole redis soak inflight binaries"
SCENARIOS=${SCENARIOS:-$ALL}
SOAK=${SOAK:-10m}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
BUILD=${BUILD:-0}
START_TIMEOUT=${START_TIMEOUT:-180}

die() {
	echo "run.sh: $*" >&2
	exit 2
}

for tool in curl python3 xxd jcmd redis-server redis-cli "$JAVA"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ] || [ ! -f "$LOAD_JAR" ]; then
	echo "building demo.jar and benchmarks.jar ..." >&2
	./mvnw -q -Pquick package -pl demo-app,benchmarks -am >&2
fi

WORK=$(mktemp -d)
RESULTS=$WORK/results
: >"$RESULTS"
PIDS=()

cleanup() {
	for pid in "${PIDS[@]:-}"; do
		[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	done
	sleep 0.5
	for pid in "${PIDS[@]:-}"; do
		[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on (checked, then used: another process could take it in between).
free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

# One line per scenario: name, figures, goal, verdict.
report() { # name verdict figures goal
	printf '%-10s %-4s %s | goal: %s\n' "$1" "$2" "$3" "$4" | tee -a "$RESULTS"
}

# --- gateways -----------------------------------------------------------------------------

GATEWAY_PID=
PORT=
BASE=

# start_gateway LOG [java options...] -- [gateway arguments...]: the demo jar with the chaos
# profile (CHAOS_ARGS, below), ready when its readiness probe answers.
start_gateway() {
	local log=$1
	shift
	local jvm=() args=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		jvm+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	args=("$@")
	PORT=$(free_port)
	BASE=http://127.0.0.1:$PORT
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	PORT=$PORT ECHO_PORT=$ECHO_PORT GRPC_PORT=$(free_port) "$JAVA" $JAVA_OPTS "${jvm[@]}" -jar "$JAR" \
		"${CHAOS_ARGS[@]}" "${args[@]}" >"$log" 2>&1 &
	GATEWAY_PID=$!
	PIDS+=("$GATEWAY_PID")
	local started
	started=$(date +%s)
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health/readiness" || true)" = 200 ]; do
		if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
			tail -30 "$log" >&2
			die "the gateway exited at start-up (log above)"
		fi
		[ $(($(date +%s) - started)) -lt "$START_TIMEOUT" ] || die "the gateway was not ready within ${START_TIMEOUT}s"
		sleep 0.5
	done
}

# use_gateway main|one-loop|none: the gateway a scenario needs, started when it is not the
# one running: "main" (profiles chaos and redis, the JVM's default event loops), "one-loop"
# (the same on one event loop, so that concurrent requests share a VM), or none.
GATEWAY_KIND=none
use_gateway() {
	[ "$GATEWAY_KIND" = "$1" ] && return
	stop_gateway
	case $1 in
		main) start_gateway "$WORK/gateway.log" ;;
		one-loop) start_gateway "$WORK/one-loop.log" -Dreactor.netty.ioWorkerCount=1 -- ;;
	esac
	GATEWAY_KIND=$1
}

stop_gateway() {
	if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
		kill "$GATEWAY_PID" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$GATEWAY_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$GATEWAY_PID" 2>/dev/null || true
	fi
	GATEWAY_PID=
}

# load ARGS...: the load generator against the running gateway; prints its RESULT lines.
load() {
	"$JAVA" -cp "$LOAD_JAR" io.github.wasmgateway.benchmarks.chaos.ChaosLoad "base=$BASE" "$@"
}

# field RESULTS KIND KEY: a figure of one kind from load's output (0 when absent).
field() {
	echo "$1" | awk -v kind="kind=$2" -v key="$3" '
		$2 == kind { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) { print kv[2]; found = 1 } } }
		END { if (!found) print 0 }'
}

# json URL EXPRESSION: a value from an actuator answer (python3 expression over `d`).
json() {
	curl -s "$1" | python3 -c "import json, sys; d = json.load(sys.stdin); print($2)"
}

# Heap in use after a full GC, in MB, and the process's resident set, in MB.
heap_after_gc() {
	jcmd "$GATEWAY_PID" GC.run >/dev/null
	jcmd "$GATEWAY_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?", "", v); print int(v / 1024); exit } }'
}

rss_mb() {
	awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$GATEWAY_PID/status"
}

# A TCP listener that accepts connections and never answers (an upstream that hangs).
start_blackhole() {
	BLACKHOLE_PORT=$(free_port)
	python3 - "$BLACKHOLE_PORT" <<'EOF' &
import socket, sys, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(1024)
held = []
while True:
    connection, _ = server.accept()
    held.append(connection)
EOF
	PIDS+=("$!")
}

# The Redis of the cluster-key-rate-limit plugin (profile redis): no persistence, so that a
# restart counts from 0.
REDIS_PORT=$(free_port)
REDIS_PID=
start_redis() {
	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >>"$WORK/redis.log" 2>&1 &
	REDIS_PID=$!
	PIDS+=("$REDIS_PID")
	for _ in $(seq 50); do
		redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
		sleep 0.1
	done
	die "redis-server did not answer on $REDIS_PORT (log: $(tail -3 "$WORK/redis.log"))"
}

stop_redis() {
	kill "$REDIS_PID"
	wait "$REDIS_PID" 2>/dev/null || true
}

ECHO_PORT=$(free_port)
start_blackhole

# --- the chaos gateway's configuration ----------------------------------------------------

# The demo's profile "chaos" (demo-app: application-chaos.yml, ChaosRoutes) with the file
# the reload scenario replaces and the port of the upstream that never answers.
cp "$FIXTURES/trap-on-marker.wasm" "$WORK/reload.wasm"
CHAOS_ARGS=(--spring.profiles.active=chaos,redis "--chaos.reload-location=file:$WORK/reload.wasm"
	"--chaos.blackhole-port=$BLACKHOLE_PORT" "--spring.data.redis.url=redis://127.0.0.1:$REDIS_PORT")
# the chaos-loop plugin's call-timeout in application-chaos.yml
LOOP_DEADLINE_MS=500

# --- scenarios ------------------------------------------------------------------------------


# The plugin's numbers from the wasmplugins endpoint.
plugin_figure() { # plugin field
	json "$BASE/actuator/wasmplugins/$1" "d.get('$2', 0)"
}

scenario_storm() {
	use_gateway main
	local out ok_failed poison sent
	out=$(load connections=8 duration=20s \
		'kind=ok|/chaos/storm/x' \
		'kind=poison|/chaos/storm/x|x-trap=1|every=100')
	sent=$(field "$out" ok sent)
	ok_failed=$((sent - $(field "$out" ok status_200)))
	poison=$(field "$out" poison sent)
	local poison_503
	poison_503=$(field "$out" poison status_503)
	local verdict=FAIL
	[ "$ok_failed" = 0 ] && [ "$poison" -gt 0 ] && [ "$poison_503" = "$poison" ] && verdict=PASS
	report storm $verdict "20 s x 8 connections, 1% trap: $sent other requests, $ok_failed failed; $poison traps -> $poison_503 x 503; p99 $(($(field "$out" ok p99_us) / 1000)) ms; rebuilds $(plugin_figure chaos-storm rebuilds)" \
		"every other request succeeds; each trap costs only its own request"
}

scenario_inflight() {
	# one event loop: the waiting requests and the trap share one VM
	use_gateway one-loop
	local waiting=8 i
	for i in $(seq "$waiting"); do
		curl -s -o "$WORK/wait.$i" -w '%{http_code} %{time_total}\n' "$BASE/chaos/wait/x" -H 'x-op: http-call' \
			-H 'x-cluster: chaos-hang' -H 'x-timeout: 20000' >"$WORK/wait.$i.status" &
	done
	sleep 2 # the callouts are out
	local trapped_at
	trapped_at=$(date +%s.%N)
	curl -s -o /dev/null "$BASE/chaos/wait/x" -H 'x-op: trap'
	wait_for_files "$waiting" "$WORK"/wait.*.status
	local answered_at slowest codes
	answered_at=$(date +%s.%N)
	codes=$(cut -d' ' -f1 "$WORK"/wait.*.status | sort | uniq -c | tr -s ' ' | tr '\n' ';')
	slowest=$(python3 -c "print(round($answered_at - $trapped_at, 2))")
	local verdict=FAIL
	if [ "$(cut -d' ' -f1 "$WORK"/wait.*.status | sort -u)" = 503 ] && python3 -c "import sys; sys.exit(0 if $slowest < 5 else 1)"; then
		verdict=PASS
	fi
	report inflight $verdict "$waiting requests waiting 20 s callouts when their VM trapped: answered ($codes) within ${slowest} s of the trap" \
		"answered at once per the failure policy, never by the stream timeout"
}

# wait_for_files N FILES...: until N of the files are non-empty (at most 40 s).
wait_for_files() {
	local n=$1
	shift
	for _ in $(seq 400); do
		local done=0 file
		for file in "$@"; do
			[ -s "$file" ] && done=$((done + 1))
		done
		[ "$done" -ge "$n" ] && return
		sleep 0.1
	done
}

scenario_response() {
	use_gateway main
	local out
	out=$(load connections=4 duration=5s \
		"kind=open|/chaos/open/x|x-response-op=trap|count=GET /chaos/open/x" \
		"kind=closed|/chaos/closed/x|x-response-op=trap|count=wasm_fail_stream")
	local open_sent open_ok closed_sent closed_503 verdict=FAIL
	open_sent=$(field "$out" open sent)
	open_ok=$(field "$out" open seen_GET_chaos_open_x)
	closed_sent=$(field "$out" closed sent)
	closed_503=$(field "$out" closed status_503)
	[ "$open_sent" -gt 0 ] && [ "$open_ok" = "$open_sent" ] && [ "$(field "$out" open status_200)" = "$open_sent" ] &&
		[ "$closed_sent" -gt 0 ] && [ "$closed_503" = "$closed_sent" ] && verdict=PASS
	report response $verdict "trap in proxy_on_response_headers: fail-open $open_ok/$open_sent got the upstream's 200 body; fail-closed $closed_503/$closed_sent got 503 wasm_fail_stream" \
		"fail-open: the upstream response passes; fail-closed: 503 with details"
}

scenario_reload() {
	use_gateway main
	local swapper out
	(
		for i in $(seq 10); do
			sleep 2
			if [ $((i % 2)) = 1 ]; then
				cp "$FIXTURES/bench-headers.wasm" "$WORK/reload.tmp"
			else
				cp "$FIXTURES/trap-on-marker.wasm" "$WORK/reload.tmp"
			fi
			mv "$WORK/reload.tmp" "$WORK/reload.wasm"
		done
	) &
	swapper=$!
	out=$(load connections=4 duration=21s "kind=reload|/chaos/reload/x|x-a=1|x-b=1|count=x-ok: 1|count=x-c: 2")
	wait "$swapper"
	local sent ok old new
	sent=$(field "$out" reload sent)
	ok=$(field "$out" reload status_200)
	old=$(field "$out" reload seen_x_ok_1)
	new=$(field "$out" reload seen_x_c_2)
	# a corrupt file: never serves, shows in health and the endpoint
	head -c 3000 /dev/urandom >"$WORK/reload.tmp"
	mv "$WORK/reload.tmp" "$WORK/reload.wasm"
	sleep 2
	local served_corrupt health_says endpoint_says
	served_corrupt=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/chaos/reload/x")
	health_says=$(json "$BASE/actuator/health" "'reloadFailed' in d['components']['wasmPlugins']['details']['chaos-reload']")
	endpoint_says=$(json "$BASE/actuator/wasmplugins/chaos-reload" "(d.get('lastReload') or {}).get('result')")
	cp "$FIXTURES/trap-on-marker.wasm" "$WORK/reload.tmp"
	mv "$WORK/reload.tmp" "$WORK/reload.wasm"
	sleep 2
	local cleared
	cleared=$(json "$BASE/actuator/health" "'reloadFailed' not in d['components']['wasmPlugins']['details']['chaos-reload']")
	local verdict=FAIL
	[ "$sent" -gt 0 ] && [ "$ok" = "$sent" ] && [ "$old" -gt 0 ] && [ "$new" -gt 0 ] && [ "$served_corrupt" = 200 ] &&
		[ "$health_says" = True ] && [ "$endpoint_says" = failure ] && [ "$cleared" = True ] && verdict=PASS
	report reload $verdict "file replaced every 2 s for 20 s at 4 connections: $((sent - ok)) of $sent failed, versions seen $old + $new; corrupt file: served $served_corrupt by the old version, health reloadFailed=$health_says, endpoint $endpoint_says; good file cleared it: $cleared" \
		"0 failed; both versions observed; corrupt never serves and shows; a good file clears it"
}

scenario_loop() {
	use_gateway main
	local timeout_ms loops out rebuilds_before failures_before before
	timeout_ms=$LOOP_DEADLINE_MS
	# the other route alone first: a request that waits behind a looping call on its event
	# loop waits at most the deadline more than it would anyway
	before=$(load connections=4 duration=6s 'kind=plain|/chaos/plain/x|x-a=1|x-b=2')
	rebuilds_before=$(plugin_figure chaos-loop rebuilds)
	failures_before=$(plugin_figure chaos-loop traps)
	(
		for i in $(seq 10); do
			curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$BASE/chaos/loop/x" -H 'x-loop: 1' >>"$WORK/loops"
			sleep 1
		done
	) &
	loops=$!
	out=$(load connections=4 duration=14s 'kind=plain|/chaos/plain/x|x-a=1|x-b=2')
	wait "$loops"
	local p99 p99_before loop_codes loop_slowest rebuilds verdict=FAIL
	p99=$(($(field "$out" plain p99_us) / 1000))
	p99_before=$(($(field "$before" plain p99_us) / 1000))
	loop_codes=$(cut -d' ' -f1 "$WORK/loops" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
	loop_slowest=$(cut -d' ' -f2 "$WORK/loops" | sort -n | tail -1)
	rebuilds=$(($(plugin_figure chaos-loop rebuilds) - rebuilds_before))
	local failures=$(($(plugin_figure chaos-loop traps) - failures_before))
	local plain_failed=$(($(field "$out" plain sent) - $(field "$out" plain status_200)))
	if [ "$plain_failed" = 0 ] && [ "$(cut -d' ' -f1 "$WORK/loops" | sort -u)" = 503 ] && [ "$failures" = 10 ] &&
		[ "$p99" -le $((p99_before + timeout_ms)) ]; then
		verdict=PASS
	fi
	report loop $verdict "10 looping requests ($loop_codes slowest ${loop_slowest}s, deadline ${timeout_ms} ms, $failures deadline failures, $rebuilds VMs replaced) while another route took $(field "$out" plain sent) requests at 4 connections: p99 $p99 ms (alone before: $p99_before ms), $plain_failed failed" \
		"looping request answered at the deadline; the other route's p99 grows by at most the deadline; VM replaced"
}

scenario_memory() {
	use_gateway main
	local samples=() heap rss i codes
	for i in $(seq 100); do
		codes+="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/chaos/hog/x" -H 'x-grow: 1') "
		if [ $((i % 10)) = 0 ]; then
			heap=$(heap_after_gc)
			rss=$(rss_mb)
			samples+=("$heap/$rss")
		fi
	done
	local first_heap first_rss max_heap=0 max_rss=0 sample
	first_heap=${samples[0]%/*}
	first_rss=${samples[0]#*/}
	for sample in "${samples[@]:1}"; do
		[ "${sample%/*}" -gt "$max_heap" ] && max_heap=${sample%/*}
		[ "${sample#*/}" -gt "$max_rss" ] && max_rss=${sample#*/}
	done
	local distinct verdict=FAIL
	distinct=$(echo "$codes" | tr ' ' '\n' | grep -v '^$' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
	if [ "$(echo "$codes" | tr ' ' '\n' | grep -v '^$' | sort -u)" = 503 ] &&
		[ $((max_heap * 100)) -le $((first_heap * 110)) ] && [ $((max_rss * 100)) -le $((first_rss * 110)) ]; then
		verdict=PASS
	fi
	report memory $verdict "100 requests growing a VM to its 16 MB cap ($distinct): heap after GC / RSS in MB every 10: ${samples[*]}" \
		"each fails cleanly, VM rebuilt; heap after GC and RSS within 10% after the first 10"
}

scenario_callouts() {
	use_gateway main
	local failures_before rebuilds_before background out
	failures_before=$(plugin_figure chaos-exerciser traps)
	rebuilds_before=$(plugin_figure chaos-exerciser rebuilds)
	load connections=2 duration=8s 'kind=plain|/chaos/plain/x|x-a=1|x-b=2' >"$WORK/callouts-background" &
	background=$!
	local statuses=()
	# the 70 kB path is built by the plugin (x-path-repeat): no client can send such a header
	statuses+=("space:$(callout_status -H 'x-cluster: chaos-echo' -H 'x-path: /a b')")
	statuses+=("70kB:$(callout_status -H 'x-cluster: chaos-echo' -H 'x-path: /a' -H 'x-path-repeat: 35000')")
	statuses+=("undeclared:$(callout_status -H 'x-cluster: nowhere')")
	statuses+=("url:$(callout_status -H 'x-cluster: http://127.0.0.1:1/')")
	statuses+=("ctl:$(callout_status -H 'x-cluster: chaos-echo' -H $'x-path: /a\tb')")
	wait "$background"
	out=$(cat "$WORK/callouts-background")
	local failures rebuilds plain_failed verdict=FAIL
	failures=$(($(plugin_figure chaos-exerciser traps) - failures_before))
	rebuilds=$(($(plugin_figure chaos-exerciser rebuilds) - rebuilds_before))
	plain_failed=$(($(field "$out" plain sent) - $(field "$out" plain status_200)))
	# an error status from proxy_http_call, or a call that went out and came back an error
	if [ "$failures" = 0 ] && [ "$plain_failed" = 0 ] &&
		! printf '%s\n' "${statuses[@]}" | grep -qv -E ':([1-9][0-9]*|0/(failed|[45][0-9][0-9]))$'; then
		verdict=PASS
	fi
	report callouts $verdict "plugin's status per callout (status/answer): ${statuses[*]}; VM failures $failures, VMs replaced $rebuilds; other route: $plain_failed of $(field "$out" plain sent) failed" \
		"the plugin gets an error status; no VM dies; no other request fails"
}

# What the exerciser got: proxy_http_call's status (x-status) and, when the call went out,
# the callout's answer (x-callout-status, or "failed"), as the upstream echoes them.
callout_status() {
	curl -s "$BASE/chaos/wait/x" -H 'x-op: http-call' "$@" | tr -d '\r' | awk -F': ' '
		$1 == "x-status" { status = $2 }
		$1 == "x-callout-status" { reply = $2 }
		$1 == "x-callout-failed" { reply = "failed" }
		END { print status (status == "0" ? "/" (reply == "" ? "none" : reply) : "") }'
}

scenario_blackhole() {
	use_gateway main
	local before during after hung
	before=$(load connections=4 duration=6s 'kind=plain|/chaos/plain/x|x-a=1|x-b=2')
	# 4 requests held by the upstream the whole time (one per connection: no client churn)
	load connections=4 duration=9s timeout=10s 'kind=hang|/chaos/blackhole/x' >"$WORK/hang" &
	hung=$!
	during=$(load connections=4 duration=6s 'kind=plain|/chaos/plain/x|x-a=1|x-b=2')
	wait "$hung"
	after=$(load connections=4 duration=6s 'kind=plain|/chaos/plain/x|x-a=1|x-b=2')
	local p99_before p99_during p99_after baseline failed verdict=FAIL
	p99_before=$(($(field "$before" plain p99_us) / 1000))
	p99_during=$(($(field "$during" plain p99_us) / 1000))
	p99_after=$(($(field "$after" plain p99_us) / 1000))
	baseline=$((p99_before > p99_after ? p99_before : p99_after))
	failed=$(($(field "$during" plain sent) - $(field "$during" plain status_200)))
	if [ "$failed" = 0 ] && [ "$(field "$(cat "$WORK/hang")" hang sent)" -gt 0 ] &&
		[ "$(field "$(cat "$WORK/hang")" hang status_200)" = 0 ] && [ "$p99_during" -le $((baseline * 2 + 5)) ]; then
		verdict=PASS
	fi
	report blackhole $verdict "an upstream that never answers held $(field "$(cat "$WORK/hang")" hang sent) requests on one route: other route p99 $p99_before ms before, $p99_during ms during, $p99_after ms after, $failed of $(field "$during" plain sent) failed" \
		"other routes keep their p99 (within 2 x the larger of before and after: a shared machine)"
}

scenario_soak() {
	use_gateway main
	local start_heap end_heap start_vms end_vms start_meters end_meters out active
	load connections=4 duration=20s 'kind=warm|/key/x|x-api-key=bob-key' >/dev/null
	start_heap=$(heap_after_gc)
	start_vms=$(json "$BASE/actuator/wasmplugins" "sum(len(p['vms']) for p in d.values())")
	start_meters=$(json "$BASE/actuator/metrics" "len(d['names'])")
	out=$(load connections=4 "duration=$SOAK" 'kind=soak|/key/x|x-api-key=bob-key')
	end_heap=$(heap_after_gc)
	end_vms=$(json "$BASE/actuator/wasmplugins" "sum(len(p['vms']) for p in d.values())")
	end_meters=$(json "$BASE/actuator/metrics" "len(d['names'])")
	active=$(json "$BASE/actuator/wasmplugins" "sum(vm['activeStreams'] for p in d.values() for vm in p['vms'])")
	local sent failed verdict=FAIL
	sent=$(field "$out" soak sent)
	failed=$((sent - $(field "$out" soak status_200)))
	if [ "$failed" = 0 ] && [ $((end_heap * 100)) -le $((start_heap * 105)) ] && [ "$end_vms" -le "$start_vms" ] &&
		[ "$end_meters" -le "$start_meters" ] && [ "$active" = 0 ]; then
		verdict=PASS
	fi
	report soak $verdict "$SOAK at 4 connections on key-auth: $sent requests, $failed failed; heap after GC $start_heap -> $end_heap MB; VMs $start_vms -> $end_vms; meters $start_meters -> $end_meters; open streams at the end $active" \
		"heap after GC within 5%; no growth in VMs, contexts, meters"
}

# --- redis (scenario redis stops and restarts it) ------------------------------------------

scenario_redis() {
	use_gateway main
	# the demo's limit: 5 a minute for x-user demo, counted in Redis (a fresh Redis counts
	# from 0; 11 requests reach the limit even when a minute ends among them)
	local before during after=() i
	before=$(for i in $(seq 11); do curl -s -o /dev/null -w '%{http_code} ' "$BASE/cluster-limited/x" -H 'x-user: demo'; done)
	stop_redis
	local outage_started
	outage_started=$(date +%s)
	during=$(for i in $(seq 20); do curl -s -o /dev/null -w '%{http_code} ' --max-time 5 "$BASE/cluster-limited/x" -H 'x-user: demo'; done)
	sleep $((5 - ($(date +%s) - outage_started) > 0 ? 5 - ($(date +%s) - outage_started) : 0))
	start_redis
	local back_at enforced_after=never
	back_at=$(date +%s.%N)
	for i in $(seq 200); do
		local code
		code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/cluster-limited/x" -H 'x-user: demo')
		after+=("$code")
		if [ "$code" = 429 ]; then
			enforced_after=$(python3 -c "print(round($(date +%s.%N) - $back_at, 2))")
			break
		fi
		sleep 0.05
	done
	local verdict=FAIL
	if [[ "$before" == "200 200 200 200 200 "*429* ]] &&
		[ "$(echo "$during" | tr ' ' '\n' | grep -v '^$' | sort -u)" = 200 ] && [ "$enforced_after" != never ] &&
		python3 -c "import sys; sys.exit(0 if $enforced_after < 10 else 1)"; then
		verdict=PASS
	fi
	report redis $verdict "limit 5/min: before $before; Redis down 5 s: ${during}; after restart the limit answered 429 again ${enforced_after} s after Redis was back" \
		"the documented outage policy holds; limits enforced again within seconds"
}

# --- bad binaries (each its own start, expected to fail) ------------------------------------

scenario_binaries() {
	use_gateway none
	local kinds=(not-wasm truncated no-abi unknown-import random-64MB) kind results=() verdict=PASS
	printf 'this is not a wasm module\n' >"$WORK/bad-not-wasm.wasm"
	head -c 600 "$FIXTURES/exerciser.wasm" >"$WORK/bad-truncated.wasm"
	cp "$FIXTURES/no-abi.wasm" "$WORK/bad-no-abi.wasm"
	# (module (import "env" "no_such_function" (func)) (memory (export "memory") 1)
	#   (func (export "proxy_abi_version_0_2_1"))
	#   (func (export "malloc") (param i32) (result i32) (i32.const 0)))
	printf '%s' 0061736d0100000001090260000060017f017f02180103656e76106e6f5f737563685f66756e6374696f6e000003030200010503010001072d03066d656d6f727902001770726f78795f6162695f76657273696f6e5f305f325f310001066d616c6c6f6300020a090202000b040041000b |
		xxd -r -p >"$WORK/bad-unknown-import.wasm"
	# random bytes behind the wasm magic and version: the parser's worst case
	{
		printf '\0asm\1\0\0\0'
		head -c $((64 * 1024 * 1024 - 8)) /dev/urandom
	} >"$WORK/bad-random-64MB.wasm"
	for kind in "${kinds[@]}"; do
		local log="$WORK/bad-$kind.log" started code seconds named oom cause
		started=$(date +%s.%N)
		set +e
		PORT=$(free_port) ECHO_PORT=$(free_port) GRPC_PORT=$(free_port) timeout 120 "$JAVA" -Xmx256m -jar "$JAR" \
			--wasm-gateway.plugins.bad.location="file:$WORK/bad-$kind.wasm" >"$log" 2>&1
		code=$?
		set -e
		seconds=$(python3 -c "print(round($(date +%s.%N) - $started, 1))")
		named=$(grep -c "plugin 'bad'\|wasm-gateway.plugins.bad" "$log" || true)
		oom=$(grep -c OutOfMemoryError "$log" || true)
		# the cause: what follows the file's name in the first line naming it
		cause=$(grep -m1 -o "bad-$kind.wasm[^.:;]*" "$log" | sed "s|bad-$kind.wasm ||" | cut -c1-70 || true)
		results+=("$kind: exit $code in ${seconds}s$([ "$named" -gt 0 ] && echo ", names the plugin: $cause" || echo ', MESSAGE MISSING')$([ "$oom" -gt 0 ] && echo ', OOM')")
		if [ "$code" = 0 ] || [ "$code" = 124 ] || [ "$named" = 0 ] || [ "$oom" != 0 ]; then
			verdict=FAIL
		fi
	done
	report binaries $verdict "$(printf '%s; ' "${results[@]}")" \
		"start-up refused with a message naming the plugin and the cause, in seconds, no OutOfMemoryError"
}

# --- run ----------------------------------------------------------------------------------

echo "chaos suite: $(nproc) cores, $(uptime | sed 's/.*load average/load average/'), java: $("$JAVA" -version 2>&1 | head -1)" >&2
start_redis
for scenario in $SCENARIOS; do
	case " $ALL " in
		*" $scenario "*) "scenario_$scenario" || report "$scenario" FAIL "the scenario stopped on an error (see above)" "-" ;;
		*) die "unknown scenario $scenario (known: $ALL)" ;;
	esac
done
stop_gateway

echo
if grep -q ' FAIL ' "$RESULTS"; then
	echo "chaos suite: $(grep -c ' FAIL ' "$RESULTS") of $(wc -l <"$RESULTS") scenarios FAILED"
	exit 1
fi
echo "chaos suite: all $(wc -l <"$RESULTS") scenarios PASS"
