import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign } from "node:crypto";
import { test } from "node:test";
import { b64u, data, fromHex, hex, memoryBytes, rng, utf8, w } from "./wasm.mjs";

const SHA1 = 0;
const ALGS = [["sha256", 1], ["sha384", 2], ["sha512", 3]];
const vectors = data("rsa.json");
const message = fromHex(vectors.message);
const members = (j) => [j.n, j.e, j.d, j.p ?? "", j.q ?? "", j.dp ?? "", j.dq ?? "", j.qi ?? ""];

test("OpenSSL signatures verify (1024, 2048, 2050, 3072, 4096 bits; SHA-256/384/512)", () => {
  assert.equal(vectors.keys.length, 5);
  for (const key of vectors.keys) {
    for (const [name, alg] of ALGS) {
      const sig = b64u(key.signatures[name]);
      assert.equal(w.rsaVerify(key.jwk.n, key.jwk.e, alg, message, sig), 1, `${key.bits} ${name}`);
    }
  }
});

test("signing reproduces OpenSSL's signatures byte for byte, with and without CRT", () => {
  for (const key of vectors.keys) {
    for (const [name, alg] of ALGS) {
      const want = key.signatures[name];
      const crt = w.rsaSign(...members(key.jwk), alg, message);
      assert.equal(Buffer.from(crt).toString("base64url"), want, `${key.bits} ${name} CRT`);
      if (key.bits <= 2050) {
        const plain = w.rsaSign(key.jwk.n, key.jwk.e, key.jwk.d, "", "", "", "", "", alg, message);
        assert.equal(Buffer.from(plain).toString("base64url"), want, `${key.bits} ${name} non-CRT`);
      }
    }
  }
});

test("wrong message, wrong hash, wrong key, tampered or resized signature: refused", () => {
  const key = vectors.keys[1];
  const other = vectors.keys[0];
  const sig = b64u(key.signatures.sha256);
  const { n, e } = key.jwk;
  assert.equal(w.rsaVerify(n, e, 1, utf8("another message"), sig), 0);
  assert.equal(w.rsaVerify(n, e, 2, message, sig), 0);
  assert.equal(w.rsaVerify(n, e, 3, message, sig), 0);
  assert.equal(w.rsaVerify(n, e, SHA1, message, sig), 0);
  assert.equal(w.rsaVerify(other.jwk.n, other.jwk.e, 1, message, sig), 0);
  for (let bit = 0; bit < sig.length * 8; bit += 97) {
    const t = sig.slice();
    t[bit >> 3] ^= 1 << (bit & 7);
    assert.equal(w.rsaVerify(n, e, 1, message, t), 0, `bit ${bit}`);
  }
  assert.equal(w.rsaVerify(n, e, 1, message, sig.subarray(1)), 0);
  assert.equal(w.rsaVerify(n, e, 1, message, new Uint8Array([0, ...sig])), 0);
  assert.equal(w.rsaVerify(n, e, 1, message, new Uint8Array(0)), 0);
  assert.equal(w.rsaVerify(n, e, 1, message, new Uint8Array(sig.length)), 0); // s = 0
  assert.equal(w.rsaVerify(n, e, 1, message, new Uint8Array(sig.length).fill(0xff)), 0); // s >= n
  assert.equal(w.rsaVerify(n, e, 1, message, b64u(n)), 0); // s = n
  assert.equal(w.rsaVerify(n, e, 1, message, new Uint8Array(100000)), 0);
});

test("EMSA-PKCS1-v1_5 encoding layout (RFC 8017 §9.2)", () => {
  const h = new Uint8Array(32).fill(0xab);
  const em = w.emsaEncode(1, h, 256);
  const s = hex(em);
  assert.equal(s.slice(0, 4), "0001");
  assert.equal(s.slice(4, 4 + 2 * 202), "ff".repeat(202));
  assert.equal(s.slice(4 + 404), "00" + "3031300d060960864801650304020105000420" + "ab".repeat(32));
  assert.equal(w.emsaEncode(1, new Uint8Array(31), 256), null); // digest of the wrong length
  assert.equal(w.emsaEncode(1, h, 61), null); // emLen < tLen + 11
  assert.notEqual(w.emsaEncode(1, h, 62), null);
  assert.equal(w.emsaEncode(SHA1, new Uint8Array(20), 256), null);
});

test("public keys refused: short, long, even modulus, bad exponent, not base64url", () => {
  const { n, e } = vectors.keys[1].jwk;
  const nBig = BigInt("0x" + Buffer.from(b64u(n)).toString("hex"));
  const enc = (v) => {
    let h = v.toString(16);
    if (h.length % 2) h = "0" + h;
    return Buffer.from(h, "hex").toString("base64url");
  };
  const refused = (nn, ee, why) => {
    assert.equal(w.rsaVerify(nn, ee, 1, message, new Uint8Array(256)), -1, why);
    assert.notEqual(w.rsaLastError(), "", why);
  };
  refused(enc(nBig - 1n), e, "even modulus");
  refused(enc((1n << 500n) + 1n), e, "500-bit modulus");
  refused(enc((1n << 8200n) + 1n), e, "8201-bit modulus");
  refused(n, "AQ", "e = 1");
  refused(n, "Ag", "e = 2");
  refused(n, "AAAA", "e = 0");
  refused(n, enc(1n << 40n | 1n), "e above 2^31");
  refused(n + "!", e, "n not base64url");
  refused(n, "AQAB=", "e badly padded");
  refused("", e, "empty n");
  refused(n, "", "empty e");
  refused("A".repeat(100000), e, "oversized n");
  assert.equal(w.rsaVerify(n, "AQAB", 1, message, b64u(vectors.keys[1].signatures.sha256)), 1);
  assert.equal(w.rsaLastError(), "");
  // padded members are tolerated when the padding is exact
  const padded = Buffer.from(b64u(n)).toString("base64url") + (b64u(n).length % 3 ? "=".repeat(3 - (b64u(n).length % 3)) : "");
  assert.equal(w.rsaVerify(padded, e, 1, message, b64u(vectors.keys[1].signatures.sha256)), 1);
});

test("private keys refused when inconsistent", () => {
  const j = vectors.keys[1].jwk;
  const other = vectors.keys[3].jwk;
  assert.equal(w.rsaPrivateKeyOk(...members(j)), true);
  const bad = (m, why) => {
    assert.equal(w.rsaPrivateKeyOk(...m), false, why);
    assert.notEqual(w.rsaLastError(), "", why);
  };
  bad([j.n, j.e, other.d, "", "", "", "", ""], "d of another key");
  bad([j.n, j.e, j.d, j.p, "", "", "", ""], "only p");
  bad([j.n, j.e, j.d, j.q, j.p, j.dp, j.dq, j.qi], "p and q swapped (qi wrong)");
  bad([j.n, j.e, j.d, j.p, j.q, j.dq, j.dp, j.qi], "dp and dq swapped");
  bad([j.n, j.e, j.d, other.p, other.q, other.dp, other.dq, other.qi], "factors of another key");
  bad([j.n, j.e, "", "", "", "", "", ""], "no d");
  bad([j.n, j.e, "AA", "", "", "", "", ""], "d = 0");
  bad([j.n, j.e, j.n, "", "", "", "", ""], "d = n");
  bad([j.n, "Aw", j.d, j.p, j.q, j.dp, j.dq, j.qi], "wrong e");
  bad([j.n, j.e, j.d, j.p, j.q, j.dp, j.dq, "!!"], "qi not base64url");
  assert.equal(w.rsaSign(j.n, j.e, other.d, "", "", "", "", "", 1, message), null);
});

test("keys made by node:crypto: node's signatures verify, ours match node's", () => {
  const r = rng(10);
  for (const bits of [1024, 1536, 2048, 2056]) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: bits === 1536 ? 3 : 65537 });
    const jwk = privateKey.export({ format: "jwk" });
    for (const [name, alg] of ALGS) {
      const msg = r.bytes(r.int(300));
      const sig = nodeSign(name, msg, privateKey);
      assert.equal(w.rsaVerify(jwk.n, jwk.e, alg, msg, new Uint8Array(sig)), 1, `${bits} ${name}`);
      const ours = w.rsaSign(...members(jwk), alg, msg);
      assert.equal(Buffer.from(ours).toString("hex"), sig.toString("hex"), `${bits} ${name} sign`);
    }
  }
});

test("timing and memory: RS256 verify and sign with a 2048-bit key (Node, for reference)", (t) => {
  const key = vectors.keys[1];
  assert.equal(w.benchSetKeys(...members(key.jwk)), true);
  const sig = b64u(key.signatures.sha256);
  const before = memoryBytes();
  w.benchVerify(1, message, sig, 20);
  let start = process.hrtime.bigint();
  assert.equal(w.benchVerify(1, message, sig, 200), 200);
  const verifyUs = Number(process.hrtime.bigint() - start) / 200 / 1000;
  start = process.hrtime.bigint();
  assert.equal(w.benchSign(1, message, 10), 10);
  const signUs = Number(process.hrtime.bigint() - start) / 10 / 1000;
  t.diagnostic(`RS256 2048-bit verify ${verifyUs.toFixed(1)} µs, sign (CRT) ${signUs.toFixed(1)} µs (Node/V8)`);
  // the minimal runtime frees everything between calls: memory must not keep growing
  w.benchVerify(1, message, sig, 200);
  w.benchSign(1, message, 10);
  assert.ok(memoryBytes() - before <= 1 << 20, `memory grew from ${before} to ${memoryBytes()}`);
});
