#!/usr/bin/env node
// Builds a plugin written on this SDK into a .wasm file the way every plugin must be
// built, then checks the module (check-wasm.mjs):
//
//   wasm-gateway-build <entry.ts> <out.wasm>      (npx wasm-gateway-build, or node tools/build-plugin.mjs)
//
// The options: the minimal runtime (the SDK collects garbage as callbacks return), no
// start section (_start exported instead: the host runs it after instantiation),
// AssemblyScript's abort routed to the SDK (logged with proxy_log, no env.abort import),
// optimized, with the "name" section (function names in Wasm stack traces) and no DWARF
// or source map. Deterministic: the same sources and assemblyscript give the same bytes.
import asc from "assemblyscript/asc";
import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { checkModule } from "./check-wasm.mjs";

const [entry, outFile, ...extra] = process.argv.slice(2);
if (!entry || !outFile || extra.length > 0) {
  console.error("usage: wasm-gateway-build <entry.ts> <out.wasm>");
  process.exit(2);
}

// The SDK's abort function, named as the compiler knows it: a package file under
// node_modules is ~lib/<package>/..., a checkout's file its path from here.
const sdk = dirname(dirname(fileURLToPath(import.meta.url)));
const parts = sdk.split(sep);
const inPackage = parts.lastIndexOf("node_modules");
const sdkName = inPackage >= 0 ? "~lib/" + parts.slice(inPackage + 1).join("/") : relative(process.cwd(), sdk).split(sep).join("/");

const { error, stderr } = await asc.main([
  entry,
  "--outFile", outFile,
  "--runtime", "minimal",
  "--exportStart", "_start",
  "--use", `abort=${sdkName}/runtime/sdkAbort`,
  "-O",
  "--debug",
]);
if (error) {
  console.error(stderr.toString());
  console.error(`wasm-gateway-build: asc failed for ${entry}: ${error.message}`);
  process.exit(1);
}
const problems = checkModule(outFile);
if (problems.length > 0) {
  console.error(problems.map((p) => `${outFile}: ${p}`).join("\n"));
  process.exit(1);
}
