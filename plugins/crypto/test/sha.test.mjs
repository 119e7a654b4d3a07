import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { ALGS, data, fromHex, hex, rng, utf8, w } from "./wasm.mjs";

const vectors = data("vectors.json");

test("FIPS 180-4 example messages, every algorithm", () => {
  for (const v of vectors.sha) {
    for (const [name, alg] of ALGS) {
      const got = v.repeat === 1
        ? w.hash(alg, fromHex(v.hex))
        : w.hashStreamed(alg, fromHex(v.hex), v.repeat, 4093);
      assert.equal(hex(got), v[name], `${name} of ${v.name}`);
    }
  }
});

test("one million 'a' in uneven pieces (1, 63, 64, 127, 1000 bytes)", () => {
  const million = vectors.sha.find((v) => v.repeat === 1000000);
  for (const chunk of [1, 63, 64, 127, 1000]) {
    for (const [name, alg] of ALGS) {
      if (chunk === 1 && alg !== 1) continue; // one byte per call once is enough
      assert.equal(hex(w.hashStreamed(alg, utf8("a"), 1000000, chunk)), million[name], `${name} by ${chunk}`);
    }
  }
});

test("every length 0..300 around the block and padding edges matches node:crypto", () => {
  const r = rng(1);
  for (let len = 0; len <= 300; len++) {
    const msg = r.bytes(len);
    for (const [name, alg] of ALGS) {
      const want = createHash(name).update(msg).digest("hex");
      assert.equal(hex(w.hash(alg, msg)), want, `${name} of ${len} bytes`);
    }
  }
});

test("streamed in random pieces matches one shot", () => {
  const r = rng(2);
  for (let i = 0; i < 40; i++) {
    const msg = r.bytes(r.int(2000));
    const chunk = 1 + r.int(300);
    for (const [name, alg] of ALGS) {
      const want = createHash(name).update(msg).digest("hex");
      assert.equal(hex(w.hashStreamed(alg, msg, 1, chunk)), want, `${name} of ${msg.length} by ${chunk}`);
    }
  }
});

test("digest() resets the hasher for reuse", () => {
  for (const [, alg] of ALGS) {
    assert.equal(w.hashReused(alg, utf8("reuse me ".repeat(30))), true);
  }
});
