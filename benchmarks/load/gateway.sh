# Shared by run.sh and loop.sh (sourced, not run): tool checks, the demo jar, free ports,
# starting and stopping the gateway, CPU counters. Expects ROOT, JAR, JAVA, JAVA_OPTS,
# BUILD and START_TIMEOUT set, and sets BASE, WORK, LOG and GATEWAY_PID.

SCRIPT=$(basename "$0")

die() {
	echo "$SCRIPT: $*" >&2
	exit 1
}

command -v wrk >/dev/null 2>&1 || die "wrk not found: install it with 'apt-get install wrk' (Debian/Ubuntu package wrk)"
command -v curl >/dev/null 2>&1 || die "curl not found: install it with 'apt-get install curl'"
command -v "$JAVA" >/dev/null 2>&1 || die "java not found (JDK 17 or newer; set JAVA=/path/to/java)"

if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
	echo "building $JAR ..." >&2
	(cd "$ROOT" && ./mvnw -q -Pquick package -pl demo-app -am >&2)
fi

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

WORK=$(mktemp -d)
LOG=$WORK/gateway.log
GATEWAY_PID=
BASE=

# Starts the demo jar with the given arguments on fresh free ports and waits until
# /bench/none answers (the profile "bench" must be among them).
start_gateway() {
	local port echo_port started
	port=$(free_port)
	echo_port=$(free_port)
	[ "$port" != "$echo_port" ] || echo_port=$(free_port)
	BASE=http://127.0.0.1:$port
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	# GATEWAY_CPU: an optional prefix (run.sh's PIN=1: taskset -c 0)
	PORT=$port ECHO_PORT=$echo_port ${GATEWAY_CPU[@]+"${GATEWAY_CPU[@]}"} "$JAVA" $JAVA_OPTS -jar "$JAR" "$@" >"$LOG" 2>&1 &
	GATEWAY_PID=$!
	started=$(date +%s)
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/bench/none/ready" || true)" = 200 ]; do
		kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway exited at start-up"
		[ $(($(date +%s) - started)) -lt "$START_TIMEOUT" ] || die "the gateway did not answer within ${START_TIMEOUT}s"
		sleep 0.5
	done
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

cleanup() {
	local status=$?
	stop_gateway
	if [ "$status" -ne 0 ] && [ -f "$LOG" ]; then
		echo "$SCRIPT: failed; the gateway's log ends with:" >&2
		tail -20 "$LOG" >&2
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cpu_busy() { # busy jiffies of the whole machine
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

cpu_of() { # user + system jiffies of one process
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

field() { # RESULT line of report.lua, name
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}
