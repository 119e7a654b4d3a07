#!/usr/bin/env node
// Checks a built plugin the way a proxy-wasm host will see it, without wabt:
//   node tools/check-wasm.mjs <file.wasm>...
// Each file must be a valid module (WebAssembly.Module validates it), keep a
// "name" section, carry no DWARF (.debug_*), export proxy_abi_version_0_2_1,
// malloc, _start and memory, and import only env.proxy_* functions (no env.abort)
// and, for the SDK's randomBytes, the function wasi_snapshot_preview1.random_get.
// build-plugin.mjs runs the same checks after every build.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/** What is wrong with the module in `file` (an empty list when nothing is). */
export function checkModule(file) {
  const bytes = readFileSync(file);
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    return [`not a valid WebAssembly module: ${e.message}`];
  }
  const problems = [];
  if (WebAssembly.Module.customSections(module, "name").length === 0) problems.push("no name section");
  for (const section of readCustomSectionNames(bytes)) {
    if (section.startsWith(".debug_")) problems.push(`DWARF section ${section}`);
  }
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const required of ["proxy_abi_version_0_2_1", "malloc", "_start", "memory"]) {
    if (!exports.has(required)) problems.push(`no export ${required}`);
  }
  for (const imported of WebAssembly.Module.imports(module)) {
    const proxy = imported.module === "env" && imported.name.startsWith("proxy_");
    const random = imported.module === "wasi_snapshot_preview1" && imported.name === "random_get";
    if (!(proxy || random) || imported.kind !== "function") {
      problems.push(`imports ${imported.kind} ${imported.module}.${imported.name}`);
    }
  }
  return problems;
}

function readCustomSectionNames(bytes) {
  const names = [];
  let at = 8;
  const leb = () => {
    let result = 0, shift = 0, b;
    do {
      b = bytes[at++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result >>> 0;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 0) {
      const length = leb();
      names.push(Buffer.from(bytes.subarray(at, at + length)).toString("utf8"));
    }
    at = end;
  }
  return names;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = false;
  for (const file of process.argv.slice(2)) {
    const problems = checkModule(file);
    if (problems.length > 0) {
      console.error(`${basename(file)}: ${problems.join("; ")}`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
