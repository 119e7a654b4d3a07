#!/usr/bin/env bash
# JFR profile of the request path: the packaged demo gateway (profile "bench") under wrk,
# one route after the other with a quiet gap between them, recorded with profile.jfc;
# jfr_report.py then prints per route the bytes allocated per request and the frames that
# allocate and burn CPU. Never run by the build or CI.
#
#   benchmarks/load/profile.sh
#   ROUTES="/bench/java/x /bench/wasm/x" CONNECTIONS=4 DURATION=20s benchmarks/load/profile.sh
#
# Settings (environment): ROUTES (paths, default the header and key-auth pairs), DURATION
# (per route, default 20s), WARMUP (default 10s per route), CONNECTIONS (default 4),
# JAVA_OPTS, JAVA, JAR (default demo-app/target/demo.jar), KEEP=1 (keep the recording and
# print where it is).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HERE=$ROOT/benchmarks/load
JAR=${JAR:-$ROOT/demo-app/target/demo.jar}

ROUTES=${ROUTES:-/bench/java/x /bench/wasm/x /bench/java-key/x /bench/wasm-key/x}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-4}
JAVA_OPTS=${JAVA_OPTS:-}
JAVA=${JAVA:-java}
KEEP=${KEEP:-0}

die() {
	echo "profile.sh: $*" >&2
	exit 1
}

command -v wrk >/dev/null 2>&1 || die "wrk not found: install it with 'apt-get install wrk'"
command -v jfr >/dev/null 2>&1 || die "jfr not found: it comes with the JDK (put its bin on PATH)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
[ -f "$JAR" ] || die "$JAR is missing: ./mvnw -Pquick package -pl demo-app -am"

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

PORT=$(free_port)
ECHO_PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
GATEWAY_PID=

stop_gateway() {
	if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
		kill "$GATEWAY_PID" 2>/dev/null || true
		for _ in $(seq 300); do
			kill -0 "$GATEWAY_PID" 2>/dev/null || break
			sleep 0.1
		done
	fi
	GATEWAY_PID=
}
cleanup() {
	stop_gateway
	if [ "$KEEP" = 1 ]; then echo "recording kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
PORT=$PORT ECHO_PORT=$ECHO_PORT "$JAVA" $JAVA_OPTS \
	"-XX:StartFlightRecording=filename=$WORK/recording.jfr,settings=$HERE/profile.jfc,dumponexit=true" \
	-jar "$JAR" --spring.profiles.active=bench >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 240); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/bench/none/ready" || true)" = 200 ] && break
	kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway exited at start-up: $(tail -5 "$WORK/gateway.log")"
	sleep 0.5
done

HEADERS=(-H "x-a: hello" -H "x-b: world" -H "x-api-key: bob-key"
	-H "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
for route in $ROUTES; do
	wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "${HEADERS[@]}" "$BASE$route" >/dev/null
done
: >"$WORK/windows"
for route in $ROUTES; do
	sleep 2
	start=$(date +%s%N)
	wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/report.lua" "${HEADERS[@]}" "$BASE$route" >"$WORK/wrk.out"
	end=$(date +%s%N)
	requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$WORK/wrk.out")
	echo "$route $start $end $requests" >>"$WORK/windows"
done
sleep 2
stop_gateway

echo "# JFR profile: $CONNECTIONS connection(s), $DURATION per route; $(date -u '+%Y-%m-%d %H:%M UTC');" \
	"commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$HERE/jfr_report.py" "$WORK/recording.jfr" "$WORK/windows"
