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
#   ROUNDS         rounds per table: each round runs every scenario   default 1
#                  once, in order, so that the scenarios interleave
#                  and share the machine's drift; tables show the
#                  median of the rounds and each plugin's requests/s
#                  against its Java twin's, round by round
#   ONLY           a grep -E pattern: run only the scenarios whose   default all
#                  name matches (the first one is the base)
#   PIN=1          the gateway on CPU 0, wrk on CPU 1 (taskset)      default off
#   THREADS        wrk threads                                       default 1
#   JAVA_OPTS      JVM options of the gateway                        default none
#                  (-Dwasm-gateway.host-crypto=false: the auth plugins
#                  without the host crypto functions, as on Envoy)
#   JAVA           the java command                                  default java
#   JAR            the gateway to measure                  default demo-app/target/demo.jar
#   BUILD=1        rebuild demo-app/target/demo.jar first (built anyway when missing)
#   START_TIMEOUT  seconds to wait for the gateway to answer         default 120
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HERE=$ROOT/benchmarks/load
JAR=${JAR:-$ROOT/demo-app/target/demo.jar}

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-1 4}
ROUNDS=${ROUNDS:-1}
ONLY=${ONLY:-}
PIN=${PIN:-0}
THREADS=${THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
JAVA=${JAVA:-java}
BUILD=${BUILD:-0}
START_TIMEOUT=${START_TIMEOUT:-120}

# shellcheck source=gateway.sh
. "$HERE/gateway.sh"

GATEWAY_CPU=()
WRK_CPU=()
if [ "$PIN" = 1 ]; then
	command -v taskset >/dev/null 2>&1 || die "PIN=1 needs taskset (util-linux)"
	GATEWAY_CPU=(taskset -c 0)
	WRK_CPU=(taskset -c 1)
fi
start_gateway --spring.profiles.active=bench

# --- scenarios ----------------------------------------------------------------------------

# Every request carries the headers the header plugin reads and a browser's User-Agent (for
# bot-detect); the auth scenarios add their credential.
COMMON=("x-a: hello" "x-b: world"
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
# jwt-auth RS256 and ES256: tokens under the keys the bench profile made at start-up (BenchTokens)
RS256=$(curl -sf "$BASE/bench-tokens/RS256") || die "no RS256 token at $BASE/bench-tokens/RS256"
ES256=$(curl -sf "$BASE/bench-tokens/ES256") || die "no ES256 token at $BASE/bench-tokens/ES256"
# oauth: an HS256 access token the plugin issues to the demo's client (valid for 2 hours)
OAUTH=$(curl -sf "$BASE/bench/wasm-oauth/oauth2/token?grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret" |
	sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$OAUTH" ] || die "the oauth plugin issued no token at $BASE/bench/wasm-oauth/oauth2/token"
# jwt-auth: the demo's HS256 token for consumer dave (README.md; expires in 2100)
JWT=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImRlbW8ifQ.eyJpc3MiOiJkZW1vLWlzc3VlciIsInN1YiI6ImRhdmUiLCJleHAiOjQxMDI0NDQ4MDB9.IZ3r_ll5b4HTi9bDhdT4a7Ham72_nVhyvIK3jWAsPaI

# hmac-auth: each route's request signed once, now, with the bench profile's key (BenchRoutes:
# date_offset is a day, so the timestamp stays valid for the run): X-Ca-Key and X-Ca-Timestamp
# signed, the string to sign as Higress defines it (docs/plugins/hmac-auth.md)
HMAC_TS=$(($(date +%s) * 1000))
hmac_headers() { # path; prints the extra headers, ";;"-separated
	local signature
	signature=$(printf 'GET\napplication/json\n\n\n\nx-ca-key:bench-key\nx-ca-timestamp:%s\n%s' "$HMAC_TS" "$1" |
		openssl dgst -sha256 -hmac bench-secret -binary | base64)
	printf '%s' "Accept: application/json;;X-Ca-Key: bench-key;;X-Ca-Timestamp: $HMAC_TS;;"
	printf '%s' "X-Ca-Signature-Headers: x-ca-key,x-ca-timestamp;;X-Ca-Signature: $signature"
}

# name | path | extra headers ("" for none, ";;" between two) | what proves the filter runs:
# "body:TEXT" (the echo shows TEXT) or "status:CODE" (the route answers CODE without the extra
# headers)
SCENARIOS=(
	"no filter|/bench/none/x||"
	"Java filter (AddRequestHeader)|/bench/java/x||body:x-c: 0"
	"Wasm header plugin (bench-headers)|/bench/wasm/x||body:x-c: 0"
	"Java key-auth (JavaKeyAuthFilter)|/bench/java-key/x|x-api-key: bob-key|status:401"
	"Wasm key-auth (built-in, bench route)|/bench/wasm-key/x|x-api-key: bob-key|status:401"
	"key-auth (valid key)|/key/x|x-api-key: bob-key|status:401"
	"jwt-auth HS256 (valid token)|/jwt/x|Authorization: Bearer $JWT|status:401"
	"basic-auth (valid user)|/basic/x|Authorization: Basic $(printf carol:secret | base64)|status:401"
	"bot-detect (browser)|/bots/x||body:x-a: hello"
	"Java jwt-auth RS256 (JavaJwtAuthFilter)|/bench/java-jwt/x|Authorization: Bearer $RS256|status:401"
	"Wasm jwt-auth RS256 (built-in, bench route)|/bench/wasm-jwt/x|Authorization: Bearer $RS256|status:401"
	"Wasm jwt-auth RS256 (interpreter)|/bench/wasm-jwt-interpreter/x|Authorization: Bearer $RS256|status:401"
	"Java jwt-auth ES256 (JavaJwtAuthFilter)|/bench/java-jwt/x|Authorization: Bearer $ES256|status:401"
	"Wasm jwt-auth ES256 (built-in, bench route)|/bench/wasm-jwt/x|Authorization: Bearer $ES256|status:401"
	"Wasm jwt-auth ES256 (interpreter)|/bench/wasm-jwt-interpreter/x|Authorization: Bearer $ES256|status:401"
	"Java oauth token check (JavaOauthFilter)|/bench/java-oauth/x|Authorization: Bearer $OAUTH|status:401"
	"Wasm oauth token check (built-in, bench route)|/bench/wasm-oauth/x|Authorization: Bearer $OAUTH|status:401"
	"Java hmac-auth (JavaHmacAuthFilter)|/bench/java-hmac/x|$(hmac_headers /bench/java-hmac/x)|status:401"
	"Wasm hmac-auth (built-in, bench route)|/bench/wasm-hmac/x|$(hmac_headers /bench/wasm-hmac/x)|status:401"
	"no filter (again, for drift)|/bench/none/x||"
)
if [ -n "$ONLY" ]; then
	SELECTED=()
	for scenario in "${SCENARIOS[@]}"; do
		if grep -qE "$ONLY" <<<"${scenario%%|*}"; then SELECTED+=("$scenario"); fi
	done
	[ "${#SELECTED[@]}" -gt 0 ] || die "ONLY=$ONLY matches no scenario"
	SCENARIOS=("${SELECTED[@]}")
fi

# Each plugin next to the Java filter doing the same work: "plugin|Java twin" scenario names.
PAIRS=(
	"Wasm header plugin (bench-headers)|Java filter (AddRequestHeader)"
	"Wasm key-auth (built-in, bench route)|Java key-auth (JavaKeyAuthFilter)"
	"Wasm jwt-auth RS256 (built-in, bench route)|Java jwt-auth RS256 (JavaJwtAuthFilter)"
	"Wasm jwt-auth RS256 (interpreter)|Java jwt-auth RS256 (JavaJwtAuthFilter)"
	"Wasm jwt-auth ES256 (built-in, bench route)|Java jwt-auth ES256 (JavaJwtAuthFilter)"
	"Wasm jwt-auth ES256 (interpreter)|Java jwt-auth ES256 (JavaJwtAuthFilter)"
	"Wasm oauth token check (built-in, bench route)|Java oauth token check (JavaOauthFilter)"
	"Wasm hmac-auth (built-in, bench route)|Java hmac-auth (JavaHmacAuthFilter)"
)

header_args() { # $1 extra headers (";;" between two); prints curl/wrk -H arguments, one per line
	local header extra=$1
	for header in "${COMMON[@]}"; do
		printf '%s\n%s\n' -H "$header"
	done
	while [ -n "$extra" ]; do
		header=${extra%%;;*}
		printf '%s\n%s\n' -H "$header"
		[ "$header" != "$extra" ] || break
		extra=${extra#*;;}
	done
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

# Nanoseconds on a CPU of the gateway's event-loop threads (reactor-http-nio-*, where the
# filters and plugins run, the echo upstream too), from the scheduler's own accounting: time
# a thread waits for a CPU is not counted, so this holds up on a busy machine better than
# requests/s.
loops_ns() {
	local task total=0 name
	for task in /proc/"$GATEWAY_PID"/task/*; do
		name=$(cat "$task/comm" 2>/dev/null || true)
		case $name in
		reactor-http-n*) total=$((total + $(cut -d' ' -f1 "$task/schedstat" 2>/dev/null || echo 0))) ;;
		esac
	done
	echo "$total"
}

# Runs wrk on one scenario; prints its RESULT line plus cpu_gateway= and cpu_other= (cores
# in use on average: the gateway, and everything but the gateway and wrk) and loops_us= (event
# loop CPU per request, µs).
measure() { # connections duration path extra
	local connections=$1 duration=$2 path=$3 extra=$4 args busy0 gw0 busy1 gw1 t0 t1 wrk_cpu loops0 loops1
	mapfile -t args < <(header_args "$extra")
	busy0=$(cpu_busy)
	gw0=$(cpu_of "$GATEWAY_PID")
	loops0=$(loops_ns)
	t0=$(date +%s.%N)
	TIMEFORMAT='%U %S'
	{ time "${WRK_CPU[@]}" wrk -t"$THREADS" -c"$connections" -d"$duration" -s "$HERE/report.lua" "${args[@]}" "$BASE$path" \
		>"$WORK/wrk.out"; } 2>"$WORK/wrk.time"
	t1=$(date +%s.%N)
	busy1=$(cpu_busy)
	gw1=$(cpu_of "$GATEWAY_PID")
	loops1=$(loops_ns)
	wrk_cpu=$(awk '{ print $1 + $2 }' "$WORK/wrk.time")
	grep -q '^RESULT ' "$WORK/wrk.out" || die "wrk printed no result: $(cat "$WORK/wrk.out")"
	awk -v hz="$(getconf CLK_TCK)" -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
		-v busy=$((busy1 - busy0)) -v gw=$((gw1 - gw0)) -v wrk="$wrk_cpu" -v loops=$((loops1 - loops0)) '
		/^RESULT / {
			split($2, requests, "=")
			printf "%s cpu_gateway=%.2f cpu_other=%.2f loops_us=%.1f\n", $0, gw / hz / t, (busy - gw) / hz / t - wrk / t,
				(requests[2] > 0) ? loops / 1000 / requests[2] : 0
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
echo "- wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $THREADS thread(s), connections $CONNECTIONS, ${WARMUP} warm-up per route, then ${DURATION} per scenario, $ROUNDS interleaved round(s)"
[ "$PIN" != 1 ] || echo "- pinned: the gateway on CPU 0, wrk on CPU 1"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- host crypto foreign functions: $(case "$JAVA_OPTS" in *host-crypto=false*) echo off ;; *) echo on ;; esac)"

for scenario in "${SCENARIOS[@]}"; do
	IFS='|' read -r name path extra proof <<<"$scenario"
	verify "$name" "$path" "$extra" "$proof"
done
for scenario in "${SCENARIOS[@]}"; do
	IFS='|' read -r name path extra proof <<<"$scenario"
	measure 4 "$WARMUP" "$path" "$extra" >/dev/null
done

median() { # numbers, one per argument
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

failed=0
noisy=0
for connections in $CONNECTIONS; do
	declare -A RPS=() P50=() P90=() P99=() CPU=() US=() LOOPS=() OTHER=() ERRORS=()
	for round in $(seq "$ROUNDS"); do
		for scenario in "${SCENARIOS[@]}"; do
			IFS='|' read -r name path extra proof <<<"$scenario"
			result=$(measure "$connections" "$DURATION" "$path" "$extra")
			errors=$(($(field "$result" non2xx3xx) + $(field "$result" connect_errors) + $(field "$result" read_errors)
				+ $(field "$result" write_errors) + $(field "$result" timeouts)))
			[ "$errors" = 0 ] || failed=1
			rps=$(field "$result" rps)
			gw=$(field "$result" cpu_gateway)
			RPS[$name]+="$rps "
			P50[$name]+="$(field "$result" p50_us) "
			P90[$name]+="$(field "$result" p90_us) "
			P99[$name]+="$(field "$result" p99_us) "
			CPU[$name]+="$gw "
			# gateway CPU per request (echo upstream included), in microseconds
			US[$name]+="$(awk -v gw="$gw" -v rps="$rps" 'BEGIN { printf "%.1f", (rps > 0) ? gw * 1e6 / rps : 0 }') "
			OTHER[$name]+="$(field "$result" cpu_other) "
			LOOPS[$name]+="$(field "$result" loops_us) "
			ERRORS[$name]=$((${ERRORS[$name]:-0} + errors))
		done
	done
	echo
	echo "### $connections connection(s), $THREADS thread(s), $DURATION each, median of $ROUNDS interleaved round(s)"
	echo
	echo "| scenario | route | requests/s | p50 µs | p90 µs | p99 µs | p50 vs base | errors | CPU gateway | gateway CPU µs/request | event-loop CPU µs/request | CPU other |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	base=
	for scenario in "${SCENARIOS[@]}"; do
		IFS='|' read -r name path extra proof <<<"$scenario"
		# shellcheck disable=SC2086 # word lists
		rps=$(median ${RPS[$name]})
		# shellcheck disable=SC2086
		p50=$(median ${P50[$name]})
		[ -n "$base" ] || base=$p50
		# shellcheck disable=SC2086
		other=$(median ${OTHER[$name]})
		if awk -v other="$other" 'BEGIN { exit !(other > 0.3) }'; then
			other="$other !"
			noisy=1
		fi
		# shellcheck disable=SC2086
		awk -v name="$name" -v path="$path" -v rps="$rps" -v p50="$p50" -v p90="$(median ${P90[$name]})" \
			-v p99="$(median ${P99[$name]})" -v base="$base" -v errors="${ERRORS[$name]}" \
			-v gw="$(median ${CPU[$name]})" -v us="$(median ${US[$name]})" -v loops="$(median ${LOOPS[$name]})" \
			-v other="$other" '
			BEGIN {
				diff = (p50 == base) ? "(base)" : sprintf("%+d µs (%+.0f%%)", p50 - base, 100 * (p50 - base) / base)
				printf "| %s | `%s` | %.0f | %d | %d | %d | %s | %d | %.2f | %.1f | %.1f | %s |\n",
					name, path, rps, p50, p90, p99, diff, errors, gw, us, loops, other
			}'
	done
	ratios=0
	for pair in "${PAIRS[@]}"; do
		IFS='|' read -r plugin twin <<<"$pair"
		[ -n "${RPS[$plugin]:-}" ] && [ -n "${RPS[$twin]:-}" ] || continue
		if [ "$ratios" = 0 ]; then
			echo
			echo "| plugin / its Java twin | requests/s ratio, each round | median | twin / plugin event-loop CPU per request, each round | median |"
			echo "|---|---|---:|---|---:|"
			ratios=1
		fi
		# shellcheck disable=SC2206 # word lists
		a=(${RPS[$plugin]})
		# shellcheck disable=SC2206
		b=(${RPS[$twin]})
		# shellcheck disable=SC2206
		c=(${LOOPS[$plugin]})
		# shellcheck disable=SC2206
		d=(${LOOPS[$twin]})
		each=()
		cpu=()
		for i in "${!a[@]}"; do
			each+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", x / y }')")
			# the plugin's speed against the twin's by CPU: what its requests/s ratio would be
			# if the event loops were the bottleneck
			cpu+=("$(awk -v x="${c[$i]}" -v y="${d[$i]}" 'BEGIN { printf "%.3f", (x > 0) ? y / x : 0 }')")
		done
		echo "| $plugin / $twin | ${each[*]} | $(median "${each[@]}") | ${cpu[*]} | $(median "${cpu[@]}") |"
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
