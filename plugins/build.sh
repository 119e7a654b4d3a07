#!/usr/bin/env bash
# plugins/build.sh - builds the built-in plugins from src/plugins/<name>/index.ts
# (AssemblyScript, on the SDK in sdk/) into
# src/main/resources/wasm-gateway/plugins/<name>.wasm, writes the index
# src/main/resources/META-INF/wasm-gateway/builtin-plugins.properties, builds
# the test-only plugins src/test-plugins/<name>/index.ts into
# src/test/resources/test-plugins/<name>.wasm (not shipped), packs the SDK (npm pack
# of sdk/) into dist/wasm-gateway-sdk-<version>.tgz, and builds the template plugin
# (template/) against that package as an author would, into
# src/test/resources/test-plugins/my-plugin.wasm (its tests, template/src/test, run
# on it in the wasm-gateway-test module).
#
#   plugins/build.sh           build and overwrite the committed .wasm files, the
#                              index, the SDK package and toolchain.txt
#   plugins/build.sh --check   build into a temporary directory and fail (exit 1,
#                              naming the files) if any committed file differs
#
# Needs Node.js >= 20 with npm; the npm package assemblyscript is installed by
# `npm ci` from package-lock.json when the pinned version is not installed.
#
# Builds are deterministic: relative paths, no timestamps, no DWARF; every module
# keeps its "name" section (function names in Wasm stack traces).
set -euo pipefail
export LC_ALL=C
umask 022

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RESOURCES="$HERE/src/main/resources"
COMMITTED="$RESOURCES/wasm-gateway/plugins"
INDEX="$RESOURCES/META-INF/wasm-gateway/builtin-plugins.properties"
TEST_COMMITTED="$HERE/src/test/resources/test-plugins"
TOOLCHAIN_FILE="$HERE/toolchain.txt"
DIST="$HERE/dist"
CLASS_PACKAGE="io.github.wasmgateway.plugins.compiled"

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
die() {
  echo "build.sh: error: $*" >&2
  exit 1
}

MODE=build
case "${1:-}" in
  "") ;;
  --check) MODE=check ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

command -v node >/dev/null 2>&1 || die "'node' not found: install Node.js >= 20 with npm"
command -v npm >/dev/null 2>&1 || die "'npm' not found: install npm (it comes with Node.js)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) found; assemblyscript needs Node.js >= 20"

as_pinned="$(node -p "require('$HERE/package.json').devDependencies.assemblyscript")"
as_installed="$(node -p "try { require('$HERE/node_modules/assemblyscript/package.json').version } catch (e) { '' }")"
if [ "$as_installed" != "$as_pinned" ]; then
  echo "build.sh: installing assemblyscript $as_pinned (npm ci in plugins/)"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) ||
    die "npm ci failed in $HERE: the npm package assemblyscript@$as_pinned is needed"
fi
ASC="$HERE/node_modules/.bin/asc"
[ -x "$ASC" ] || die "$ASC not found: run 'npm ci' in plugins/"

toolchain_report() {
  echo "assemblyscript: $("$ASC" --version | sed 's/^Version //')"
  echo "binaryen: $(node -p "require('$HERE/node_modules/binaryen/package.json').version")"
}

if [ -f "$TOOLCHAIN_FILE" ] && ! toolchain_report | diff -q - "$TOOLCHAIN_FILE" >/dev/null; then
  echo "build.sh: warning: the tools differ from those that built the committed plugins ($TOOLCHAIN_FILE):" >&2
  toolchain_report | diff "$TOOLCHAIN_FILE" - | sed 's/^/  /' >&2 || true
fi

# plugin names: every src/plugins/<name>/index.ts
PLUGINS=()
for entry in "$HERE"/src/plugins/*/index.ts; do
  [ -e "$entry" ] || continue
  name="$(basename "$(dirname "$entry")")"
  [[ "$name" =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]] || die "plugin directory '$name' is not lower-case words joined by '-'"
  PLUGINS+=("$name")
done
[ "${#PLUGINS[@]}" -gt 0 ] || die "no plugin found under src/plugins/*/index.ts"
TEST_PLUGINS=()
for entry in "$HERE"/src/test-plugins/*/index.ts; do
  [ -e "$entry" ] || continue
  TEST_PLUGINS+=("$(basename "$(dirname "$entry")")")
done

class_name() { # key-auth -> io.github.wasmgateway.plugins.compiled.KeyAuth
  local pascal=""
  IFS=- read -ra words <<<"$1"
  for word in "${words[@]}"; do pascal+="${word^}"; done
  echo "$CLASS_PACKAGE.$pascal"
}

# every plugin must be precompiled by pom.xml (one chicory-compiler execution each)
for name in "${PLUGINS[@]}"; do
  grep -q "<wasmFile>\${project.basedir}/src/main/resources/wasm-gateway/plugins/$name.wasm</wasmFile>" "$HERE/pom.xml" ||
    die "pom.xml has no chicory-compiler execution for $name.wasm: add one (see plugins/README.md, 'Adding a plugin')"
  grep -q "<name>$(class_name "$name")</name>" "$HERE/pom.xml" ||
    die "pom.xml's execution for $name.wasm must generate class $(class_name "$name")"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wasm-plugins.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"
TEST_OUT="$WORK/test-out"
mkdir -p "$OUT" "$TEST_OUT"

# generated source: crypto/ec-field.ts comes from crypto/tools/gen-ec-field.py
command -v python3 >/dev/null 2>&1 || die "'python3' not found: install it (Debian: apt-get install python3)"
python3 "$HERE/crypto/tools/gen-ec-field.py" "$WORK/ec-field.ts" || die "crypto/tools/gen-ec-field.py failed"
if [ "$MODE" = build ]; then
  cp "$WORK/ec-field.ts" "$HERE/crypto/ec-field.ts"
elif ! cmp -s "$WORK/ec-field.ts" "$HERE/crypto/ec-field.ts"; then
  die "crypto/ec-field.ts differs from what crypto/tools/gen-ec-field.py writes: run plugins/build.sh"
fi

# the SDK's own build script (sdk/tools/build-plugin.mjs, the one authors run as
# wasm-gateway-build): the plugin options every build uses, then the module checks
cd "$HERE"
compile() { # source, output
  node sdk/tools/build-plugin.mjs "$1" "$2" || die "building $1 failed (see above)"
}
for name in "${PLUGINS[@]}"; do compile "src/plugins/$name/index.ts" "$OUT/$name.wasm"; done
for name in "${TEST_PLUGINS[@]}"; do compile "src/test-plugins/$name/index.ts" "$TEST_OUT/$name.wasm"; done

# the SDK as a package, versioned as the Maven project (the plugins jar attaches it)
project_version="$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$HERE/pom.xml")"
sdk_version="$(node -p "require('$HERE/sdk/package.json').version")"
[ "$sdk_version" = "$project_version" ] ||
  die "sdk/package.json has version $sdk_version, the Maven project $project_version: make them equal"
SDK_TGZ="wasm-gateway-sdk-$sdk_version.tgz"
mkdir -p "$WORK/dist"
(cd "$WORK/dist" && npm pack "$HERE/sdk" --silent >/dev/null) || die "npm pack of sdk/ failed"
[ -f "$WORK/dist/$SDK_TGZ" ] || die "npm pack wrote no $SDK_TGZ"

# the template, built against the packed SDK as an author's copy builds it
TEMPLATE_WORK="$WORK/template"
mkdir -p "$TEMPLATE_WORK/node_modules/@wasm-gateway/sdk"
cp -R "$HERE/template/assembly" "$TEMPLATE_WORK/"
tar -xzf "$WORK/dist/$SDK_TGZ" -C "$TEMPLATE_WORK/node_modules/@wasm-gateway/sdk" --strip-components=1
for dependency in assemblyscript binaryen long; do
  [ -e "$HERE/node_modules/$dependency" ] && ln -s "$HERE/node_modules/$dependency" "$TEMPLATE_WORK/node_modules/$dependency"
done
(cd "$TEMPLATE_WORK" && node node_modules/@wasm-gateway/sdk/tools/build-plugin.mjs assembly/index.ts my-plugin.wasm) ||
  die "the template plugin (template/assembly/index.ts) does not build against the SDK package"
# committed as a test plugin: the template's own tests run on it in the wasm-gateway-test module
cp "$TEMPLATE_WORK/my-plugin.wasm" "$TEST_OUT/my-plugin.wasm"
TEST_PLUGINS+=("my-plugin")

{
  echo "# Built-in plugins: location builtin:<name> -> binary resource and precompiled class."
  echo "# Written by plugins/build.sh; do not edit."
  for name in "${PLUGINS[@]}"; do
    echo "$name.wasm=wasm-gateway/plugins/$name.wasm"
    echo "$name.class=$(class_name "$name")"
  done
} >"$OUT/builtin-plugins.properties"

if [ "$MODE" = build ]; then
  mkdir -p "$COMMITTED" "$(dirname "$INDEX")"
  for f in "$COMMITTED"/*.wasm; do
    [ -e "$f" ] || continue
    n="$(basename "$f" .wasm)"
    [ -f "$OUT/$n.wasm" ] || { echo "build.sh: removing stale $n.wasm"; rm -f "$f"; }
  done
  cp "$OUT"/*.wasm "$COMMITTED"/
  cp "$OUT/builtin-plugins.properties" "$INDEX"
  mkdir -p "$TEST_COMMITTED"
  rm -f "$TEST_COMMITTED"/*.wasm
  for n in "${TEST_PLUGINS[@]}"; do cp "$TEST_OUT/$n.wasm" "$TEST_COMMITTED/"; done
  mkdir -p "$DIST"
  rm -f "$DIST"/wasm-gateway-sdk-*.tgz
  cp "$WORK/dist/$SDK_TGZ" "$DIST/"
  toolchain_report >"$TOOLCHAIN_FILE"
  echo "build.sh: built ${#PLUGINS[@]} plugins into ${COMMITTED#"$HERE"/}, the SDK package dist/$SDK_TGZ"
  for n in "${PLUGINS[@]}"; do printf '  %-28s %8d bytes\n' "$n.wasm" "$(wc -c <"$COMMITTED/$n.wasm")"; done
  exit 0
fi

differ=()
for name in "${PLUGINS[@]}"; do
  if [ ! -f "$COMMITTED/$name.wasm" ]; then
    differ+=("src/main/resources/wasm-gateway/plugins/$name.wasm (not committed)")
  elif ! cmp -s "$OUT/$name.wasm" "$COMMITTED/$name.wasm"; then
    differ+=("src/main/resources/wasm-gateway/plugins/$name.wasm (differs from a fresh build)")
  fi
done
for f in "$COMMITTED"/*.wasm; do
  [ -e "$f" ] || continue
  [ -f "$OUT/$(basename "$f")" ] || differ+=("src/main/resources/wasm-gateway/plugins/$(basename "$f") (committed, but built from no source)")
done
for name in "${TEST_PLUGINS[@]}"; do
  cmp -s "$TEST_OUT/$name.wasm" "$TEST_COMMITTED/$name.wasm" 2>/dev/null ||
    differ+=("src/test/resources/test-plugins/$name.wasm (differs from a fresh build, or not committed)")
done
for f in "$TEST_COMMITTED"/*.wasm; do
  [ -e "$f" ] || continue
  [ -f "$TEST_OUT/$(basename "$f")" ] || differ+=("src/test/resources/test-plugins/$(basename "$f") (committed, but built from no source)")
done
# the package's files, not the gzip bytes (npm's gzip may differ between npm versions)
sdk_files() { # tgz
  local dir
  dir="$(mktemp -d "$WORK/unpacked.XXXXXX")"
  tar -xzf "$1" -C "$dir" && echo "$dir"
}
if [ ! -f "$DIST/$SDK_TGZ" ]; then
  differ+=("dist/$SDK_TGZ (not committed)")
elif ! diff -r "$(sdk_files "$WORK/dist/$SDK_TGZ")" "$(sdk_files "$DIST/$SDK_TGZ")" >/dev/null; then
  differ+=("dist/$SDK_TGZ (its files differ from sdk/)")
fi
for f in "$DIST"/*.tgz; do
  [ -e "$f" ] || continue
  [ "$(basename "$f")" = "$SDK_TGZ" ] || differ+=("dist/$(basename "$f") (a stale SDK package)")
done
if ! cmp -s "$OUT/builtin-plugins.properties" "$INDEX" 2>/dev/null; then
  differ+=("src/main/resources/META-INF/wasm-gateway/builtin-plugins.properties (differs from the plugin list)")
fi
if [ "${#differ[@]}" -gt 0 ]; then
  echo "build.sh --check: FAILED: committed plugins are not what the sources build:" >&2
  printf '  %s\n' "${differ[@]}" >&2
  echo "Run plugins/build.sh (npm run build) and commit src/main/resources (and toolchain.txt)." >&2
  exit 1
fi
echo "build.sh --check: all ${#PLUGINS[@]} plugins (and ${#TEST_PLUGINS[@]} test plugins) match their sources"
