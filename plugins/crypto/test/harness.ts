// Test entry: exposes the crypto library to the Node tests (compiled by run.mjs
// with asc's ESM bindings, on the minimal runtime the plugins use; the tests call
// __collect between calls as the SDK does after every callback).
import * as c from "../index";
import { parseJson } from "../../sdk/json";

export function hash(alg: i32, data: Uint8Array): Uint8Array {
  return c.digest(<c.HashAlgorithm>alg, data);
}

/** The digest of `data` repeated `times` times, fed in pieces of `chunk` bytes (cut across repeats). */
export function hashStreamed(alg: i32, data: Uint8Array, times: i32, chunk: i32): Uint8Array {
  const h = c.newHasher(<c.HashAlgorithm>alg);
  if (chunk <= 0 || data.length == 0) {
    for (let i = 0; i < times; i++) h.update(data);
    return h.digest();
  }
  // build the whole input only when small; else stream repeats in chunk-sized calls
  const total = <i64>data.length * <i64>times;
  let fed: i64 = 0;
  const piece = new Uint8Array(chunk);
  while (fed < total) {
    let n = <i32>min<i64>(<i64>chunk, total - fed);
    for (let i = 0; i < n; i++) piece[i] = data[<i32>((fed + <i64>i) % <i64>data.length)];
    h.updateRaw(piece.dataStart, <usize>n);
    fed += <i64>n;
  }
  return h.digest();
}

/** Hashing twice with the same hasher (digest resets it) gives the same answer. */
export function hashReused(alg: i32, data: Uint8Array): bool {
  const h = c.newHasher(<c.HashAlgorithm>alg);
  const a = h.update(data).digest();
  const b = h.update(data).digest();
  return c.constantTimeEqual(a, b);
}

export function md5(data: Uint8Array): Uint8Array {
  return c.md5(data);
}

/** The MD5 of `data` fed in pieces of `chunk` bytes, twice with the same hasher (digest resets it). */
export function md5Streamed(data: Uint8Array, chunk: i32): Uint8Array {
  const h = new c.Md5();
  for (let round = 0; round < 2; round++) {
    for (let at = 0; at < data.length; at += chunk) h.update(data.subarray(at, min(at + chunk, data.length)));
    if (round == 0) h.digest();
  }
  return h.digest();
}

export function hmac(alg: i32, key: Uint8Array, data: Uint8Array): Uint8Array {
  return c.hmac(<c.HashAlgorithm>alg, key, data);
}

/** HMAC with the message in two parts, and the same Hmac reused for a second message. */
export function hmacStreamed(alg: i32, key: Uint8Array, data: Uint8Array, cut: i32): Uint8Array {
  const m = new c.Hmac(<c.HashAlgorithm>alg, key);
  m.update(Uint8Array.wrap(String.UTF8.encode("warm-up"))).digest();
  m.update(data.subarray(0, cut)).update(data.subarray(cut));
  return m.digest();
}

export function hmacString(alg: i32, key: string, message: string): Uint8Array {
  return c.hmacString(<c.HashAlgorithm>alg, key, message);
}

export function b64Encode(data: Uint8Array): string {
  return c.base64Encode(data);
}

export function b64UrlEncode(data: Uint8Array, pad: bool): string {
  return c.base64UrlEncode(data, pad);
}

export function b64Decode(text: string, padding: i32): Uint8Array | null {
  return c.base64Decode(text, <c.Padding>padding);
}

export function b64UrlDecode(text: string, padding: i32): Uint8Array | null {
  return c.base64UrlDecode(text, <c.Padding>padding);
}

export function b64UrlDecodeRange(text: string, start: i32, end: i32): Uint8Array | null {
  return c.base64UrlDecodeRange(text, start, end);
}

export function ctEqual(a: Uint8Array, b: Uint8Array): bool {
  return c.constantTimeEqual(a, b);
}

export function ctEqualStrings(a: string, b: string): bool {
  return c.constantTimeEqualStrings(a, b);
}

export function hexOf(data: Uint8Array): string {
  return c.toHex(data);
}

export function fromHex(text: string): Uint8Array | null {
  return c.fromHex(text);
}

// ------------------------------------------------------------------ big integers

export function bigMul(a: Uint8Array, b: Uint8Array): Uint8Array {
  return c.BigUint.fromBytes(a).mul(c.BigUint.fromBytes(b)).toMinimalBytes();
}

export function bigAdd(a: Uint8Array, b: Uint8Array): Uint8Array {
  return c.BigUint.fromBytes(a).add(c.BigUint.fromBytes(b)).toMinimalBytes();
}

export function bigSub(a: Uint8Array, b: Uint8Array): Uint8Array | null {
  const r = c.BigUint.fromBytes(a).sub(c.BigUint.fromBytes(b));
  return r === null ? null : r.toMinimalBytes();
}

export function bigDiv(a: Uint8Array, b: Uint8Array): Uint8Array | null {
  const qr = c.divRem(c.BigUint.fromBytes(a), c.BigUint.fromBytes(b));
  return qr === null ? null : qr.quotient.toMinimalBytes();
}

export function bigMod(a: Uint8Array, b: Uint8Array): Uint8Array | null {
  const r = c.BigUint.fromBytes(a).mod(c.BigUint.fromBytes(b));
  return r === null ? null : r.toMinimalBytes();
}

export function bigModPow(b: Uint8Array, e: Uint8Array, m: Uint8Array): Uint8Array | null {
  const r = c.modPow(c.BigUint.fromBytes(b), c.BigUint.fromBytes(e), c.BigUint.fromBytes(m));
  return r === null ? null : r.toMinimalBytes();
}

export function bigCompare(a: Uint8Array, b: Uint8Array): i32 {
  return c.BigUint.fromBytes(a).compare(c.BigUint.fromBytes(b));
}

export function bigBitLength(a: Uint8Array): i32 {
  return c.BigUint.fromBytes(a).bitLength();
}

export function bigToBytes(a: Uint8Array, length: i32): Uint8Array | null {
  return c.BigUint.fromBytes(a).toBytes(length);
}

// ------------------------------------------------------------------ RSA

/** 1 valid, 0 invalid signature, -1 key refused (see rsaLastError). */
export function rsaVerify(n: string, e: string, alg: i32, message: Uint8Array, signature: Uint8Array): i32 {
  const key = c.rsaPublicKeyFromJwk(n, e);
  if (key === null) return -1;
  return c.rsaPkcs1v15Verify(key, <c.HashAlgorithm>alg, message, signature) ? 1 : 0;
}

export function rsaSign(
  n: string, e: string, d: string, p: string, q: string, dp: string, dq: string, qi: string,
  alg: i32, message: Uint8Array,
): Uint8Array | null {
  const key = c.rsaPrivateKeyFromJwk(n, e, d, p, q, dp, dq, qi);
  if (key === null) return null;
  return c.rsaPkcs1v15Sign(key, <c.HashAlgorithm>alg, message);
}

export function rsaPrivateKeyOk(
  n: string, e: string, d: string, p: string, q: string, dp: string, dq: string, qi: string,
): bool {
  return c.rsaPrivateKeyFromJwk(n, e, d, p, q, dp, dq, qi) !== null;
}

export function rsaLastError(): string {
  return c.rsaError();
}

export function emsaEncode(alg: i32, hash: Uint8Array, emLen: i32): Uint8Array | null {
  return c.emsaPkcs1v15Encode(<c.HashAlgorithm>alg, hash, emLen);
}

// ------------------------------------------------------------------ ECDSA

/** 1 valid, 0 invalid signature, -1 key refused (see ecLastError). */
export function ecVerify(crv: string, x: string, y: string, alg: i32, message: Uint8Array, signature: Uint8Array): i32 {
  const key = c.ecPublicKeyFromJwk(crv, x, y);
  if (key === null) return -1;
  return c.ecdsaVerify(key, <c.HashAlgorithm>alg, message, signature) ? 1 : 0;
}

/** Verification over a given digest (any length: truncation per FIPS 186-4 §6.4). */
export function ecVerifyDigest(crv: string, x: string, y: string, hash: Uint8Array, signature: Uint8Array): i32 {
  const key = c.ecPublicKeyFromJwk(crv, x, y);
  if (key === null) return -1;
  return c.ecdsaVerifyDigest(key, hash, signature) ? 1 : 0;
}

/** The integer E of a digest on a curve (FIPS 186-4 §6.4), minimal big-endian bytes. */
export function ecHashInteger(crv: string, hash: Uint8Array): Uint8Array {
  return c.ecCurve(crv)!.hashInteger(hash).toMinimalBytes();
}

/** a·b mod p (a² when square) through the curve's field product (EcCurve.fieldProduct). */
export function ecFieldProduct(crv: string, a: Uint8Array, b: Uint8Array, square: bool): Uint8Array {
  return c.ecCurve(crv)!.fieldProduct(c.BigUint.fromBytes(a), c.BigUint.fromBytes(b), square).toMinimalBytes();
}

export function ecLastError(): string {
  return c.ecError();
}

let benchEc: c.EcPublicKey | null = null;

export function benchSetEcKey(crv: string, x: string, y: string): bool {
  benchEc = c.ecPublicKeyFromJwk(crv, x, y);
  return benchEc !== null;
}

/** Verifies `iterations` times with the key of benchSetEcKey; answers how many verified. */
export function benchEcVerify(alg: i32, message: Uint8Array, signature: Uint8Array, iterations: i32): i32 {
  const key = changetype<c.EcPublicKey>(benchEc);
  let ok = 0;
  for (let i = 0; i < iterations; i++) {
    if (c.ecdsaVerify(key, <c.HashAlgorithm>alg, message, signature)) ok++;
  }
  return ok;
}

// ------------------------------------------------------------------ Ed25519

/** 1 valid, 0 invalid signature, -1 key refused (not a point). */
export function edVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): i32 {
  const key = c.ed25519PublicKey(publicKey);
  if (key === null) return -1;
  return c.ed25519Verify(key, message, signature) ? 1 : 0;
}

/** a·b mod 2^255 − 19 (a² when square) of little-endian field elements, through the generated products. */
export function edFieldProduct(a: Uint8Array, b: Uint8Array, square: bool): Uint8Array {
  return c.ed25519FieldProduct(a, b, square);
}

let benchEd: c.Ed25519PublicKey | null = null;

export function benchSetEdKey(publicKey: Uint8Array): bool {
  benchEd = c.ed25519PublicKey(publicKey);
  return benchEd !== null;
}

export function benchEdVerify(message: Uint8Array, signature: Uint8Array, iterations: i32): i32 {
  const key = changetype<c.Ed25519PublicKey>(benchEd);
  let ok = 0;
  for (let i = 0; i < iterations; i++) {
    if (c.ed25519Verify(key, message, signature)) ok++;
  }
  return ok;
}

// ------------------------------------------------------------------ RSASSA-PSS

/** 1 valid, 0 invalid signature, -1 key refused: PSS with MGF1 of the same hash and a salt of the hash's length. */
export function pssVerify(n: string, e: string, alg: i32, message: Uint8Array, signature: Uint8Array): i32 {
  const key = c.rsaPublicKeyFromJwk(n, e);
  if (key === null) return -1;
  return c.rsaPssVerify(key, <c.HashAlgorithm>alg, message, signature) ? 1 : 0;
}

export function emsaPssCheck(alg: i32, mHash: Uint8Array, em: Uint8Array, emBits: i32, sLen: i32): bool {
  return c.emsaPssVerify(<c.HashAlgorithm>alg, mHash, em, emBits, sLen);
}

export function mgf1(alg: i32, seed: Uint8Array, length: i32): Uint8Array {
  return c.mgf1(<c.HashAlgorithm>alg, seed, length);
}

export function benchPssVerify(alg: i32, message: Uint8Array, signature: Uint8Array, iterations: i32): i32 {
  const key = changetype<c.RsaPublicKey>(benchPublic);
  let ok = 0;
  for (let i = 0; i < iterations; i++) {
    if (c.rsaPssVerify(key, <c.HashAlgorithm>alg, message, signature)) ok++;
  }
  return ok;
}

// ------------------------------------------------------------------ timing

let benchPublic: c.RsaPublicKey | null = null;
let benchPrivate: c.RsaPrivateKey | null = null;

export function benchSetKeys(
  n: string, e: string, d: string, p: string, q: string, dp: string, dq: string, qi: string,
): bool {
  benchPublic = c.rsaPublicKeyFromJwk(n, e);
  benchPrivate = c.rsaPrivateKeyFromJwk(n, e, d, p, q, dp, dq, qi);
  return benchPublic !== null && benchPrivate !== null;
}

/** Verifies `iterations` times with the key of benchSetKeys; answers how many verified. */
export function benchVerify(alg: i32, message: Uint8Array, signature: Uint8Array, iterations: i32): i32 {
  const key = changetype<c.RsaPublicKey>(benchPublic);
  let ok = 0;
  for (let i = 0; i < iterations; i++) {
    if (c.rsaPkcs1v15Verify(key, <c.HashAlgorithm>alg, message, signature)) ok++;
  }
  return ok;
}

export function benchSign(alg: i32, message: Uint8Array, iterations: i32): i32 {
  const key = changetype<c.RsaPrivateKey>(benchPrivate);
  let ok = 0;
  for (let i = 0; i < iterations; i++) {
    if (c.rsaPkcs1v15Sign(key, <c.HashAlgorithm>alg, message) !== null) ok++;
  }
  return ok;
}

// ------------------------------------------------------------------ JOSE

/** "ok" plus the number of keys and skipped keys, or the error. */
export function jwksCheck(text: string): string {
  const r = c.parseJwks(text);
  if (r.set === null) return "error: " + r.error;
  const set = r.set!;
  return "ok " + set.keys.length.toString() + " " + set.skipped.length.toString();
}

/** Verifies `token` with the key chosen as jwt-auth does (kid, else the first); "ok" or why not. */
export function jwsVerify(token: string, jwksText: string): string {
  const r = c.parseJwks(jwksText);
  if (r.set === null) return "jwks error: " + r.error;
  const parsed = c.parseCompactJws(token);
  if (parsed.jws === null) return "parse error: " + parsed.error;
  const jws = parsed.jws!;
  const set = r.set!;
  const byKid = jws.kid.length > 0 ? set.firstWithKid(jws.kid) : null;
  const key = byKid !== null ? byKid : set.keys[0];
  if (!c.verifyJws(jws, key)) return "bad signature";
  return "ok " + jws.payload.stringify();
}

export function jwsSignHmac(alg: string, secret: Uint8Array, header: string, payload: string): string {
  return c.signJwsHmac(c.jwsAlgorithm(alg), secret, header, payload);
}

export function jwsSignRsa(alg: string, privateJwk: string, header: string, payload: string): string | null {
  const parsed = parseJson(privateJwk);
  if (!parsed.ok) return null;
  const problem = [""];
  const key = c.rsaPrivateKeyFromJwkJson(parsed.value!.asObject()!, problem);
  if (key === null) return null;
  return c.signJwsRsa(c.jwsAlgorithm(alg), key, header, payload);
}

export function timeClaims(claims: string, now: i64, leeway: i64, requireExp: bool): string {
  const parsed = parseJson(claims);
  return c.checkTimeClaims(parsed.value!.asObject()!, now, leeway, requireExp);
}

export function claimText(json: string): string {
  return c.claimText(parseJson(json).value!);
}

export function joseHeader(alg: string, typ: string, kid: string): string {
  return c.joseHeader(c.jwsAlgorithm(alg), typ, kid);
}
