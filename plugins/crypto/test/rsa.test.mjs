import assert from "node:assert/strict";
import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign } from "node:crypto";
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

const pss = (name, msg, key, saltLength) =>
  new Uint8Array(nodeSign(name, msg, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }));
const HASH_LENGTH = { sha256: 32, sha384: 48, sha512: 64 };

test("RSASSA-PSS: node:crypto's signatures verify (salt = hash length), for every modulus size mod 8", () => {
  const r = rng(8017);
  const keys = vectors.keys.map((key) => createPrivateKey({ key: { kty: "RSA", ...key.jwk }, format: "jwk" }));
  // 2049 and 2055 bits: emBits = modBits − 1 is a multiple of 8 plus 0 and 6, so EM is k − 1 bytes or has top zero bits
  for (const bits of [2049, 2055]) keys.push(generateKeyPairSync("rsa", { modulusLength: bits }).privateKey);
  for (const key of keys) {
    const jwk = key.export({ format: "jwk" });
    for (const [name, alg] of ALGS) {
      if (name === "sha512" && Buffer.from(jwk.n, "base64url").length < 64 + 64 + 2) continue; // too short for PS512
      const msg = r.bytes(r.int(300));
      const sig = pss(name, msg, key, HASH_LENGTH[name]);
      const label = `${Buffer.from(jwk.n, "base64url").length * 8} ${name}`;
      assert.equal(w.pssVerify(jwk.n, jwk.e, alg, msg, sig), 1, label);
      assert.equal(w.pssVerify(jwk.n, jwk.e, alg, r.bytes(3), sig), 0, label + " other message");
      // another salt length, the wrong hash, a PKCS #1 v1.5 signature, a flipped bit: refused
      assert.equal(w.pssVerify(jwk.n, jwk.e, alg, msg, pss(name, msg, key, 0)), 0, label + " salt 0");
      assert.equal(w.pssVerify(jwk.n, jwk.e, alg === 1 ? 2 : 1, msg, sig), 0, label + " other hash");
      assert.equal(w.pssVerify(jwk.n, jwk.e, alg, msg, new Uint8Array(nodeSign(name, msg, key))), 0, label + " v1.5");
      const flipped = sig.slice();
      flipped[r.int(flipped.length)] ^= 1 << r.int(8);
      assert.equal(w.pssVerify(jwk.n, jwk.e, alg, msg, flipped), 0, label + " flipped");
      assert.equal(w.pssVerify(jwk.n, jwk.e, SHA1, msg, sig), 0, label + " SHA-1");
    }
  }
});

/** MGF1 (RFC 8017 §B.2.1) in JS, for comparison. */
function mgf1(name, seed, length) {
  const out = [];
  for (let counter = 0; out.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(...createHash(name).update(seed).update(c).digest());
  }
  return Buffer.from(out.slice(0, length)).toString("hex");
}

test("MGF1 and EMSA-PSS-VERIFY's checks (RFC 8017 §9.1.2 steps 3-10)", () => {
  const r = rng(91);
  for (const [name, alg] of ALGS) {
    for (const length of [0, 1, 31, 32, 33, 200, 511]) {
      const seed = r.bytes(HASH_LENGTH[name]);
      assert.equal(hex(w.mgf1(alg, seed, length)), mgf1(name, seed, length), `${name} ${length}`);
    }
  }
  // an encoded message made here as §9.1.1 does, then broken one step at a time
  const name = "sha256";
  const hLen = 32;
  const emBits = 2047;
  const emLen = 256;
  const mHash = createHash(name).update("message").digest();
  const salt = r.bytes(hLen);
  const h = createHash(name).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - 2 * hLen - 2] = 0x01;
  Buffer.from(salt).copy(db, emLen - 2 * hLen - 1);
  const mask = Buffer.from(mgf1(name, h, db.length), "hex");
  const maskedDB = db.map((b, i) => b ^ mask[i]);
  maskedDB[0] &= 0x7f;
  const em = () => new Uint8Array([...maskedDB, ...h, 0xbc]);
  assert.equal(w.emsaPssCheck(1, mHash, em(), emBits, hLen), true);
  const broken = (change, why) => {
    const e = em();
    change(e);
    assert.equal(w.emsaPssCheck(1, mHash, e, emBits, hLen), false, why);
  };
  broken((e) => (e[emLen - 1] = 0xbb), "trailer 0xbc");
  broken((e) => (e[0] |= 0x80), "the top bit beyond emBits");
  broken((e) => (e[emLen - 2 * hLen - 2] ^= 0x01), "the 0x01 separator");
  broken((e) => (e[3] ^= 0x04), "a zero of PS");
  broken((e) => (e[emLen - 2] ^= 0x01), "H");
  assert.equal(w.emsaPssCheck(1, mHash, em(), emBits, hLen - 1), false, "another salt length");
  assert.equal(w.emsaPssCheck(1, mHash.subarray(1), em(), emBits, hLen), false, "a short digest");
  assert.equal(w.emsaPssCheck(1, mHash, em().subarray(0, hLen + hLen + 1), emBits, hLen), false, "emLen < hLen + sLen + 2");
});

test("timing and memory: RS256 verify and sign with a 2048-bit key (Node, for reference)", (t) => {
  const key = vectors.keys[1];
  assert.equal(w.benchSetKeys(...members(key.jwk)), true);
  const sig = b64u(key.signatures.sha256);
  const pssSig = pss("sha256", message, createPrivateKey({ key: { kty: "RSA", ...key.jwk }, format: "jwk" }), 32);
  w.benchPssVerify(1, message, pssSig, 200); // the garbage of a batch, collected after it, sizes memory once
  const before = memoryBytes();
  w.benchVerify(1, message, sig, 20);
  let start = process.hrtime.bigint();
  assert.equal(w.benchVerify(1, message, sig, 200), 200);
  const verifyUs = Number(process.hrtime.bigint() - start) / 200 / 1000;
  start = process.hrtime.bigint();
  assert.equal(w.benchSign(1, message, 10), 10);
  const signUs = Number(process.hrtime.bigint() - start) / 10 / 1000;
  start = process.hrtime.bigint();
  assert.equal(w.benchPssVerify(1, message, pssSig, 200), 200);
  const pssUs = Number(process.hrtime.bigint() - start) / 200 / 1000;
  t.diagnostic(`RS256 2048-bit verify ${verifyUs.toFixed(1)} µs, sign (CRT) ${signUs.toFixed(1)} µs, `
    + `PS256 verify ${pssUs.toFixed(1)} µs (Node/V8)`);
  // the minimal runtime frees everything between calls: memory must not keep growing
  w.benchVerify(1, message, sig, 200);
  w.benchSign(1, message, 10);
  w.benchPssVerify(1, message, pssSig, 200);
  assert.ok(memoryBytes() - before <= 1 << 20, `memory grew from ${before} to ${memoryBytes()}`);
});
