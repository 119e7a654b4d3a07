// Builds the crypto test harness with the pinned assemblyscript (plugins/node_modules)
// and runs the Node tests: `node crypto/test/run.mjs` from plugins/ (npm run test:crypto).
// Any argument is passed to `node --test` (for example --test-name-pattern=rsa).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const here = dirname(fileURLToPath(import.meta.url));
const build = join(here, "build");
mkdirSync(build, { recursive: true });
// the generated bindings are ES modules
writeFileSync(join(build, "package.json"), '{ "type": "module" }\n');

const { error, stderr } = await asc.main([
  join(here, "harness.ts"),
  "--outFile", join(build, "harness.wasm"),
  "--bindings", "esm",
  "--runtime", "minimal",
  "--exportRuntime",
  "-O",
]);
if (error) {
  console.error(stderr.toString());
  console.error("asc failed: " + error.message);
  process.exit(1);
}

const tests = readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => join(here, f));
if (tests.length === 0) {
  console.error("no *.test.mjs files in " + here);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", ...process.argv.slice(2), ...tests], { stdio: "inherit" });
process.exit(result.status ?? 1);
