import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { ALGS, data, fromHex, hex, rng, utf8, w } from "./wasm.mjs";

const vectors = data("vectors.json");
const ALG = Object.fromEntries(ALGS);

test("RFC 4231 (SHA-256/384/512) and RFC 2202 (SHA-1) test cases", () => {
  assert.equal(vectors.hmac.length, 28);
  for (const v of vectors.hmac) {
    let mac = w.hmac(ALG[v.alg], fromHex(v.key), fromHex(v.data));
    if (v.truncate) mac = mac.subarray(0, v.truncate);
    assert.equal(hex(mac), v.mac, v.name);
  }
});

test("keys of every length around the block size match node:crypto", () => {
  const r = rng(3);
  for (let keyLen = 0; keyLen <= 260; keyLen += keyLen < 140 ? 1 : 7) {
    const key = r.bytes(keyLen);
    const msg = r.bytes(r.int(400));
    for (const [name, alg] of ALGS) {
      const want = createHmac(name, key).update(msg).digest("hex");
      assert.equal(hex(w.hmac(alg, key, msg)), want, `${name} key ${keyLen}`);
    }
  }
});

test("message in two parts, Hmac reused after a first digest", () => {
  const r = rng(4);
  for (let i = 0; i < 30; i++) {
    const key = r.bytes(r.int(200));
    const msg = r.bytes(r.int(500));
    const cut = r.int(msg.length + 1);
    for (const [name, alg] of ALGS) {
      const want = createHmac(name, key).update(msg).digest("hex");
      assert.equal(hex(w.hmacStreamed(alg, key, msg, cut)), want);
    }
  }
});

test("hmacString hashes UTF-8", () => {
  const key = "sëcret-ключ";
  const msg = "GET /päth?q=✓\nx-date: now\n";
  for (const [name, alg] of ALGS) {
    const want = createHmac(name, Buffer.from(key, "utf8")).update(Buffer.from(msg, "utf8")).digest("hex");
    assert.equal(hex(w.hmacString(alg, key, msg)), want);
  }
  assert.equal(hex(w.hmac(1, utf8("k"), new Uint8Array(0))), createHmac("sha256", "k").digest("hex"));
});
