// Checks a built plugin the way a proxy-wasm host will see it, without wabt:
//   node tools/check-wasm.mjs <file.wasm>...
// Each file must be a valid module (WebAssembly.Module validates it), keep a
// "name" section, carry no DWARF (.debug_*), export proxy_abi_version_0_2_1,
// malloc and _start, and import only env.proxy_* functions (no env.abort) and,
// for the SDK's randomBytes, the function wasi_snapshot_preview1.random_get.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

let failed = false;
for (const file of process.argv.slice(2)) {
  const name = basename(file);
  const problems = [];
  let module;
  try {
    module = new WebAssembly.Module(readFileSync(file));
  } catch (e) {
    console.error(`${name}: not a valid WebAssembly module: ${e.message}`);
    failed = true;
    continue;
  }
  if (WebAssembly.Module.customSections(module, "name").length === 0) problems.push("no name section");
  const custom = readCustomSectionNames(readFileSync(file));
  for (const section of custom) {
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
  if (problems.length > 0) {
    console.error(`${name}: ${problems.join("; ")}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);

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
