// RSA (RFC 8017): RSASSA-PKCS1-v1_5 signature verification (§8.2.2) and
// generation (§8.2.1, with the Chinese remainder theorem when the private key has
// its factors, §5.1.2), EMSA-PKCS1-v1_5 encoding (§9.2), RSASSA-PSS verification
// (§8.1.2, EMSA-PSS-VERIFY §9.1.2, MGF1 §B.2.1), and RSA keys from JWK members
// (RFC 7518 §6.3).
import { base64UrlDecode, Padding } from "./base64";
import { BigUint, Montgomery } from "./bigint";
import { constantTimeEqual } from "./bytes";
import { hashName, HostArguments, hostVerify, hostVerifyAvailable } from "./host";
import { digest, digestLength, HashAlgorithm, newHasher } from "./sha";

/** Smallest and largest modulus accepted (bits). The upper bound caps the work a key can cause. */
export const RSA_MIN_BITS: i32 = 512;
export const RSA_MAX_BITS: i32 = 8192;

let lastError: string = "";

/** Why the last key parse or check of this module failed ("" after a success). */
export function rsaError(): string {
  return lastError;
}

function fail<T>(message: string): T | null {
  lastError = message;
  return null;
}

/** An RSA public key (n, e). */
export class RsaPublicKey {
  readonly n: BigUint;
  readonly e: BigUint;
  /** k: the modulus length in bytes (also the signature length). */
  readonly size: i32;
  private mont: Montgomery | null = null;
  /** n and e as the host takes them (host.ts), made on first use. */
  private nBytes: Uint8Array | null = null;
  private eBytes: Uint8Array | null = null;

  constructor(n: BigUint, e: BigUint) {
    this.n = n;
    this.e = e;
    this.size = n.byteLength();
  }

  /** n, big-endian, exactly size bytes. */
  modulusBytes(): Uint8Array {
    let bytes = this.nBytes;
    if (bytes === null) {
      bytes = changetype<Uint8Array>(this.n.toBytes(this.size));
      this.nBytes = bytes;
    }
    return bytes;
  }

  /** e, big-endian, without leading zeros. */
  exponentBytes(): Uint8Array {
    let bytes = this.eBytes;
    if (bytes === null) {
      bytes = this.e.toMinimalBytes();
      this.eBytes = bytes;
    }
    return bytes;
  }

  get bits(): i32 {
    return this.n.bitLength();
  }

  /** Montgomery context modulo n, built once. */
  montgomery(): Montgomery {
    let m = this.mont;
    if (m === null) {
      m = new Montgomery(this.n);
      this.mont = m;
    }
    return m;
  }

  /** RSAVP1 (§5.2.2): s^e mod n; null when s is not below n. */
  verifyPrimitive(s: BigUint): BigUint | null {
    if (s.compare(this.n) >= 0) return null;
    return this.montgomery().pow(s, this.e);
  }

  /** Checks the members and builds a key; null with rsaError() when they are not a usable key. */
  static create(n: BigUint, e: BigUint): RsaPublicKey | null {
    const bits = n.bitLength();
    if (bits < RSA_MIN_BITS) return fail<RsaPublicKey>("RSA modulus shorter than " + RSA_MIN_BITS.toString() + " bits");
    if (bits > RSA_MAX_BITS) return fail<RsaPublicKey>("RSA modulus longer than " + RSA_MAX_BITS.toString() + " bits");
    if (!n.isOdd) return fail<RsaPublicKey>("RSA modulus is even");
    // like Go's crypto/rsa: 3 <= e < 2^31, odd
    if (e.bitLength() > 31) return fail<RsaPublicKey>("RSA public exponent too large");
    const ev = e.toU64();
    if (ev < 3 || (ev & 1) == 0) return fail<RsaPublicKey>("RSA public exponent must be odd and at least 3");
    lastError = "";
    return new RsaPublicKey(n, e);
  }
}

/** An RSA private key: n, e, d, and when known the factors p, q with dP, dQ, qInv. */
export class RsaPrivateKey {
  readonly publicKey: RsaPublicKey;
  readonly d: BigUint;
  readonly p: BigUint | null;
  readonly q: BigUint | null;
  readonly dp: BigUint | null;
  readonly dq: BigUint | null;
  readonly qi: BigUint | null;
  private montP: Montgomery | null = null;
  private montQ: Montgomery | null = null;

  constructor(
    publicKey: RsaPublicKey, d: BigUint,
    p: BigUint | null, q: BigUint | null, dp: BigUint | null, dq: BigUint | null, qi: BigUint | null,
  ) {
    this.publicKey = publicKey;
    this.d = d;
    this.p = p;
    this.q = q;
    this.dp = dp;
    this.dq = dq;
    this.qi = qi;
    if (p !== null && q !== null) {
      this.montP = new Montgomery(p);
      this.montQ = new Montgomery(q);
    }
  }

  get size(): i32 {
    return this.publicKey.size;
  }

  /**
   * RSASP1 (§5.1.2): m^d mod n, by the CRT when the factors are known. The result
   * is checked with the public exponent (a wrong result, from a fault or a bad
   * key, must never leave: it would reveal a factor); null when m >= n or the
   * check fails.
   */
  signPrimitive(m: BigUint): BigUint | null {
    const pub = this.publicKey;
    if (m.compare(pub.n) >= 0) return null;
    let s: BigUint;
    const montP = this.montP;
    const montQ = this.montQ;
    if (montP !== null && montQ !== null) {
      const p = changetype<BigUint>(this.p);
      const q = changetype<BigUint>(this.q);
      const m1 = montP.pow(m, changetype<BigUint>(this.dp)); // m^dP mod p
      const m2 = montQ.pow(m, changetype<BigUint>(this.dq)); // m^dQ mod q
      // h = (m1 - m2)·qInv mod p, with m1 - m2 taken mod p
      const m2p = changetype<BigUint>(m2.mod(p));
      const diff = changetype<BigUint>(m1.add(p).sub(m2p));
      const h = changetype<BigUint>(diff.mul(changetype<BigUint>(this.qi)).mod(p));
      s = m2.add(q.mul(h));
    } else {
      s = pub.montgomery().pow(m, this.d);
    }
    const back = pub.verifyPrimitive(s);
    if (back === null || !back.equals(m)) return null;
    return s;
  }

  /**
   * Checks the members and builds a key; null with rsaError() when they are not a
   * consistent private key. All of p, q, dp, dq, qi or none of them (then the
   * slower non-CRT exponentiation is used). Costs one private-key operation.
   */
  static create(
    n: BigUint, e: BigUint, d: BigUint,
    p: BigUint | null, q: BigUint | null, dp: BigUint | null, dq: BigUint | null, qi: BigUint | null,
  ): RsaPrivateKey | null {
    const pub = RsaPublicKey.create(n, e);
    if (pub === null) return null;
    if (d.isZero || d.compare(n) >= 0) return fail<RsaPrivateKey>("RSA private exponent out of range");
    const count = (p !== null ? 1 : 0) + (q !== null ? 1 : 0) + (dp !== null ? 1 : 0) +
      (dq !== null ? 1 : 0) + (qi !== null ? 1 : 0);
    if (count != 0 && count != 5) return fail<RsaPrivateKey>("RSA private key needs all of p, q, dp, dq, qi or none");
    if (count == 5) {
      const pp = changetype<BigUint>(p);
      const qq = changetype<BigUint>(q);
      const one = BigUint.fromU64(1);
      if (!pp.isOdd || !qq.isOdd || pp.compare(one) <= 0 || qq.compare(one) <= 0) {
        return fail<RsaPrivateKey>("RSA primes must be odd and above 1");
      }
      if (!pp.mul(qq).equals(n)) return fail<RsaPrivateKey>("RSA p·q is not n");
      const p1 = changetype<BigUint>(pp.sub(one));
      const q1 = changetype<BigUint>(qq.sub(one));
      if (!changetype<BigUint>(d.mod(p1)).equals(changetype<BigUint>(dp))) return fail<RsaPrivateKey>("RSA dp is not d mod (p-1)");
      if (!changetype<BigUint>(d.mod(q1)).equals(changetype<BigUint>(dq))) return fail<RsaPrivateKey>("RSA dq is not d mod (q-1)");
      const qiv = changetype<BigUint>(qi);
      if (qiv.compare(pp) >= 0 || !changetype<BigUint>(qq.mul(qiv).mod(pp)).equals(one)) {
        return fail<RsaPrivateKey>("RSA qi is not q^-1 mod p");
      }
    }
    const key = new RsaPrivateKey(pub, d, p, q, dp, dq, qi);
    // d must invert e: sign a fixed value and check it with the public key
    if (key.signPrimitive(BigUint.fromU64(0x5a5a5a5a)) === null) {
      return fail<RsaPrivateKey>("RSA private exponent does not match the public key");
    }
    lastError = "";
    return key;
  }
}

// DER of DigestInfo up to the digest (RFC 8017 §9.2, note 1)
const PREFIX_SHA256: StaticArray<u8> = [
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
];
const PREFIX_SHA384: StaticArray<u8> = [
  0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
];
const PREFIX_SHA512: StaticArray<u8> = [
  0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
];

/**
 * EMSA-PKCS1-v1_5-ENCODE (§9.2) of a message digest `hash` made by `alg`, to
 * `emLen` bytes: 0x00 0x01 PS(0xff...) 0x00 DigestInfo. Null for SHA-1 (not
 * offered), a digest of the wrong length, or emLen < tLen + 11.
 */
export function emsaPkcs1v15Encode(alg: HashAlgorithm, hash: Uint8Array, emLen: i32): Uint8Array | null {
  let prefix: StaticArray<u8>;
  switch (alg) {
    case HashAlgorithm.SHA256: prefix = PREFIX_SHA256; break;
    case HashAlgorithm.SHA384: prefix = PREFIX_SHA384; break;
    case HashAlgorithm.SHA512: prefix = PREFIX_SHA512; break;
    default: return null;
  }
  if (hash.length != digestLength(alg)) return null;
  const tLen = prefix.length + hash.length;
  if (emLen < tLen + 11) return null;
  const em = new Uint8Array(emLen);
  const p = em.dataStart;
  store<u8>(p, 0x00);
  store<u8>(p + 1, 0x01);
  const psEnd = <usize>(emLen - tLen - 1);
  memory.fill(p + 2, 0xff, psEnd - 2);
  store<u8>(p + psEnd, 0x00);
  memory.copy(p + psEnd + 1, changetype<usize>(prefix), <usize>prefix.length);
  memory.copy(p + psEnd + 1 + <usize>prefix.length, hash.dataStart, <usize>hash.length);
  return em;
}

/** RSASSA-PKCS1-v1_5-VERIFY (§8.2.2) of `signature` over a message whose `alg` digest is `hash`. */
export function rsaPkcs1v15VerifyDigest(
  key: RsaPublicKey, alg: HashAlgorithm, hash: Uint8Array, signature: Uint8Array,
): bool {
  const k = key.size;
  if (signature.length != k) return false; // step 1: length check
  const s = BigUint.fromBytes(signature);
  const m = key.verifyPrimitive(s); // step 2: RSAVP1; null when s >= n
  if (m === null) return false;
  const em = m.toBytes(k);
  if (em === null) return false;
  const expected = emsaPkcs1v15Encode(alg, hash, k); // step 3
  if (expected === null) return false;
  return constantTimeEqual(em, expected); // step 4
}

/** RSASSA-PKCS1-v1_5-VERIFY of `signature` over `message` with the `alg` hash. */
export function rsaPkcs1v15Verify(
  key: RsaPublicKey, alg: HashAlgorithm, message: Uint8Array, signature: Uint8Array,
): bool {
  if (alg == HashAlgorithm.SHA1) return false;
  const host = hostVerifyRsa("RSASSA-PKCS1-v1_5", key, alg, message, signature);
  if (host >= 0) return host == 1;
  return rsaPkcs1v15VerifyDigest(key, alg, digest(alg, message), signature);
}

/** The host's verdict (host.ts): 1, 0, or -1 to verify here. */
function hostVerifyRsa(scheme: string, key: RsaPublicKey, alg: HashAlgorithm, message: Uint8Array, signature: Uint8Array): i32 {
  if (!hostVerifyAvailable()) return -1;
  const args = new HostArguments(64 + 2 * key.size + message.length).addText(scheme).addText(hashName(alg))
    .add(key.modulusBytes()).add(key.exponentBytes());
  return hostVerify(args, message, signature);
}

/** RSASSA-PKCS1-v1_5-SIGN (§8.2.1) of `message` with the `alg` hash; null when the key is too short for it. */
export function rsaPkcs1v15Sign(key: RsaPrivateKey, alg: HashAlgorithm, message: Uint8Array): Uint8Array | null {
  if (alg == HashAlgorithm.SHA1) return null;
  const k = key.size;
  const em = emsaPkcs1v15Encode(alg, digest(alg, message), k);
  if (em === null) return null;
  const s = key.signPrimitive(BigUint.fromBytes(em));
  if (s === null) return null;
  return s.toBytes(k);
}

// ------------------------------------------------------------------ RSASSA-PSS

/** MGF1 (§B.2.1) with `alg`: `length` bytes from `seed`. */
export function mgf1(alg: HashAlgorithm, seed: Uint8Array, length: i32): Uint8Array {
  const out = new Uint8Array(length);
  const hasher = newHasher(alg);
  const counter = new Uint8Array(4);
  let at = 0;
  for (let c: u32 = 0; at < length; c++) {
    store<u32>(counter.dataStart, bswap<u32>(c)); // I2OSP(counter, 4), big-endian
    const block = hasher.update(seed).update(counter).digest();
    const take = min(block.length, length - at);
    memory.copy(out.dataStart + <usize>at, block.dataStart, <usize>take);
    at += take;
  }
  return out;
}

/**
 * EMSA-PSS-VERIFY (§9.1.2) of the encoded message `em` (emLen = ⌈emBits/8⌉ bytes)
 * against a message digest `mHash` made by `alg`, with a salt of `sLen` bytes.
 */
export function emsaPssVerify(alg: HashAlgorithm, mHash: Uint8Array, em: Uint8Array, emBits: i32, sLen: i32): bool {
  const hLen = digestLength(alg);
  const emLen = em.length;
  if (mHash.length != hLen) return false;
  if (emLen < hLen + sLen + 2) return false; // step 3
  if (em[emLen - 1] != 0xbc) return false; // step 4
  const dbLen = emLen - hLen - 1;
  const maskedDB = em.subarray(0, dbLen); // step 5
  const h = em.subarray(dbLen, dbLen + hLen);
  const zeroBits = 8 * emLen - emBits;
  const topMask = <u8>(<i32>0xff >> zeroBits);
  if ((maskedDB[0] & ~topMask) != 0) return false; // step 6
  const db = mgf1(alg, h, dbLen); // step 7
  for (let i = 0; i < dbLen; i++) db[i] ^= maskedDB[i]; // step 8
  db[0] &= topMask; // step 9
  const padding = emLen - hLen - sLen - 2;
  for (let i = 0; i < padding; i++) {
    if (db[i] != 0) return false; // step 10
  }
  if (db[padding] != 0x01) return false;
  const hasher = newHasher(alg); // steps 11-13: H' = Hash(0x00 × 8 ‖ mHash ‖ salt)
  hasher.update(new Uint8Array(8)).update(mHash).update(db.subarray(dbLen - sLen));
  return constantTimeEqual(hasher.digest(), h); // step 14
}

/**
 * RSASSA-PSS-VERIFY (§8.1.2) of `signature` over `message` with the `alg` hash, MGF1
 * with the same hash and a salt as long as the hash: the parameters of JWS's PS256,
 * PS384 and PS512 (RFC 7518 §3.5).
 */
export function rsaPssVerify(key: RsaPublicKey, alg: HashAlgorithm, message: Uint8Array, signature: Uint8Array): bool {
  if (alg == HashAlgorithm.SHA1) return false;
  const host = hostVerifyRsa("RSASSA-PSS", key, alg, message, signature);
  if (host >= 0) return host == 1;
  const k = key.size;
  if (signature.length != k) return false; // step 1
  const m = key.verifyPrimitive(BigUint.fromBytes(signature)); // step 2: RSAVP1; null when s >= n
  if (m === null) return false;
  const emBits = key.bits - 1;
  const em = m.toBytes((emBits + 7) >> 3); // I2OSP(m, emLen): null when m does not fit
  if (em === null) return false;
  return emsaPssVerify(alg, digest(alg, message), em, emBits, digestLength(alg)); // step 3
}

// ------------------------------------------------------------------ JWK members

/** An unsigned integer from a JWK member (base64url, RFC 7518 §6.3: no padding; tolerated when exact). */
export function jwkInteger(value: string): BigUint | null {
  if (value.length == 0) return null;
  if (value.length > (RSA_MAX_BITS / 6) + 8) return null; // longer than any accepted member
  const bytes = base64UrlDecode(value, Padding.Optional);
  if (bytes === null) return null;
  return BigUint.fromBytes(bytes);
}

/** An RSA public key from the JWK members "n" and "e"; null with rsaError() when invalid. */
export function rsaPublicKeyFromJwk(n: string, e: string): RsaPublicKey | null {
  const nn = jwkInteger(n);
  if (nn === null) return fail<RsaPublicKey>("JWK member n is not base64url");
  const ee = jwkInteger(e);
  if (ee === null) return fail<RsaPublicKey>("JWK member e is not base64url");
  return RsaPublicKey.create(nn, ee);
}

/**
 * An RSA private key from the JWK members n, e, d and optionally p, q, dp, dq, qi
 * (pass "" for an absent member; all five or none); null with rsaError() when invalid.
 */
export function rsaPrivateKeyFromJwk(
  n: string, e: string, d: string, p: string = "", q: string = "", dp: string = "", dq: string = "", qi: string = "",
): RsaPrivateKey | null {
  const nn = jwkInteger(n);
  if (nn === null) return fail<RsaPrivateKey>("JWK member n is not base64url");
  const ee = jwkInteger(e);
  if (ee === null) return fail<RsaPrivateKey>("JWK member e is not base64url");
  const dd = jwkInteger(d);
  if (dd === null) return fail<RsaPrivateKey>("JWK member d is not base64url");
  const names = ["p", "q", "dp", "dq", "qi"];
  const values = [p, q, dp, dq, qi];
  const parsed = new Array<BigUint | null>(5);
  for (let i = 0; i < 5; i++) {
    if (values[i].length == 0) {
      parsed[i] = null;
      continue;
    }
    const v = jwkInteger(values[i]);
    if (v === null) return fail<RsaPrivateKey>("JWK member " + names[i] + " is not base64url");
    parsed[i] = v;
  }
  return RsaPrivateKey.create(nn, ee, dd, parsed[0], parsed[1], parsed[2], parsed[3], parsed[4]);
}
