#!/usr/bin/env bash
# Load test of plugins' Redis calls: the built-in cluster-key-rate-limit plugin (one EVAL per
# request) on the demo gateway's /cluster-limited route under wrk, against one redis-server and
# against a 3-master Redis Cluster, both started here on free loopback ports. Several gateway
# jars can be compared (the same demo built from two commits): each round measures every jar
# on every topology, in alternating order, so that drift on a shared machine hits all of them
# alike. Prints a markdown report. Never run by the build or CI.
#
#   benchmarks/redis/run.sh
#   GATEWAYS="before=/tmp/demo-before.jar after=demo-app/target/demo.jar" ROUNDS=5 benchmarks/redis/run.sh
#
# Settings (environment):
#   GATEWAYS     label=jar pairs, the first is the reference     default "lettuce=demo-app/target/demo.jar"
#   TOPOLOGIES   "single", "cluster" or both                     default "single cluster"
#   ROUNDS       rounds (each measures every jar on every topology) default 3
#   DURATION     measured time per run (wrk -d)                  default 10s
#   WARMUP       warm-up per run, before measuring               default 5s
#   CONNECTIONS  wrk connections                                 default 8
#   THREADS      wrk threads                                     default 1
#   JAVA_OPTS    JVM options of the gateway                      default none
#   JAVA         the java command                                default java
#   START_TIMEOUT seconds to wait for a gateway to answer        default 120
#
# A jar whose gateway cannot start on a topology (a client without Redis Cluster support) is
# reported as such for that topology; the others go on.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)

GATEWAYS=${GATEWAYS:-lettuce=demo-app/target/demo.jar}
TOPOLOGIES=${TOPOLOGIES:-single cluster}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
JAVA=${JAVA:-java}
START_TIMEOUT=${START_TIMEOUT:-120}
# the limit is far above what a run sends: every request runs the script and is let through
LIMIT=1000000000000

die() {
	echo "run.sh: $*" >&2
	exit 1
}

for tool in wrk curl redis-server redis-cli "$JAVA"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (Debian packages: wrk, curl, redis-server; a JDK 17+)"
done
for gateway in $GATEWAYS; do
	[ -f "${gateway#*=}" ] || die "no jar at ${gateway#*=} (build it with ./mvnw -Pquick install)"
done

WORK=$(mktemp -d)
PIDS=()
GATEWAY_PID=

free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 30000))
		# the cluster bus listens on port + 10000: keep both free
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
			&& ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 10000))") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

stop_pid() {
	local pid=$1
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || return 0
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
}

cleanup() {
	[ -z "$GATEWAY_PID" ] || stop_pid "$GATEWAY_PID"
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Redis ----------------------------------------------------------------------------------

start_redis() { # port [extra arguments...]; waits for PONG
	local port=$1
	shift
	mkdir -p "$WORK/redis-$port"
	(cd "$WORK/redis-$port" && exec redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
		--logfile "$WORK/redis-$port.log" "$@") &
	PIDS+=($!)
	for _ in $(seq 100); do
		[ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ] && return 0
		sleep 0.1
	done
	die "redis-server did not start on port $port: $(tail -5 "$WORK/redis-$port.log")"
}

SINGLE_PORT=
CLUSTER_NODES=
for topology in $TOPOLOGIES; do
	case $topology in
	single)
		SINGLE_PORT=$(free_port)
		start_redis "$SINGLE_PORT"
		;;
	cluster)
		nodes=()
		for _ in 1 2 3; do
			port=$(free_port)
			start_redis "$port" --cluster-enabled yes --cluster-config-file "nodes-$port.conf"
			nodes+=("127.0.0.1:$port")
		done
		redis-cli --cluster create "${nodes[@]}" --cluster-yes >"$WORK/cluster-create.log" 2>&1 \
			|| die "redis-cli --cluster create failed: $(tail -5 "$WORK/cluster-create.log")"
		for _ in $(seq 100); do
			redis-cli -p "${nodes[0]#*:}" CLUSTER INFO | grep -q 'cluster_state:ok' && break
			sleep 0.1
		done
		CLUSTER_NODES=$(IFS=,; echo "${nodes[*]}")
		;;
	*) die "unknown topology '$topology' (single, cluster)" ;;
	esac
done

# --- one gateway ------------------------------------------------------------------------------

# The demo's redis profile with its limit raised, counting in Redis named "bench-redis".
write_config() { # topology file
	{
		echo "wasm-gateway:"
		echo "  redis:"
		echo "    clusters:"
		echo "      bench-redis:"
		if [ "$1" = single ]; then
			echo "        url: redis://127.0.0.1:$SINGLE_PORT"
		else
			echo "        cluster:"
			echo "          nodes: [ $CLUSTER_NODES ]"
		fi
		echo "  plugins:"
		echo "    cluster-key-rate-limit:"
		echo "      configuration:"
		echo "        rule_items:"
		echo "          - limit_by_header: x-user"
		echo "            limit_keys:"
		echo "              - key: demo"
		echo "                query_per_minute: $LIMIT"
		echo "        redis:"
		echo "          service_name: bench-redis"
	} >"$2"
}

# Starts a gateway; returns 1 (and leaves no process) when it does not come up or does not count
# in Redis (a client that cannot reach this topology).
start_gateway() { # jar topology
	local jar=$1 topology=$2 started
	PORT=$(free_port)
	ECHO_PORT=$(free_port)
	BASE=http://127.0.0.1:$PORT
	write_config "$topology" "$WORK/bench.yml"
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	PORT=$PORT ECHO_PORT=$ECHO_PORT "$JAVA" $JAVA_OPTS -jar "$jar" --spring.profiles.active=redis \
		--spring.config.additional-location="file:$WORK/bench.yml" >"$WORK/gateway.log" 2>&1 &
	GATEWAY_PID=$!
	started=$(date +%s)
	until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'x-user: demo' "$BASE/cluster-limited/ready" || true)" = 200 ]; do
		if ! kill -0 "$GATEWAY_PID" 2>/dev/null || [ $(($(date +%s) - started)) -ge "$START_TIMEOUT" ]; then
			stop_pid "$GATEWAY_PID"
			GATEWAY_PID=
			return 1
		fi
		sleep 0.5
	done
	# the plugin counted this request in Redis: its quota header carries the raised limit
	curl -s -D "$WORK/headers" -o /dev/null -H 'x-user: demo' "$BASE/cluster-limited/check"
	if ! grep -qi "^x-ratelimit-limit: $LIMIT" "$WORK/headers"; then
		echo "run.sh: the gateway ($jar, $topology) did not count in Redis; its log ends with:" >&2
		grep -i 'redis' "$WORK/gateway.log" | tail -3 >&2 || true
		stop_gateway
		return 1
	fi
}

stop_gateway() {
	stop_pid "$GATEWAY_PID"
	GATEWAY_PID=
}

measure() { # duration [header]; prints wrk's RESULT line
	local args=()
	[ -z "${2:-}" ] || args=(-H "$2")
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -s "$ROOT/benchmarks/load/report.lua" "${args[@]}" \
		"$BASE/cluster-limited/x" >"$WORK/wrk.out"
	grep '^RESULT ' "$WORK/wrk.out" || die "wrk printed no result: $(cat "$WORK/wrk.out")"
}

errors_of() { # RESULT line
	echo $(($(field "$1" non2xx3xx) + $(field "$1" connect_errors) + $(field "$1" read_errors)
		+ $(field "$1" write_errors) + $(field "$1" timeouts)))
}

field() { # RESULT line, name
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# --- runs -------------------------------------------------------------------------------------

labels=()
for gateway in $GATEWAYS; do
	labels+=("${gateway%%=*}")
done

echo "# cluster-key-rate-limit on Redis: wrk against demo.jar (profile redis)"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "- gateways: $GATEWAYS"
echo "- java: $("$JAVA" -version 2>&1 | sed -n 2p); JAVA_OPTS: ${JAVA_OPTS:-(none)}; $(redis-server --version | cut -d' ' -f1-3)"
echo "- machine: $(nproc) CPUs; wrk, the gateway and Redis share them"
echo "- wrk: $THREADS thread(s), $CONNECTIONS connections, ${WARMUP} warm-up then ${DURATION} per run, $ROUNDS rounds"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Each run measures the route twice on the same gateway: with \`x-user: demo\` (the plugin runs"
echo "its script in Redis, then lets the request through) and without it (the plugin finds no rule"
echo "and makes no Redis call: the reference, which shows how busy the machine was)."
echo
echo "| round | topology | gateway | requests/s | p50 µs | p99 µs | errors | reference requests/s | vs reference |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|"

for round in $(seq "$ROUNDS"); do
	order=("${labels[@]}")
	if [ $((round % 2)) = 0 ]; then
		order=()
		for ((i = ${#labels[@]} - 1; i >= 0; i--)); do
			order+=("${labels[$i]}")
		done
	fi
	for topology in $TOPOLOGIES; do
		for label in "${order[@]}"; do
			jar=
			for gateway in $GATEWAYS; do
				[ "${gateway%%=*}" != "$label" ] || jar=${gateway#*=}
			done
			if ! start_gateway "$jar" "$topology"; then
				echo "| $round | $topology | $label | did not start or count in Redis | | | |"
				echo "$topology $label - - - -" >>"$WORK/results"
				continue
			fi
			measure "$WARMUP" 'x-user: demo' >/dev/null
			result=$(measure "$DURATION" 'x-user: demo')
			reference=$(measure "$DURATION")
			stop_gateway
			errors=$(($(errors_of "$result") + $(errors_of "$reference")))
			rps=$(field "$result" rps)
			ref=$(field "$reference" rps)
			awk -v r="$round" -v t="$topology" -v l="$label" -v rps="$rps" -v p50="$(field "$result" p50_us)" \
				-v p99="$(field "$result" p99_us)" -v e="$errors" -v ref="$ref" 'BEGIN {
				printf "| %s | %s | %s | %.0f | %s | %s | %s | %.0f | %.2f |\n", r, t, l, rps, p50, p99, e, ref, rps / ref }'
			echo "$topology $label $rps $(field "$result" p99_us) $errors $ref" >>"$WORK/results"
		done
	done
done

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Medians over the rounds; the ratios compare each gateway with the first one (${labels[0]}) on the"
echo "same topology. \"script vs reference\" is the median of each run's requests/s with the Redis call"
echo "over requests/s without it on the same gateway, the figure least moved by other work on the machine."
echo
echo "| topology | gateway | requests/s | p99 µs | script vs reference | requests/s vs ${labels[0]} | p99 vs ${labels[0]} | (script vs reference) vs ${labels[0]} |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
median() { # numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for topology in $TOPOLOGIES; do
	ref_rps=
	ref_p99=
	ref_share=
	for label in "${labels[@]}"; do
		runs() { # column
			awk -v t="$topology" -v l="$label" -v c="$1" '$1 == t && $2 == l && $3 != "-" { print $c }' "$WORK/results"
		}
		rps=$(runs 3 | median)
		p99=$(runs 4 | median)
		share=$(awk -v t="$topology" -v l="$label" '$1 == t && $2 == l && $3 != "-" { print $3 / $6 }' \
			"$WORK/results" | median)
		if [ "$rps" = - ]; then
			echo "| $topology | $label | did not start or count in Redis | | | | | |"
			continue
		fi
		[ -n "$ref_rps" ] || { ref_rps=$rps; ref_p99=$p99; ref_share=$share; }
		awk -v t="$topology" -v l="$label" -v rps="$rps" -v p99="$p99" -v share="$share" -v rr="$ref_rps" \
			-v rp="$ref_p99" -v rs="$ref_share" 'BEGIN {
			printf "| %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |\n", t, l, rps, p99, share, rps / rr, p99 / rp, share / rs }'
	done
done
if awk '$5 != "-" && $5 > 0 { found = 1 } END { exit !found }' "$WORK/results"; then
	die "some run had errors: its figures are not those of a 200 path"
fi
