import assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync, sign as nodeSign } from "node:crypto";
import { test } from "node:test";
import { data, fromHex, memoryBytes, rng, utf8, w } from "./wasm.mjs";

const SHA1 = 0;
const HASHES = { sha256: 1, sha384: 2, sha512: 3 };
const vectors = data("ec.json");
const message = fromHex(vectors.message);
const b64u = (bytes) => Buffer.from(bytes).toString("base64url");
const unb64u = (text) => new Uint8Array(Buffer.from(text, "base64url"));
const big = (bytes) => BigInt("0x" + (Buffer.from(bytes).toString("hex") || "0"));
const bytesOf = (value, size) => new Uint8Array(Buffer.from(value.toString(16).padStart(size * 2, "0"), "hex"));

// FIPS 186-4 App. D.1.2.3, D.1.2.4 and D.1.2.5 (checked against `openssl ecparam -param_enc explicit -text`)
const CURVES = {
  "P-256": {
    size: 32,
    hash: "sha256",
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    oid: "06082a8648ce3d030107",
  },
  "P-384": {
    size: 48,
    hash: "sha384",
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    oid: "06052b81040022",
  },
  "P-521": {
    size: 66,
    hash: "sha512",
    p: (1n << 521n) - 1n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    oid: "06052b81040023",
  },
};

const verify = (jwk, hash, msg, sig) => w.ecVerify(jwk.crv, jwk.x, jwk.y, HASHES[hash] ?? hash, msg, sig);

/** A node private key with the scalar d (a SEC 1 ECPrivateKey without the public key: OpenSSL computes it). */
function keyWithScalar(crv, d) {
  const { size, oid } = CURVES[crv];
  const hex = (n) => n.toString(16).padStart(2, "0");
  const body = "020101" + "04" + hex(size) + d.toString(16).padStart(size * 2, "0") + "a0" + hex(oid.length / 2) + oid;
  return createPrivateKey({ key: Buffer.from("30" + hex(body.length / 2) + body, "hex"), format: "der", type: "sec1" });
}

const p1363 = (hash, msg, key) => new Uint8Array(nodeSign(hash, msg, { key, dsaEncoding: "ieee-p1363" }));

test("OpenSSL signatures verify (P-256 and P-384 with SHA-256/384/512; truncated and short hashes)", () => {
  assert.equal(vectors.keys.length, 2);
  for (const key of vectors.keys) {
    for (const hash of Object.keys(HASHES)) {
      assert.equal(verify(key.jwk, hash, message, unb64u(key.signatures[hash].raw)), 1, `${key.crv} ${hash}`);
    }
  }
});

test("DER signatures, wrong hash, wrong message, other key: refused", () => {
  for (const key of vectors.keys) {
    const sig = unb64u(key.signatures[CURVES[key.crv].hash].raw);
    const hash = CURVES[key.crv].hash;
    for (const h of Object.keys(HASHES)) {
      assert.equal(verify(key.jwk, hash, message, unb64u(key.signatures[h].der)), 0, `${key.crv} DER ${h}`);
      if (h !== hash) assert.equal(verify(key.jwk, h, message, sig), 0, `${key.crv} verified as ${h}`);
    }
    assert.equal(verify(key.jwk, hash, utf8("another message"), sig), 0);
    assert.equal(verify(key.jwk, SHA1, message, sig), 0);
    // a P-256 signature under the P-384 key and the other way round: the length is wrong
    const foreign = vectors.keys.find((k) => k.crv !== key.crv);
    assert.equal(verify(foreign.jwk, hash, message, sig), 0);
  }
});

test("a flipped bit anywhere in r, s, the message or the key: refused", () => {
  for (const key of vectors.keys) {
    const { size, hash } = CURVES[key.crv];
    const sig = unb64u(key.signatures[hash].raw);
    for (let bit = 0; bit < sig.length * 8; bit += 5) {
      const t = sig.slice();
      t[bit >> 3] ^= 1 << (bit & 7);
      assert.equal(verify(key.jwk, hash, message, t), 0, `${key.crv} signature bit ${bit}`);
    }
    for (let bit = 0; bit < message.length * 8; bit += 37) {
      const m = message.slice();
      m[bit >> 3] ^= 1 << (bit & 7);
      assert.equal(verify(key.jwk, hash, m, sig), 0, `${key.crv} message bit ${bit}`);
    }
    for (const member of ["x", "y"]) {
      for (let bit = 0; bit < size * 8; bit += 11) {
        const c = unb64u(key.jwk[member]);
        c[bit >> 3] ^= 1 << (bit & 7);
        const jwk = { ...key.jwk, [member]: b64u(c) };
        // off the curve (or beyond p): the key itself is refused
        assert.equal(verify(jwk, hash, message, sig), -1, `${key.crv} ${member} bit ${bit}`);
        assert.match(w.ecLastError(), /not on the curve|not below the field prime/);
      }
    }
  }
});

test("r or s zero, n, above n, or the wrong length: refused before any arithmetic", () => {
  for (const key of vectors.keys) {
    const { size, n, hash } = CURVES[key.crv];
    const sig = unb64u(key.signatures[hash].raw);
    const r = big(sig.subarray(0, size));
    const s = big(sig.subarray(size));
    const make = (rv, sv) => new Uint8Array([...bytesOf(rv, size), ...bytesOf(sv, size)]);
    assert.equal(verify(key.jwk, hash, message, make(r, s)), 1);
    for (const [rv, sv, why] of [
      [0n, s, "r = 0"], [r, 0n, "s = 0"], [0n, 0n, "r = s = 0"],
      [n, s, "r = n"], [r, n, "s = n"], [r + n, s, "r + n"], [r, s + n, "s + n"],
      [(1n << BigInt(8 * size)) - 1n, s, "r = 2^N - 1"], [r, (1n << BigInt(8 * size)) - 1n, "s = 2^N - 1"],
      [n - 1n, s, "r = n - 1"], [r, n - 1n, "s = n - 1"], [1n, 1n, "r = s = 1"],
    ]) {
      if (rv >= 1n << BigInt(8 * size) || sv >= 1n << BigInt(8 * size)) continue;
      assert.equal(verify(key.jwk, hash, message, make(rv, sv)), 0, `${key.crv} ${why}`);
    }
    // −s (n − s) is the other valid s for the same r in ECDSA: it verifies too (no low-s rule in FIPS 186)
    assert.equal(verify(key.jwk, hash, message, make(r, n - s)), 1, `${key.crv} n - s`);
    for (const length of [0, 1, size, 2 * size - 1, 2 * size + 1, 4 * size, 100000]) {
      assert.equal(verify(key.jwk, hash, message, new Uint8Array(length).fill(1)), 0, `${key.crv} ${length} bytes`);
    }
    assert.equal(verify(key.jwk, hash, message, new Uint8Array([0, ...sig.subarray(0, 2 * size - 1)])), 0);
  }
});

test("public keys refused: off the curve, coordinates >= p, (0, 0), wrong lengths, unknown curves", () => {
  const key = vectors.keys[0];
  const sig = unb64u(key.signatures.sha256.raw);
  const refused = (crv, x, y, why, pattern) => {
    assert.equal(w.ecVerify(crv, x, y, 1, message, sig), -1, why);
    assert.match(w.ecLastError(), pattern, why);
  };
  for (const [crv, { size, p }] of Object.entries(CURVES)) {
    const vector = vectors.keys.find((k) => k.crv === crv);
    const jwk = vector ? vector.jwk : generateKeyPairSync("ec", { namedCurve: crv }).publicKey.export({ format: "jwk" });
    const x = big(unb64u(jwk.x));
    const y = big(unb64u(jwk.y));
    const enc = (v) => b64u(bytesOf(v, size));
    refused(crv, jwk.x, enc((y + 1n) % p), `${crv} y + 1`, /not on the curve/);
    refused(crv, enc((x + 1n) % p), jwk.y, `${crv} x + 1`, /not on the curve/);
    refused(crv, enc(0n), enc(0n), `${crv} (0, 0)`, /not on the curve/);
    refused(crv, enc(p), jwk.y, `${crv} x = p`, /not below the field prime/);
    refused(crv, jwk.x, enc(p), `${crv} y = p`, /not below the field prime/);
    // y + p, where it still fits, is y mod p: refused all the same (not a canonical coordinate)
    if (y + p < 1n << BigInt(8 * size)) refused(crv, jwk.x, enc(y + p), `${crv} y + p`, /not below/);
    refused(crv, enc((1n << BigInt(8 * size)) - 1n), jwk.y, `${crv} x = 2^N - 1`, /not below/);
    // −Q is on the curve: accepted as a key, but the signature is not one of its signatures
    assert.equal(w.ecVerify(crv, jwk.x, enc(p - y), HASHES[CURVES[crv].hash], message, sig), 0);
    refused(crv, jwk.x.slice(1), jwk.y, `${crv} short x`, /not base64url|must be/);
    refused(crv, b64u(unb64u(jwk.x).subarray(1)), jwk.y, `${crv} x one byte short`, /must be \d+ bytes/);
    refused(crv, jwk.x, b64u(new Uint8Array([0, ...unb64u(jwk.y)])), `${crv} y one byte long`, /y/);
    refused(crv, jwk.x + "!", jwk.y, `${crv} x not base64url`, /not base64url/);
    refused(crv, jwk.x, "", `${crv} empty y`, /y/);
    refused(crv, "A".repeat(100000), jwk.y, `${crv} oversized x`, /not base64url/);
  }
  // the other curve's coordinates: the wrong size
  refused("P-384", key.jwk.x, key.jwk.y, "P-256 point as P-384", /must be 48 bytes/);
  for (const crv of ["P-192", "secp256k1", "p-256", "", "P-256 "]) refused(crv, key.jwk.x, key.jwk.y, crv, /not supported/);
  // exact padding is tolerated, as for RSA members
  assert.equal(w.ecVerify("P-256", key.jwk.x + "=", key.jwk.y + "=", 1, message, sig), 1);
  assert.equal(w.ecLastError(), "");
});

test("keys and signatures made by node:crypto verify; signatures never verify under another key", () => {
  const r = rng(21);
  for (const [crv, { hash }] of Object.entries(CURVES)) {
    const keys = [];
    for (let i = 0; i < 6; i++) keys.push(generateKeyPairSync("ec", { namedCurve: crv }).privateKey);
    const jwks = keys.map((k) => k.export({ format: "jwk" }));
    for (let i = 0; i < keys.length; i++) {
      for (let j = 0; j < 4; j++) {
        const msg = r.bytes(r.int(200));
        const sig = p1363(hash, msg, keys[i]);
        assert.equal(verify(jwks[i], hash, msg, sig), 1, `${crv} key ${i} message ${j}`);
        assert.equal(verify(jwks[(i + 1) % keys.length], hash, msg, sig), 0, `${crv} key ${i} under another`);
      }
    }
  }
});

test("special keys: Q = G, Q = −G, Q = 2G, and scalars n − 1, n − 2 (doublings and the point at infinity inside)", () => {
  const r = rng(3);
  for (const [crv, { n, hash }] of Object.entries(CURVES)) {
    for (const d of [1n, 2n, 3n, n - 1n, n - 2n, 1n << 128n]) {
      const key = keyWithScalar(crv, d);
      const jwk = key.export({ format: "jwk" });
      for (let i = 0; i < 24; i++) {
        const msg = r.bytes(1 + r.int(64));
        const sig = p1363(hash, msg, key);
        assert.equal(verify(jwk, hash, msg, sig), 1, `${crv} d = ${d} message ${i}`);
        const t = sig.slice();
        t[r.int(t.length)] ^= 1 << r.int(8);
        assert.equal(verify(jwk, hash, msg, t), 0, `${crv} d = ${d} tampered ${i}`);
      }
    }
  }
});

test("digest to integer: the leftmost N bits (FIPS 186-4 §6.4), reduced below n", () => {
  const r = rng(5);
  for (const [crv, { size, n }] of Object.entries(CURVES)) {
    for (const length of [0, 1, 20, 32, 48, 64]) {
      for (let i = 0; i < 20; i++) {
        const digest = r.bytes(length);
        if (i === 0) digest.fill(0xff);
        const used = digest.subarray(0, Math.min(length, size));
        const want = big(used) % n;
        assert.equal(big(w.ecHashInteger(crv, digest)), want, `${crv} ${length} bytes`);
      }
    }
  }
  // a digest verified directly equals the message hashed
  const key = vectors.keys[0];
  const digest = w.hash(1, message);
  assert.equal(w.ecVerifyDigest("P-256", key.jwk.x, key.jwk.y, digest, unb64u(key.signatures.sha256.raw)), 1);
});

test("RFC 7515 Appendix A.4: the ES512 (P-521) JWS signature over its signing input", () => {
  const x = "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk";
  const y = "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2";
  const signature = unb64u("AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8Ga"
    + "SwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn");
  assert.equal(w.ecVerify("P-521", x, y, HASHES.sha512, utf8("eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA"), signature), 1);
  assert.equal(w.ecVerify("P-521", x, y, HASHES.sha512, utf8("eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZB"), signature), 0);
  assert.equal(w.ecVerify("P-521", x, y, HASHES.sha384, utf8("eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA"), signature), 0);
});

test("field products (unrolled P-256/P-384/P-521 Montgomery multiply and square) against BigInt", () => {
  const random = rng(0xec2).u32;
  for (const [crv, { size, p }] of Object.entries(CURVES)) {
    const bits = BigInt(size * 8);
    const word = (1n << 32n) - 1n;
    // limbs all 0 or all ones, the largest elements, powers of two and words next to
    // p's sparse limbs: maximal column sums, carries and the final subtraction
    const edge = [0n, 1n, 2n, 3n, p - 1n, p - 2n, p >> 1n, (p + 1n) >> 1n, (1n << (bits - 1n)) % p, (1n << 520n) % p,
      (1n << 224n) % p, (1n << 192n) % p, (1n << 128n) % p, (1n << 96n) % p, (1n << 32n) % p, word, word << 32n,
      (((1n << bits) - 1n) ^ (word << 96n)) % p, p - (1n << 32n), p - (1n << 96n)];
    const randomValue = () => {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = random() & 0xff;
      // bias some limbs to all ones or zero
      for (let i = 0; i < size; i += 4) {
        const pick = random() % 4;
        if (pick === 0) bytes.fill(0xff, i, i + 4);
        if (pick === 1) bytes.fill(0, i, i + 4);
      }
      return big(bytes) % p;
    };
    const values = [...edge];
    for (let i = 0; i < 150; i++) values.push(randomValue());
    const check = (a, b, square) => {
      const got = big(w.ecFieldProduct(crv, bytesOf(a, size), bytesOf(b, size), square));
      assert.equal(got, (a * b) % p, `${crv} ${a.toString(16)} · ${b.toString(16)}${square ? " (square)" : ""}`);
    };
    for (const a of values) {
      check(a, a, true);
      check(a, a, false);
    }
    for (const a of edge) for (const b of edge) check(a, b, false);
    for (let i = 0; i < 2000; i++) {
      const a = values[random() % values.length];
      const b = i % 2 === 0 ? randomValue() : values[random() % values.length];
      check(a, b, false);
    }
  }
});

test("timing and memory: ES256, ES384 and ES512 verify (Node, for reference)", (t) => {
  const before = memoryBytes();
  const results = [];
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-521" });
  const p521 = privateKey.export({ format: "jwk" });
  const p521Signature = p1363("sha512", message, privateKey);
  assert.equal(w.benchSetEcKey("P-521", p521.x, p521.y), true);
  w.benchEcVerify(HASHES.sha512, message, p521Signature, 20);
  const started = process.hrtime.bigint();
  assert.equal(w.benchEcVerify(HASHES.sha512, message, p521Signature, 50), 50);
  results.push(`P-521 ${(Number(process.hrtime.bigint() - started) / 50 / 1000).toFixed(1)} µs`);
  for (const key of vectors.keys) {
    const { hash } = CURVES[key.crv];
    const sig = unb64u(key.signatures[hash].raw);
    assert.equal(w.benchSetEcKey(key.crv, key.jwk.x, key.jwk.y), true);
    w.benchEcVerify(HASHES[hash], message, sig, 20);
    const start = process.hrtime.bigint();
    assert.equal(w.benchEcVerify(HASHES[hash], message, sig, 100), 100);
    results.push(`${key.crv} ${(Number(process.hrtime.bigint() - start) / 100 / 1000).toFixed(1)} µs`);
    w.benchEcVerify(HASHES[hash], message, sig, 100);
  }
  t.diagnostic(`ECDSA verify: ${results.join(", ")} (Node/V8)`);
  assert.ok(memoryBytes() - before <= 1 << 20, `memory grew from ${before} to ${memoryBytes()}`);
});
