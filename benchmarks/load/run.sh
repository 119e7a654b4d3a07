#!/usr/bin/env bash
# End-to-end load test: the packaged demo gateway (profile "bench") over real HTTP with
# wrk, each route with no filter, a Java filter, or a Wasm plugin, in front of the demo's
# own echo upstream (same JVM). Prints a markdown report. Never run by the build or CI.
#
#   benchmarks/load/run.sh
#   DURATION=20s CONNECTIONS="1 8" JAVA_OPTS="-Xmx512m" benchmarks/load/run.sh
#
# Settings (environment):
#   DURATION       measured seconds per scenario (wrk -d)           default 10s
#   WARMUP         warm-up per scenario, before any measurement      default 3s
#   CONNECTIONS    wrk connections; a list gives one table each      default "1 4"
#   THREADS        wrk threads                                       default 1
#   JAVA_OPTS      JVM options of the gateway                        default none
#   JAVA           the java command                                  default java
#   BUILD=1        rebuild demo-app/target/demo.jar first (built anyway when missing)
#   START_TIMEOUT  seconds to wait for the gateway to answer         default 120
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HERE=$ROOT/benchmarks/load
JAR=$ROOT/demo-app/target/demo.jar

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-1 4}
THREADS=${THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
JAVA=${JAVA:-java}
BUILD=${BUILD:-0}
START_TIMEOUT=${START_TIMEOUT:-120}

# shellcheck source=gateway.sh
. "$HERE/gateway.sh"
start_gateway --spring.profiles.active=bench

# --- scenarios ----------------------------------------------------------------------------

# Every request carries the headers the header plugin reads and a browser's User-Agent (for
# bot-detect); the auth scenarios add their credential.
COMMON=("x-a: hello" "x-b: world"
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
# jwt-auth: the demo's HS256 token for consumer dave (README.md; expires in 2100)
JWT=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImRlbW8ifQ.eyJpc3MiOiJkZW1vLWlzc3VlciIsInN1YiI6ImRhdmUiLCJleHAiOjQxMDI0NDQ4MDB9.IZ3r_ll5b4HTi9bDhdT4a7Ham72_nVhyvIK3jWAsPaI

# name | path | extra header ("" for none) | what proves the filter runs: "body:TEXT" (the
# echo shows TEXT) or "status:CODE" (the route answers CODE without the extra header)
SCENARIOS=(
	"no filter|/bench/none/x||"
	"Java filter (AddRequestHeader)|/bench/java/x||body:x-c: 0"
	"Wasm header plugin (bench-headers)|/bench/wasm/x||body:x-c: 0"
	"key-auth (valid key)|/key/x|x-api-key: bob-key|status:401"
	"jwt-auth HS256 (valid token)|/jwt/x|Authorization: Bearer $JWT|status:401"
	"basic-auth (valid user)|/basic/x|Authorization: Basic $(printf carol:secret | base64)|status:401"
	"bot-detect (browser)|/bots/x||body:x-a: hello"
	"no filter (again, for drift)|/bench/none/x||"
)
SKIPPED="jwt-auth RS256: skipped, the demo has no RS256 consumer (its RSA keys exist only inside JwtAuthTests)"

header_args() { # $1 extra header; prints curl/wrk -H arguments, one per line
	local header
	for header in "${COMMON[@]}"; do
		printf '%s\n%s\n' -H "$header"
	done
	[ -z "$1" ] || printf '%s\n%s\n' -H "$1"
}

# Each route must answer 200 with its credential, and must show its filter at work, before
# it is measured.
verify() { # name path extra proof
	local name=$1 path=$2 extra=$3 proof=$4 args status
	mapfile -t args < <(header_args "$extra")
	status=$(curl -s -o "$WORK/body" -w '%{http_code}' "${args[@]}" "$BASE$path")
	[ "$status" = 200 ] || die "$name: $path answered $status, not 200"
	case $proof in
	body:*)
		grep -qF "${proof#body:}" "$WORK/body" || die "$name: the upstream did not see '${proof#body:}'"
		;;
	status:*)
		mapfile -t args < <(header_args "")
		status=$(curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "$BASE$path")
		[ "$status" = "${proof#status:}" ] || die "$name: without '$extra' $path answered $status, not ${proof#status:}"
		;;
	esac
}

# Runs wrk on one scenario; prints its RESULT line plus cpu_gateway= and cpu_other= (cores
# in use on average: the gateway, and everything but the gateway and wrk).
measure() { # connections duration path extra
	local connections=$1 duration=$2 path=$3 extra=$4 args busy0 gw0 busy1 gw1 t0 t1 wrk_cpu
	mapfile -t args < <(header_args "$extra")
	busy0=$(cpu_busy)
	gw0=$(cpu_of "$GATEWAY_PID")
	t0=$(date +%s.%N)
	TIMEFORMAT='%U %S'
	{ time wrk -t"$THREADS" -c"$connections" -d"$duration" -s "$HERE/report.lua" "${args[@]}" "$BASE$path" \
		>"$WORK/wrk.out"; } 2>"$WORK/wrk.time"
	t1=$(date +%s.%N)
	busy1=$(cpu_busy)
	gw1=$(cpu_of "$GATEWAY_PID")
	wrk_cpu=$(awk '{ print $1 + $2 }' "$WORK/wrk.time")
	grep -q '^RESULT ' "$WORK/wrk.out" || die "wrk printed no result: $(cat "$WORK/wrk.out")"
	awk -v hz="$(getconf CLK_TCK)" -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
		-v busy=$((busy1 - busy0)) -v gw=$((gw1 - gw0)) -v wrk="$wrk_cpu" '
		/^RESULT / {
			printf "%s cpu_gateway=%.2f cpu_other=%.2f\n", $0, gw / hz / t, (busy - gw) / hz / t - wrk / t
		}' "$WORK/wrk.out"
}

# --- report --------------------------------------------------------------------------------

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || commit="$commit (with uncommitted changes)"
echo "# wasm-gateway end to end: wrk against demo.jar (profile bench)"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $commit; demo.jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')"
echo "- java: $("$JAVA" -version 2>&1 | sed -n 2p); JAVA_OPTS: ${JAVA_OPTS:-(none)}"
echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)); wrk and the gateway share them"
echo "- wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $THREADS thread(s), connections $CONNECTIONS, ${WARMUP} warm-up per route, then ${DURATION} per scenario"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $SKIPPED"

for scenario in "${SCENARIOS[@]}"; do
	IFS='|' read -r name path extra proof <<<"$scenario"
	verify "$name" "$path" "$extra" "$proof"
done
for scenario in "${SCENARIOS[@]}"; do
	IFS='|' read -r name path extra proof <<<"$scenario"
	measure 4 "$WARMUP" "$path" "$extra" >/dev/null
done

failed=0
noisy=0
for connections in $CONNECTIONS; do
	echo
	echo "### $connections connection(s), $THREADS thread(s), $DURATION each"
	echo
	echo "| scenario | route | requests/s | p50 µs | p90 µs | p99 µs | p50 vs no filter | errors | CPU gateway | CPU other |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	base=
	for scenario in "${SCENARIOS[@]}"; do
		IFS='|' read -r name path extra proof <<<"$scenario"
		result=$(measure "$connections" "$DURATION" "$path" "$extra")
		p50=$(field "$result" p50_us)
		[ -n "$base" ] || base=$p50
		errors=$(($(field "$result" non2xx3xx) + $(field "$result" connect_errors) + $(field "$result" read_errors)
			+ $(field "$result" write_errors) + $(field "$result" timeouts)))
		[ "$errors" = 0 ] || failed=1
		other=$(field "$result" cpu_other)
		if awk -v other="$other" 'BEGIN { exit !(other > 0.3) }'; then
			other="$other !"
			noisy=1
		fi
		awk -v name="$name" -v path="$path" -v rps="$(field "$result" rps)" -v p50="$p50" \
			-v p90="$(field "$result" p90_us)" -v p99="$(field "$result" p99_us)" -v base="$base" \
			-v errors="$errors" -v gw="$(field "$result" cpu_gateway)" -v other="$other" '
			BEGIN {
				diff = (p50 == base && name ~ /^no filter$/) ? "(base)" \
					: sprintf("%+d µs (%+.0f%%)", p50 - base, 100 * (p50 - base) / base)
				printf "| %s | `%s` | %.0f | %d | %d | %d | %s | %d | %.2f | %s |\n",
					name, path, rps, p50, p90, p99, diff, errors, gw, other
			}'
	done
	echo
	echo "load average after this table: $(cut -d' ' -f1-3 /proc/loadavg)"
done

echo
echo "errors: wrk's count of responses with status 400 or more plus socket errors and timeouts;"
echo "each route answered 200 to curl first. CPU: cores in use on average during the run, the"
echo "gateway's JVM (upstream included) and everything but the gateway and wrk (other work on the"
echo "machine; the two are counted differently by the kernel, so expect +-0.15 when nothing else runs)."
[ "$noisy" = 0 ] || echo "!: other work used more than 0.3 of a core during the rows marked so: re-run when the machine is quiet."
[ "$failed" = 0 ] || die "some scenario had errors: its figures are not those of a 200 path"
