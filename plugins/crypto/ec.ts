// ECDSA signature verification (FIPS 186-4 §6.4.2; SEC 1 v2 §4.1.4) on the NIST prime
// curves P-256 and P-384 (FIPS 186-4 App. D.1.2.3 and D.1.2.4, the same curves as
// SEC 2 v2 §2.4.2 secp256r1 and §2.5.1 secp384r1), and public keys from JWK members
// (RFC 7518 §6.2.1), validated as SEC 1 §3.2.2.1 asks.
//
// Field elements are k little-endian u32 limbs (k = 8 for P-256, 12 for P-384) in
// Montgomery form (x·R mod p, R = 2^(32k)), multiplied with bigint.ts's Montgomery.
// Points are in Jacobian coordinates: (X, Y, Z) stands for the affine point
// (X/Z², Y/Z³), and Z = 0 is the point at infinity. Both curves have a = −3, which
// the doubling formula uses.
//
// Verification handles only public data (the key, the message, the signature), so
// nothing here is written to run in constant time.
import { base64UrlDecode, Padding } from "./base64";
import { BigUint, Montgomery } from "./bigint";
import { fromHex } from "./bytes";
import { digest, HashAlgorithm } from "./sha";

let lastError: string = "";

/** Why the last key parse of this module failed ("" after a success). */
export function ecError(): string {
  return lastError;
}

function fail<T>(message: string): T | null {
  lastError = message;
  return null;
}

function hexInteger(text: string): BigUint {
  return BigUint.fromBytes(changetype<Uint8Array>(fromHex(text)));
}

/** The k low limbs of `value` (which must fit). */
function limbsOf(value: BigUint, k: i32): StaticArray<u32> {
  const out = new StaticArray<u32>(k);
  for (let i = 0; i < k; i++) unchecked(out[i] = value.limb(i));
  return out;
}

/** `value` (below the modulus of `field`) in Montgomery form, k limbs. */
function montgomeryForm(field: Montgomery, value: BigUint): StaticArray<u32> {
  const out = limbsOf(value, field.k);
  const at = changetype<usize>(out);
  field.enter(at, at);
  return out;
}

/** Bits of the fixed windows of the scalar multiplication. */
const WINDOW: i32 = 5;
/** Entries of a table of multiples: P, 2P, ..., (2^WINDOW − 1)P. */
const MULTIPLES: i32 = (1 << WINDOW) - 1;

/**
 * A short Weierstrass curve y² = x³ − 3x + b over the prime field of p, with a base
 * point G of prime order n and cofactor 1, and the arithmetic ECDSA verification needs.
 * One instance per curve (scratch space inside: not re-entrant, as nothing in a
 * proxy-wasm VM is).
 */
export class EcCurve {
  /** "P-256" or "P-384" (the JWK "crv" name). */
  readonly name: string;
  /** Bytes of a field element, of a JWK coordinate, and of each of r and s. */
  readonly size: i32;
  readonly p: BigUint;
  readonly n: BigUint;
  /** Limbs of a field element. */
  readonly k: i32;
  private readonly pLimbs: StaticArray<u32>;
  private readonly pMinus2: BigUint;
  private readonly nMinus2: BigUint;
  private readonly field: Montgomery;
  private readonly order: Montgomery;
  /** b and 1 in Montgomery form. */
  private readonly b: StaticArray<u32>;
  private readonly one: StaticArray<u32>;
  /** G, 2G, ..., (2^WINDOW − 1)G, affine (see multiples). */
  private gTable: StaticArray<u32> = new StaticArray<u32>(0);
  /** Four field temporaries of the point formulas. */
  private readonly tmp: StaticArray<u32>;
  /** The Jacobian accumulator of the scalar multiplication (X, Y, Z). */
  private readonly acc: StaticArray<u32>;

  constructor(name: string, size: i32, p: string, b: string, gx: string, gy: string, n: string) {
    const prime = hexInteger(p);
    const order = hexInteger(n);
    const k = prime.size;
    const field = new Montgomery(prime);
    const kb = <usize>k << 2;
    const g = new StaticArray<u32>(2 * k);
    const gp = changetype<usize>(g);
    memory.copy(gp, changetype<usize>(montgomeryForm(field, hexInteger(gx))), kb);
    memory.copy(gp + kb, changetype<usize>(montgomeryForm(field, hexInteger(gy))), kb);
    this.name = name;
    this.size = size;
    this.p = prime;
    this.n = order;
    this.k = k;
    this.pLimbs = limbsOf(prime, k);
    this.pMinus2 = changetype<BigUint>(prime.sub(BigUint.fromU64(2)));
    this.nMinus2 = changetype<BigUint>(order.sub(BigUint.fromU64(2)));
    this.field = field;
    this.order = new Montgomery(order);
    this.b = montgomeryForm(field, hexInteger(b));
    this.one = montgomeryForm(field, BigUint.fromU64(1));
    this.tmp = new StaticArray<u32>(4 * k);
    this.acc = new StaticArray<u32>(3 * k);
    this.gTable = this.multiples(gp);
  }

  /** Bytes of a field element in limbs. */
  get bytes(): usize {
    return <usize>this.k << 2;
  }

  /** `value` (below p) in Montgomery form. */
  toField(value: BigUint): StaticArray<u32> {
    return montgomeryForm(this.field, value);
  }

  private t(i: i32): usize {
    return changetype<usize>(this.tmp) + <usize>i * this.bytes;
  }

  // ---------------------------------------------------------------- field

  /** Whether the k-limb a is below p. */
  private belowP(a: usize): bool {
    const p = changetype<usize>(this.pLimbs);
    for (let j = <isize>this.k - 1; j >= 0; j--) {
      const x = load<u32>(a + (<usize>j << 2));
      const y = load<u32>(p + (<usize>j << 2));
      if (x != y) return x < y;
    }
    return false;
  }

  /** a += p (sign > 0) or a −= p (sign < 0), dropping the carry or borrow out of the top limb. */
  private addP(a: usize, sign: i32): void {
    const p = changetype<usize>(this.pLimbs);
    let carry: i64 = 0;
    for (let j: usize = 0, k = <usize>this.k; j < k; j++) {
      const at = a + (j << 2);
      const d = sign > 0
        ? <i64>load<u32>(at) + <i64>load<u32>(p + (j << 2)) + carry
        : <i64>load<u32>(at) - <i64>load<u32>(p + (j << 2)) + carry;
      store<u32>(at, <u32>d);
      carry = d >> 32; // arithmetic: 1, 0 or −1
    }
  }

  /** out = a + b mod p (a, b below p; out may be either). */
  add(out: usize, a: usize, b: usize): void {
    let carry: u64 = 0;
    for (let j: usize = 0, k = <usize>this.k; j < k; j++) {
      const s = <u64>load<u32>(a + (j << 2)) + <u64>load<u32>(b + (j << 2)) + carry;
      store<u32>(out + (j << 2), <u32>s);
      carry = s >> 32;
    }
    if (carry != 0 || !this.belowP(out)) this.addP(out, -1);
  }

  /** out = a − b mod p (a, b below p; out may be either). */
  sub(out: usize, a: usize, b: usize): void {
    let borrow: i64 = 0;
    for (let j: usize = 0, k = <usize>this.k; j < k; j++) {
      const d = <i64>load<u32>(a + (j << 2)) - <i64>load<u32>(b + (j << 2)) - borrow;
      store<u32>(out + (j << 2), <u32>d);
      borrow = d < 0 ? 1 : 0;
    }
    if (borrow != 0) this.addP(out, 1);
  }

  /** out = a·b (Montgomery form in and out; out may be a or b). */
  @inline mul(out: usize, a: usize, b: usize): void {
    this.field.mulRaw(out, a, b);
  }

  isZero(a: usize): bool {
    for (let j: usize = 0, k = <usize>this.k; j < k; j++) {
      if (load<u32>(a + (j << 2)) != 0) return false;
    }
    return true;
  }

  /** Whether two field elements are equal (both fully reduced, so limb by limb). */
  equal(a: usize, b: usize): bool {
    return memory.compare(a, b, this.bytes) == 0;
  }

  /** out = a^(p−2) = a^−1 (Fermat; 0 for 0). */
  invert(out: usize, a: usize): void {
    const e = this.pMinus2;
    const x = new StaticArray<u32>(this.k);
    const xp = changetype<usize>(x);
    memory.copy(xp, a, this.bytes);
    // the top bit of p − 2 is set: start from a
    for (let i = e.bitLength() - 2; i >= 0; i--) {
      this.mul(xp, xp, xp);
      if (e.bit(i) != 0) this.mul(xp, xp, a);
    }
    memory.copy(out, xp, this.bytes);
  }

  /** Whether the affine (x, y), Montgomery form and below p, satisfies y² = x³ − 3x + b. */
  onCurve(x: usize, y: usize): bool {
    const left = this.t(0);
    const right = this.t(1);
    const three = this.t(2);
    this.mul(left, y, y);
    this.mul(right, x, x);
    this.mul(right, right, x);
    this.add(three, x, x);
    this.add(three, three, x);
    this.sub(right, right, three);
    this.add(right, right, changetype<usize>(this.b));
    return this.equal(left, right);
  }

  // ---------------------------------------------------------------- points

  /**
   * The Jacobian point at `pt` doubled in place, for a = −3:
   * M = 3(X − Z²)(X + Z²), S = 4XY², X' = M² − 2S, Y' = M(S − X') − 8Y⁴, Z' = 2YZ.
   * The point at infinity (Z = 0) stays at infinity.
   */
  double(pt: usize): void {
    const kb = this.bytes;
    const x = pt;
    const y = pt + kb;
    const z = pt + 2 * kb;
    const m = this.t(0);
    const s = this.t(1);
    const yy = this.t(2);
    const w = this.t(3);
    this.mul(w, z, z); // Z²
    this.sub(m, x, w);
    this.add(w, x, w);
    this.mul(m, m, w);
    this.add(w, m, m);
    this.add(m, w, m); // M
    this.mul(w, y, z);
    this.add(z, w, w); // Z' = 2YZ (Y and Z are not needed any more)
    this.mul(yy, y, y); // Y²
    this.mul(s, x, yy);
    this.add(s, s, s);
    this.add(s, s, s); // S = 4XY²
    this.mul(x, m, m);
    this.sub(x, x, s);
    this.sub(x, x, s); // X' = M² − 2S
    this.mul(yy, yy, yy);
    this.add(yy, yy, yy);
    this.add(yy, yy, yy);
    this.add(yy, yy, yy); // 8Y⁴
    this.sub(w, s, x);
    this.mul(w, w, m);
    this.sub(y, w, yy); // Y' = M(S − X') − 8Y⁴
  }

  /**
   * The Jacobian point at `pt` plus the affine point (ax, ay), in place:
   * H = ax·Z² − X, R = ay·Z³ − Y, X' = R² − H³ − 2XH², Y' = R(XH² − X') − YH³,
   * Z' = ZH; P + P is a doubling and P + (−P) the point at infinity.
   */
  addAffine(pt: usize, ax: usize, ay: usize): void {
    const kb = this.bytes;
    const x = pt;
    const y = pt + kb;
    const z = pt + 2 * kb;
    if (this.isZero(z)) {
      memory.copy(x, ax, kb);
      memory.copy(y, ay, kb);
      memory.copy(z, changetype<usize>(this.one), kb);
      return;
    }
    const r = this.t(0);
    const h = this.t(1);
    const hh = this.t(2);
    const hhh = this.t(3);
    this.mul(r, z, z); // Z²
    this.mul(h, ax, r); // U2 = ax·Z²
    this.mul(r, r, z);
    this.mul(r, ay, r); // S2 = ay·Z³
    this.sub(h, h, x); // H = U2 − X
    this.sub(r, r, y); // R = S2 − Y
    if (this.isZero(h)) {
      if (this.isZero(r)) this.double(pt);
      else memory.fill(z, 0, kb);
      return;
    }
    this.mul(z, z, h); // Z' = ZH
    this.mul(hh, h, h);
    this.mul(hhh, hh, h);
    this.mul(hh, x, hh); // V = XH²
    this.mul(x, r, r);
    this.sub(x, x, hhh);
    this.sub(x, x, hh);
    this.sub(x, x, hh); // X' = R² − H³ − 2V
    this.sub(hh, hh, x);
    this.mul(hh, r, hh);
    this.mul(hhh, y, hhh);
    this.sub(y, hh, hhh); // Y' = R(V − X') − YH³
  }

  /**
   * P, 2P, ..., (2^WINDOW − 1)P of the affine point P at `pt` (x then y, Montgomery
   * form), affine, 2k limbs each: built in Jacobian coordinates, then brought to
   * affine ones with a single inversion (Montgomery's simultaneous inversion). None
   * of them is the point at infinity: P has the prime order n.
   */
  multiples(pt: usize): StaticArray<u32> {
    const kb = this.bytes;
    const k = this.k;
    const count = MULTIPLES;
    const jacobian = new StaticArray<u32>(count * 3 * k);
    const jp = changetype<usize>(jacobian);
    memory.copy(jp, pt, 2 * kb);
    memory.copy(jp + 2 * kb, changetype<usize>(this.one), kb);
    for (let i = 1; i < count; i++) {
      memory.copy(jp + <usize>i * 3 * kb, jp + <usize>(i - 1) * 3 * kb, 3 * kb);
      this.addAffine(jp + <usize>i * 3 * kb, pt, pt + kb);
    }
    // prefix[i] = Z0·Z1·...·Zi; inverse = prefix[count − 1]^−1, then peeled off from the top
    const prefix = new StaticArray<u32>(count * k);
    const pp = changetype<usize>(prefix);
    memory.copy(pp, jp + 2 * kb, kb);
    for (let i = 1; i < count; i++) {
      this.mul(pp + <usize>i * kb, pp + <usize>(i - 1) * kb, jp + <usize>i * 3 * kb + 2 * kb);
    }
    const work = new StaticArray<u32>(3 * k);
    const inverse = changetype<usize>(work);
    const zi = inverse + kb;
    const zz = inverse + 2 * kb;
    this.invert(inverse, pp + <usize>(count - 1) * kb);
    const table = new StaticArray<u32>(count * 2 * k);
    const tp = changetype<usize>(table);
    for (let i = count - 1; i >= 0; i--) {
      const p = jp + <usize>i * 3 * kb;
      if (i > 0) {
        this.mul(zi, inverse, pp + <usize>(i - 1) * kb); // 1/Zi
        this.mul(inverse, inverse, p + 2 * kb); // 1/(Z0·...·Z(i−1))
      } else {
        memory.copy(zi, inverse, kb);
      }
      const out = tp + <usize>i * 2 * kb;
      this.mul(zz, zi, zi);
      this.mul(out, p, zz); // x = X/Z²
      this.mul(zz, zz, zi);
      this.mul(out + kb, p + kb, zz); // y = Y/Z³
    }
    return table;
  }

  // ---------------------------------------------------------------- ECDSA

  /** E: the leftmost min(N, hash length) bits of `hash` as an integer (FIPS 186-4 §6.4), reduced below n. */
  hashInteger(hash: Uint8Array): BigUint {
    const nBits = this.n.bitLength();
    let e: BigUint;
    if (hash.length * 8 <= nBits) {
      e = BigUint.fromBytes(hash);
    } else {
      const take = (nBits + 7) >> 3;
      const shift = <u32>(take * 8 - nBits);
      const bytes = hash.slice(0, take);
      if (shift > 0) {
        // drop the low `shift` bits of the leftmost `take` bytes
        for (let i = take - 1; i >= 0; i--) {
          const high = i > 0 ? <u32>bytes[i - 1] << (8 - shift) : 0;
          bytes[i] = <u8>(((<u32>bytes[i]) >> shift) | high);
        }
      }
      e = BigUint.fromBytes(bytes);
    }
    // e < 2^N <= 2n: one subtraction reduces it
    if (e.compare(this.n) >= 0) e = changetype<BigUint>(e.sub(this.n));
    return e;
  }

  /**
   * Steps 4–10 of FIPS 186-4 §6.4.2 (SEC 1 §4.1.4 steps 4–8) for r, s already in
   * [1, n − 1] and Q on the curve: R = u1·G + u2·Q with fixed windows over
   * precomputed multiples of G and Q sharing their doublings, and whether R ≠ O
   * and x(R) mod n = r.
   */
  verifyScalars(key: EcPublicKey, e: BigUint, r: BigUint, s: BigUint): bool {
    const n = this.n;
    const w = this.order.pow(s, this.nMinus2); // s^−1 mod n (n is prime)
    const u1 = changetype<BigUint>(e.mul(w).mod(n));
    const u2 = changetype<BigUint>(r.mul(w).mod(n));
    const kb = this.bytes;
    const acc = changetype<usize>(this.acc);
    const z = acc + 2 * kb;
    memory.fill(z, 0, kb);
    const gTable = changetype<usize>(this.gTable);
    const qTable = changetype<usize>(key.table);
    // fixed windows of WINDOW bits from the top, u1's and u2's interleaved on shared doublings
    const windows = (max(u1.bitLength(), u2.bitLength()) + WINDOW - 1) / WINDOW;
    for (let i = windows - 1; i >= 0; i--) {
      if (!this.isZero(z)) {
        for (let j = 0; j < WINDOW; j++) this.double(acc);
      }
      const d1 = windowAt(u1, i * WINDOW);
      if (d1 != 0) {
        const entry = gTable + <usize>(d1 - 1) * 2 * kb;
        this.addAffine(acc, entry, entry + kb);
      }
      const d2 = windowAt(u2, i * WINDOW);
      if (d2 != 0) {
        const entry = qTable + <usize>(d2 - 1) * 2 * kb;
        this.addAffine(acc, entry, entry + kb);
      }
    }
    if (this.isZero(z)) return false;
    // x(R) = X/Z² is below p; x(R) mod n = r when X = c·Z² for c = r or r + n (while below p)
    const zz = this.t(0);
    this.mul(zz, z, z);
    const c = this.t(1);
    let candidate = r;
    while (candidate.compare(this.p) < 0) {
      const limbs = limbsOf(candidate, this.k);
      memory.copy(c, changetype<usize>(limbs), kb);
      this.field.enter(c, c);
      this.mul(c, c, zz);
      if (this.equal(c, acc)) return true;
      candidate = candidate.add(n);
    }
    return false;
  }
}

/** Bits at..at + WINDOW − 1 of `u`. */
function windowAt(u: BigUint, at: i32): i32 {
  let d: u32 = 0;
  for (let j = WINDOW - 1; j >= 0; j--) d = (d << 1) | u.bit(at + j);
  return <i32>d;
}

let p256: EcCurve | null = null;
let p384: EcCurve | null = null;

/** The curve of a JWK "crv" name ("P-256", "P-384"); null for any other. */
export function ecCurve(name: string): EcCurve | null {
  if (name == "P-256") {
    let c = p256;
    if (c === null) {
      // FIPS 186-4 App. D.1.2.3 (SEC 2 §2.4.2 secp256r1)
      c = new EcCurve("P-256", 32,
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
      p256 = c;
    }
    return c;
  }
  if (name == "P-384") {
    let c = p384;
    if (c === null) {
      // FIPS 186-4 App. D.1.2.4 (SEC 2 §2.5.1 secp384r1)
      c = new EcCurve("P-384", 48,
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
      p384 = c;
    }
    return c;
  }
  return null;
}

/** An EC public key Q, validated, with its multiples precomputed for verification. */
export class EcPublicKey {
  constructor(
    public readonly curve: EcCurve,
    /** Q, 2Q, ..., (2^WINDOW − 1)Q, affine, Montgomery form (Q first: x then y). */
    public readonly table: StaticArray<u32>,
  ) {}
}

/**
 * A public key from its big-endian affine coordinates, each exactly curve.size
 * bytes, validated as SEC 1 §3.2.2.1: x and y in [0, p − 1] and y² = x³ − 3x + b.
 * Q ≠ O holds for any affine coordinates ((0, 0), which some encodings use for the
 * point at infinity, is not on these curves, b ≠ 0), and nQ = O follows from the
 * cofactor 1. Null with ecError() when refused.
 */
export function ecPublicKeyFromCoordinates(curve: EcCurve, x: Uint8Array, y: Uint8Array): EcPublicKey | null {
  if (x.length != curve.size || y.length != curve.size) {
    return fail<EcPublicKey>("EC coordinates of a " + curve.name + " key must be " + curve.size.toString() + " bytes each");
  }
  const xi = BigUint.fromBytes(x);
  const yi = BigUint.fromBytes(y);
  if (xi.compare(curve.p) >= 0 || yi.compare(curve.p) >= 0) {
    return fail<EcPublicKey>("EC point coordinate is not below the field prime of " + curve.name);
  }
  const k = curve.k;
  const q = new StaticArray<u32>(2 * k);
  const qp = changetype<usize>(q);
  memory.copy(qp, changetype<usize>(curve.toField(xi)), curve.bytes);
  memory.copy(qp + curve.bytes, changetype<usize>(curve.toField(yi)), curve.bytes);
  if (!curve.onCurve(qp, qp + curve.bytes)) {
    return fail<EcPublicKey>("EC point is not on the curve " + curve.name);
  }
  lastError = "";
  return new EcPublicKey(curve, curve.multiples(qp));
}

/**
 * An EC public key from the JWK members crv, x and y (RFC 7518 §6.2.1: x and y
 * base64url, exactly the size of a field element; padding tolerated when exact).
 * Null with ecError() for an unknown curve or a refused key.
 */
export function ecPublicKeyFromJwk(crv: string, x: string, y: string): EcPublicKey | null {
  const curve = ecCurve(crv);
  if (curve === null) return fail<EcPublicKey>("curve \"" + crv + "\" is not supported");
  const size = curve.size;
  // a longer text cannot decode to size bytes: refuse it before decoding
  const longest = ((size + 2) / 3) * 4;
  const xb = x.length <= longest ? base64UrlDecode(x, Padding.Optional) : null;
  if (xb === null) return fail<EcPublicKey>("JWK member x is not base64url of " + size.toString() + " bytes");
  const yb = y.length <= longest ? base64UrlDecode(y, Padding.Optional) : null;
  if (yb === null) return fail<EcPublicKey>("JWK member y is not base64url of " + size.toString() + " bytes");
  if (xb.length != size) {
    return fail<EcPublicKey>("JWK member x must be " + size.toString() + " bytes for " + crv + ", not " + xb.length.toString());
  }
  if (yb.length != size) {
    return fail<EcPublicKey>("JWK member y must be " + size.toString() + " bytes for " + crv + ", not " + yb.length.toString());
  }
  return ecPublicKeyFromCoordinates(curve, xb, yb);
}

/**
 * ECDSA verification (FIPS 186-4 §6.4.2) of a signature given as r || s, each
 * exactly curve.size big-endian bytes (the JWS form, RFC 7518 §3.4), over a
 * message digest. False for any other length (a DER signature too), r or s outside
 * [1, n − 1], or a signature that does not verify.
 */
export function ecdsaVerifyDigest(key: EcPublicKey, hash: Uint8Array, signature: Uint8Array): bool {
  const curve = key.curve;
  const size = curve.size;
  if (signature.length != 2 * size) return false;
  const r = BigUint.fromRaw(signature.dataStart, size);
  const s = BigUint.fromRaw(signature.dataStart + <usize>size, size);
  if (r.isZero || s.isZero || r.compare(curve.n) >= 0 || s.compare(curve.n) >= 0) return false;
  return curve.verifyScalars(key, curve.hashInteger(hash), r, s);
}

/** ECDSA verification of r || s over `message` hashed with `alg` (SHA-1 is refused). */
export function ecdsaVerify(key: EcPublicKey, alg: HashAlgorithm, message: Uint8Array, signature: Uint8Array): bool {
  if (alg == HashAlgorithm.SHA1) return false;
  return ecdsaVerifyDigest(key, digest(alg, message), signature);
}
