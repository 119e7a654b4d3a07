#!/usr/bin/env bash
# benchmarks/fuzz/run.sh - fuzzes every fuzz target for longer than the build does.
#
#   benchmarks/fuzz/run.sh                 each target for 10 minutes
#   DURATION=1h benchmarks/fuzz/run.sh     each target for an hour
#   TARGETS=fuzz-host-functions benchmarks/fuzz/run.sh
#
# The targets are the `fuzz-*` surefire executions of wasm-engine and autoconfigure
# (Jazzer's JUnit integration, one JVM per target). A finding fails the run and is
# saved under src/test/resources/<package>/<Test>Inputs/<method>/crash-* in the module:
# fix it, rename the file after what it found, and commit it: it is then a regression
# test of the normal build. The corpus grows in <module>/.cifuzz-corpus (git-ignored).
# Never run by the build or CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-10m}"
TARGETS="${TARGETS:-fuzz-module-loader fuzz-host-functions fuzz-registry-answers}"

./mvnw -B -q -Pquick install -pl fixtures,wasm-engine -am
for target in $TARGETS; do
	case "$target" in
		fuzz-registry-answers) module=autoconfigure ;;
		*) module=wasm-engine ;;
	esac
	echo "== $target ($module) for $DURATION"
	./mvnw -B surefire:test@"$target" -pl "$module" -Dfuzz.duration="$DURATION" \
		-DargLine="-Xmx2g" | grep -E '^(#[0-9]+ +DONE|Done|\[ERROR\]|\[INFO\] Tests run)' || true
	if [ "${PIPESTATUS[0]}" -ne 0 ]; then
		echo "$target: a finding, see the crash file above" >&2
		exit 1
	fi
done
