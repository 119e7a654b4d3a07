import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { test } from "node:test";
import { fromHex, hex, memoryBytes, rng, utf8, w } from "./wasm.mjs";

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = (((-121665n * modInverse(121666n)) % P) + P) % P;

function mod(a) {
  return ((a % P) + P) % P;
}

function modPow(b, e) {
  let r = 1n;
  b = mod(b);
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
  }
  return r;
}

function modInverse(a) {
  return modPow(a, P - 2n);
}

const le = (bytes) => BigInt("0x" + (Buffer.from(bytes).reverse().toString("hex") || "0"));
const toLe = (n) => new Uint8Array(Buffer.from(n.toString(16).padStart(64, "0"), "hex").reverse());

/** RFC 8032 §5.1.3 in BigInt: whether 32 bytes decode to a point. */
function decodes(bytes) {
  const sign = bytes[31] >> 7;
  const y = le(bytes) & ((1n << 255n) - 1n);
  if (y >= P) return false;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = (u * modPow(v, 3n) % P) * modPow(u * modPow(v, 7n), (P - 5n) / 8n) % P;
  const vx2 = (v * x * x) % P;
  if (vx2 !== u) {
    if (vx2 !== mod(-u)) return false;
  }
  if (vx2 !== u) x = (x * modPow(2n, (P - 1n) / 4n)) % P;
  if (x === 0n && sign === 1) return false;
  return true;
}

// RFC 8032 §7.1 TEST 1, 2, 3: secret key, public key, message, signature
const RFC8032 = [
  ["9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"],
  ["4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"],
  ["c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"],
];

/** A node key from a 32-byte seed (PKCS #8, RFC 8410). */
function privateFromSeed(seedHex) {
  return createPrivateKey({ key: Buffer.from("302e020100300506032b657004220420" + seedHex, "hex"), format: "der", type: "pkcs8" });
}

const rawPublic = (key) => new Uint8Array(Buffer.from(createPublicKey(key).export({ format: "jwk" }).x, "base64url"));

test("RFC 8032 §7.1 tests 1-3 verify (and node:crypto derives the same keys and signatures)", () => {
  for (const [seed, publicKey, message, signature] of RFC8032) {
    const key = privateFromSeed(seed);
    assert.equal(hex(rawPublic(key)), publicKey);
    assert.equal(nodeSign(null, fromHex(message), key).toString("hex"), signature);
    assert.equal(w.edVerify(fromHex(publicKey), fromHex(message), fromHex(signature)), 1, "test " + seed.slice(0, 8));
  }
});

test("RFC 8037 Appendix A.4: the Ed25519 JWS signature over its signing input", () => {
  const x = new Uint8Array(Buffer.from("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "base64url"));
  const input = utf8("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");
  const signature = new Uint8Array(Buffer.from(
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg", "base64url"));
  assert.equal(w.edVerify(x, input, signature), 1);
  assert.equal(w.edVerify(x, utf8("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmC"), signature), 0);
});

test("keys and signatures made by node:crypto verify; a flipped bit or another key fails", () => {
  const r = rng(25519);
  const keys = [0, 1, 2].map(() => generateKeyPairSync("ed25519").privateKey);
  for (let i = 0; i < 60; i++) {
    const key = keys[i % 3];
    const message = r.bytes(r.int(300));
    const signature = new Uint8Array(nodeSign(null, message, key));
    const publicKey = rawPublic(key);
    assert.equal(w.edVerify(publicKey, message, signature), 1, "message " + i);
    assert.equal(w.edVerify(rawPublic(keys[(i + 1) % 3]), message, signature), 0);
    const flipped = signature.slice();
    flipped[r.int(64)] ^= 1 << r.int(8);
    assert.equal(w.edVerify(publicKey, message, flipped), nodeVerify(null, message, createPublicKey(key), flipped) ? 1 : 0);
    if (message.length > 0) {
      const changed = message.slice();
      changed[r.int(changed.length)] ^= 0x80;
      assert.equal(w.edVerify(publicKey, changed, signature), 0);
    }
  }
});

test("S at or above L (a malleable signature), wrong lengths: refused", () => {
  const [, publicKey, message, signature] = RFC8032[1];
  const sig = fromHex(signature);
  const s = le(sig.slice(32));
  const malleable = new Uint8Array([...sig.slice(0, 32), ...toLe(s + L)]);
  assert.equal(w.edVerify(fromHex(publicKey), fromHex(message), malleable), 0);
  assert.equal(w.edVerify(fromHex(publicKey), fromHex(message), new Uint8Array([...sig.slice(0, 32), ...toLe(L)])), 0);
  assert.equal(w.edVerify(fromHex(publicKey), fromHex(message), sig.slice(0, 63)), 0);
  assert.equal(w.edVerify(fromHex(publicKey), fromHex(message), new Uint8Array([...sig, 0])), 0);
  assert.equal(w.edVerify(fromHex(publicKey).slice(0, 31), fromHex(message), sig), -1);
});

test("public key decoding (RFC 8032 §5.1.3) matches a BigInt reference: random, y ≥ p, x = 0 with the sign bit", () => {
  const r = rng(5);
  const special = [
    toLe(P), toLe(P + 1n), toLe(2n ** 255n - 1n), // y ≥ p
    toLe(1n), toLe(1n | (1n << 255n)), // y = 1: x = 0, with and without the sign bit
    toLe(P - 1n), toLe((P - 1n) | (1n << 255n)), // y = −1: x = 0
    toLe(0n), toLe(1n << 255n),
  ];
  let accepted = 0;
  for (let i = 0; i < 300 + special.length; i++) {
    const bytes = i < special.length ? special[i] : r.bytes(32);
    const want = decodes(bytes);
    if (want) accepted++;
    assert.equal(w.edVerify(bytes, utf8("m"), new Uint8Array(64)) !== -1, want, hex(bytes));
  }
  // about half of all y have a square x² (and the key is then accepted)
  assert.ok(accepted > 100 && accepted < 220, "accepted " + accepted);
});

test("field products (unrolled 2^255 − 19 multiply and square) against BigInt", () => {
  const r = rng(19);
  const values = [0n, 1n, 2n, 18n, 19n, P - 1n, P - 2n, 2n ** 224n, 2n ** 254n, 2n ** 255n - 20n, (2n ** 32n - 1n) * 2n ** 128n];
  for (let i = 0; i < 200; i++) values.push(le(r.bytes(32)) % P);
  for (let i = 0; i < values.length; i++) {
    const a = values[i];
    const b = values[(i * 7 + 3) % values.length];
    assert.equal(le(w.edFieldProduct(toLe(a), toLe(b), false)), (a * b) % P, `${a} * ${b}`);
    assert.equal(le(w.edFieldProduct(toLe(a), toLe(a), true)), (a * a) % P, `${a}^2`);
  }
});

test("timing and memory: Ed25519 verify (Node, for reference)", (t) => {
  const [, publicKey, message, signature] = RFC8032[2];
  assert.ok(w.benchSetEdKey(fromHex(publicKey)));
  assert.equal(w.benchEdVerify(fromHex(message), fromHex(signature), 200), 200);
  // a batch's garbage is collected after the call: a second batch needs no more memory
  const before = memoryBytes();
  const start = process.hrtime.bigint();
  assert.equal(w.benchEdVerify(fromHex(message), fromHex(signature), 200), 200);
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / 200;
  t.diagnostic(`Ed25519 verify: ${ms.toFixed(3)} ms (Node/V8)`);
  assert.equal(memoryBytes(), before);
});
