// Ed25519 signature verification (RFC 8032 §5.1; FIPS 186-5 §7, EdDSA), written for this
// repository from the RFC, and public keys from JWK members (RFC 8037 §2: kty "OKP",
// crv "Ed25519", x the 32-byte encoded point).
//
// The curve is the twisted Edwards curve −x² + y² = 1 + d·x²·y² over GF(p),
// p = 2^255 − 19, d = −121665/121666, with the base point B whose y is 4/5 and whose
// x is even, of prime order L = 2^252 + 27742317777372353535851937790883648493 (§5.1).
// Field elements are 8 little-endian u32 limbs, always fully reduced (below p), so
// their limbs are also their 32-byte little-endian encoding; products are the unrolled
// ones of ec-field.ts. Points are in extended coordinates (X, Y, Z, T), x = X/Z,
// y = Y/Z, x·y = T/Z, with the addition and doubling formulas of §5.1.4, which are
// complete: no special case for the neutral element or for doubling.
//
// Verification (§5.1.7) computes [S]B − [k]A with fixed 5-bit windows over precomputed
// multiples of B (once per VM) and of −A (once per key), sharing the doublings, and
// compares the encoding of the result with R: that is the check [S]B = R + [k]A of
// §5.1.7 step 3 (the cofactorless equation, as the RFC allows), and it refuses an R
// that is not the canonical encoding of a point. It handles public data only, so
// nothing here is written to run in constant time.
import { BigUint } from "./bigint";
import { fromHex } from "./bytes";
import { mul25519, sqr25519 } from "./ec-field";
import { HostArguments, hostVerify, hostVerifyAvailable } from "./host";
import { HashAlgorithm, Sha512 } from "./sha";

/** Bytes of a field element, of an encoded point and of each half of a signature. */
const SIZE: i32 = 32;
const FE: usize = 32;
/** Bits of the fixed windows of the scalar multiplication, and table entries (P..31P). */
const WINDOW: i32 = 5;
const MULTIPLES: i32 = (1 << WINDOW) - 1;
/** A point in extended coordinates: X, Y, Z, T. */
const POINT: usize = 4 * FE;

// p = 2^255 − 19 as limbs
const P: StaticArray<u32> = [0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff];

function mul(out: usize, a: usize, b: usize): void {
  if (a == b) sqr25519(out, a);
  else mul25519(out, a, b);
}

/** out = a + b mod p (a, b below p, so the sum is below 2^256; out may be either). */
function add(out: usize, a: usize, b: usize): void {
  let carry: i64 = 0;
  for (let j: usize = 0; j < FE; j += 4) {
    const s = <i64>load<u32>(a + j) + <i64>load<u32>(b + j) + carry;
    store<u32>(out + j, <u32>s);
    carry = s >> 32;
  }
  reduceOnce(out);
}

/** Subtracts p from `a` (below 2p) when a ≥ p: a ≥ p exactly when a + 19 reaches 2^255. */
function reduceOnce(a: usize): void {
  if (load<u32>(a + 28) < 0x7fffffff) return; // below 2^255 − 2^224: below p
  let carry: i64 = 19;
  const w = changetype<usize>(scratch);
  for (let j: usize = 0; j < FE; j += 4) {
    const s = <i64>load<u32>(a + j) + carry;
    store<u32>(w + j, <u32>s);
    carry = s >> 32;
  }
  const top = load<u32>(w + 28);
  if ((top >> 31) == 0) return;
  store<u32>(w + 28, top & 0x7fffffff);
  memory.copy(a, w, FE);
}

/** out = a − b mod p (a, b below p; out may be either). */
function sub(out: usize, a: usize, b: usize): void {
  let borrow: i64 = 0;
  for (let j: usize = 0; j < FE; j += 4) {
    const d = <i64>load<u32>(a + j) - <i64>load<u32>(b + j) - borrow;
    store<u32>(out + j, <u32>d);
    borrow = d < 0 ? 1 : 0;
  }
  if (borrow != 0) {
    let carry: i64 = 0;
    const p = changetype<usize>(P);
    for (let j: usize = 0; j < FE; j += 4) {
      const s = <i64>load<u32>(out + j) + <i64>load<u32>(p + j) + carry;
      store<u32>(out + j, <u32>s);
      carry = s >> 32;
    }
  }
}

function equal(a: usize, b: usize): bool {
  return memory.compare(a, b, FE) == 0;
}

function isZero(a: usize): bool {
  for (let j: usize = 0; j < FE; j += 4) {
    if (load<u32>(a + j) != 0) return false;
  }
  return true;
}

function setSmall(out: usize, value: u32): void {
  memory.fill(out, 0, FE);
  store<u32>(out, value);
}

/** Whether the 32 little-endian bytes at `a` (bit 255 clear) are below p. */
function belowP(a: usize): bool {
  const p = changetype<usize>(P);
  for (let j = 7; j >= 0; j--) {
    const x = <i64>load<u32>(a + (<usize>j << 2));
    const y = <i64>load<u32>(p + (<usize>j << 2));
    if (x != y) return x < y;
  }
  return false;
}

/** out = a^(2^n) (n ≥ 1). */
function squareTimes(out: usize, a: usize, n: i32): void {
  sqr25519(out, a);
  for (let i = 1; i < n; i++) sqr25519(out, out);
}

/**
 * a^(2^250 − 1) into `z250` and a^11 into `z11`, by the addition chain
 * 2, 8, 9, 11, 2^5 − 1, 2^10 − 1, 2^20 − 1, 2^40 − 1, 2^50 − 1, 2^100 − 1, 2^200 − 1,
 * 2^250 − 1: the common part of a^(p − 2) and a^((p − 5)/8).
 */
function pow250(z250: usize, z11: usize, a: usize): void {
  const t = changetype<usize>(chain);
  const z2 = t;
  const z9 = t + FE;
  const z5 = t + 2 * FE; // a^(2^5 − 1), later reused
  const z10 = t + 3 * FE;
  const z50 = t + 4 * FE;
  const w = t + 5 * FE;
  sqr25519(z2, a); // 2
  squareTimes(w, z2, 2); // 8
  mul25519(z9, w, a); // 9
  mul25519(z11, z9, z2); // 11
  sqr25519(w, z11); // 22
  mul25519(z5, w, z9); // 31 = 2^5 − 1
  squareTimes(w, z5, 5);
  mul25519(z10, w, z5); // 2^10 − 1
  squareTimes(w, z10, 10);
  mul25519(z5, w, z10); // 2^20 − 1
  squareTimes(w, z5, 20);
  mul25519(w, w, z5); // 2^40 − 1
  squareTimes(w, w, 10);
  mul25519(z50, w, z10); // 2^50 − 1
  squareTimes(w, z50, 50);
  mul25519(z5, w, z50); // 2^100 − 1
  squareTimes(w, z5, 100);
  mul25519(w, w, z5); // 2^200 − 1
  squareTimes(w, w, 50);
  mul25519(z250, w, z50); // 2^250 − 1
}

/** out = a^(p − 2) = a^−1 (p − 2 = 2^255 − 21 = (2^250 − 1)·2^5 + 11). */
function invert(out: usize, a: usize): void {
  const z250 = changetype<usize>(powOut);
  const z11 = z250 + FE;
  pow250(z250, z11, a);
  squareTimes(z250, z250, 5);
  mul25519(out, z250, z11);
}

/** out = a^((p − 5)/8) (= 2^252 − 3 = (2^250 − 1)·4 + 1), for square roots (§5.1.3). */
function pow2523(out: usize, a: usize): void {
  const z250 = changetype<usize>(powOut);
  const z11 = z250 + FE;
  pow250(z250, z11, a);
  squareTimes(z250, z250, 2);
  mul25519(out, z250, a);
}

// scratch space (a VM runs one call at a time)
const scratch = new StaticArray<u32>(8);
const chain = new StaticArray<u32>(6 * 8);
const powOut = new StaticArray<u32>(2 * 8);
const tmp = new StaticArray<u32>(8 * 8);

function t(i: i32): usize {
  return changetype<usize>(tmp) + <usize>i * FE;
}

/** The constants of §5.1: d, 2d, sqrt(−1) = 2^((p − 1)/4), and B's table; built once. */
class Constants {
  d: StaticArray<u32> = new StaticArray<u32>(8);
  d2: StaticArray<u32> = new StaticArray<u32>(8);
  sqrtMinusOne: StaticArray<u32> = new StaticArray<u32>(8);
  baseTable: StaticArray<u32> = new StaticArray<u32>(0);
}

let constants: Constants | null = null;

function fieldOf(value: i64): StaticArray<u32> {
  const out = new StaticArray<u32>(8);
  const o = changetype<usize>(out);
  if (value >= 0) {
    setSmall(o, <u32>value);
  } else {
    const v = new StaticArray<u32>(8);
    setSmall(changetype<usize>(v), <u32>(-value));
    const zero = new StaticArray<u32>(8);
    sub(o, changetype<usize>(zero), changetype<usize>(v));
  }
  return out;
}

function curve(): Constants {
  let c = constants;
  if (c !== null) return c;
  c = new Constants();
  constants = c;
  const d = changetype<usize>(c.d);
  invert(d, changetype<usize>(fieldOf(121666)));
  mul25519(d, d, changetype<usize>(fieldOf(-121665)));
  add(changetype<usize>(c.d2), d, d);
  // sqrt(−1) = 2^((p − 1)/4), (p − 1)/4 = 2^253 − 5: square-and-multiply over its bits
  const r = changetype<usize>(c.sqrtMinusOne);
  const two = fieldOf(2);
  setSmall(r, 1);
  for (let bit = 252; bit >= 0; bit--) {
    sqr25519(r, r);
    // 2^253 − 5 = 1…1011 in binary: every bit set but bit 2
    if (bit != 2) mul25519(r, r, changetype<usize>(two));
  }
  // B: y = 4/5, x even (§5.1); its encoding is 0x58 followed by 31 bytes 0x66, little-endian
  const encoded = new StaticArray<u8>(SIZE);
  memory.fill(changetype<usize>(encoded), 0x66, FE);
  store<u8>(changetype<usize>(encoded), 0x58);
  const base = new StaticArray<u32>(16);
  decodePoint(changetype<usize>(base), changetype<usize>(encoded), c);
  c.baseTable = multiples(changetype<usize>(base), changetype<usize>(base) + FE, false, c);
  return c;
}

/**
 * Decodes a 32-byte point encoding (§5.1.3) into affine (x, y) at `out`: y from the
 * low 255 bits (refused unless below p), x the root of x² = (y² − 1)/(d·y² + 1)
 * with the parity of bit 255 (refused when there is none, or when x = 0 and the bit
 * is set). False when refused.
 */
function decodePoint(out: usize, encoded: usize, c: Constants): bool {
  const x = out;
  const y = out + FE;
  memory.copy(y, encoded, FE);
  const sign = load<u8>(y + 31) >> 7;
  store<u8>(y + 31, load<u8>(y + 31) & 0x7f);
  if (!belowP(y)) return false;
  const u = t(0);
  const v = t(1);
  const v3 = t(2);
  const w = t(3);
  const one = t(4);
  setSmall(one, 1);
  sqr25519(u, y);
  mul25519(v, u, changetype<usize>(c.d));
  sub(u, u, one); // u = y² − 1
  add(v, v, one); // v = d·y² + 1
  // x = u·v³·(u·v⁷)^((p − 5)/8)
  sqr25519(v3, v);
  mul25519(v3, v3, v); // v³
  sqr25519(w, v3);
  mul25519(w, w, v); // v⁷
  mul25519(w, w, u); // u·v⁷
  pow2523(w, w);
  mul25519(w, w, v3);
  mul25519(x, w, u);
  // check v·x² against u and −u
  sqr25519(w, x);
  mul25519(w, w, v);
  if (!equal(w, u)) {
    sub(w, changetype<usize>(zeroField), w); // −v·x²
    if (!equal(w, u)) return false;
    mul25519(x, x, changetype<usize>(c.sqrtMinusOne));
  }
  if (isZero(x)) return sign == 0;
  if ((load<u32>(x) & 1) != sign) sub(x, changetype<usize>(zeroField), x);
  return true;
}

const zeroField = new StaticArray<u32>(8);

/**
 * P, 2P, ..., 31P of the affine point (x, y) (or of −P, with `negate`), each in the
 * form the addition takes (Y − X, Y + X, 2d·T, 2Z): 4 field elements.
 */
function multiples(x: usize, y: usize, negate: bool, c: Constants): StaticArray<u32> {
  const first = new StaticArray<u32>(32);
  const p = changetype<usize>(first);
  if (negate) sub(p, changetype<usize>(zeroField), x);
  else memory.copy(p, x, FE);
  memory.copy(p + FE, y, FE);
  setSmall(p + 2 * FE, 1);
  mul25519(p + 3 * FE, p, p + FE); // T = x·y
  const table = new StaticArray<u32>(MULTIPLES * 32);
  const tp = changetype<usize>(table);
  toCached(tp, p, c);
  const acc = new StaticArray<u32>(32);
  const a = changetype<usize>(acc);
  memory.copy(a, p, POINT);
  for (let i = 1; i < MULTIPLES; i++) {
    addCached(a, tp);
    toCached(tp + <usize>i * POINT, a, c);
  }
  return table;
}

/** The extended point at `pt` in the cached form (Y − X, Y + X, 2d·T, 2Z) at `out`. */
function toCached(out: usize, pt: usize, c: Constants): void {
  sub(out, pt + FE, pt);
  add(out + FE, pt + FE, pt);
  mul25519(out + 2 * FE, pt + 3 * FE, changetype<usize>(c.d2));
  add(out + 3 * FE, pt + 2 * FE, pt + 2 * FE);
}

/** The extended point at `pt` plus the cached point at `q`, in place (§5.1.4, addition). */
function addCached(pt: usize, q: usize): void {
  const x = pt;
  const y = pt + FE;
  const z = pt + 2 * FE;
  const tt = pt + 3 * FE;
  const a = t(0);
  const b = t(1);
  const cc = t(2);
  const d = t(3);
  sub(a, y, x);
  mul25519(a, a, q); // A = (Y1 − X1)(Y2 − X2)
  add(b, y, x);
  mul25519(b, b, q + FE); // B = (Y1 + X1)(Y2 + X2)
  mul25519(cc, tt, q + 2 * FE); // C = T1·2d·T2
  mul25519(d, z, q + 3 * FE); // D = Z1·2Z2
  const e = t(4);
  const f = t(5);
  const g = t(6);
  const h = t(7);
  sub(e, b, a);
  sub(f, d, cc);
  add(g, d, cc);
  add(h, b, a);
  mul25519(x, e, f);
  mul25519(y, g, h);
  mul25519(tt, e, h);
  mul25519(z, f, g);
}

/** The extended point at `pt` doubled in place (§5.1.4, doubling). */
function double(pt: usize): void {
  const x = pt;
  const y = pt + FE;
  const z = pt + 2 * FE;
  const tt = pt + 3 * FE;
  const a = t(0);
  const b = t(1);
  const cc = t(2);
  const h = t(3);
  const e = t(4);
  const g = t(5);
  const f = t(6);
  sqr25519(a, x);
  sqr25519(b, y);
  sqr25519(cc, z);
  add(cc, cc, cc); // C = 2Z1²
  add(h, a, b); // H = A + B
  add(e, x, y);
  sqr25519(e, e);
  sub(e, h, e); // E = H − (X1 + Y1)²
  sub(g, a, b); // G = A − B
  add(f, cc, g); // F = C + G
  mul25519(x, e, f);
  mul25519(y, g, h);
  mul25519(tt, e, h);
  mul25519(z, f, g);
}

/** Bits at..at + WINDOW − 1 of `u`. */
function windowAt(u: BigUint, at: i32): i32 {
  let d: u32 = 0;
  for (let j = WINDOW - 1; j >= 0; j--) d = (d << 1) | u.bit(at + j);
  return <i32>d;
}

/** L, the order of B. */
const ORDER_HEX = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";
let order: BigUint | null = null;

function groupOrder(): BigUint {
  let l = order;
  if (l === null) {
    l = BigUint.fromBytes(changetype<Uint8Array>(fromHex(ORDER_HEX)));
    order = l;
  }
  return l;
}

/** A little-endian integer of `length` bytes at `pointer`. */
function littleEndian(pointer: usize, length: i32): BigUint {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = load<u8>(pointer + <usize>(length - 1 - i));
  return BigUint.fromBytes(bytes);
}

/** An Ed25519 public key A: its encoding, and the multiples of −A for verification. */
export class Ed25519PublicKey {
  constructor(
    /** The 32-byte encoding (hashed into k). */
    public readonly encoded: Uint8Array,
    public readonly negatedTable: StaticArray<u32>,
  ) {}
}

/** A public key from its 32-byte encoding; null when it is not a point of the curve (§5.1.3). */
export function ed25519PublicKey(encoded: Uint8Array): Ed25519PublicKey | null {
  if (encoded.length != SIZE) return null;
  const c = curve();
  const point = new StaticArray<u32>(16);
  const p = changetype<usize>(point);
  if (!decodePoint(p, encoded.dataStart, c)) return null;
  return new Ed25519PublicKey(encoded.slice(), multiples(p, p + FE, true, c));
}

/**
 * Ed25519 verification (§5.1.7) of a 64-byte signature R ‖ S over `message`: S must be
 * below L, and [S]B − [k]A, k = SHA-512(R ‖ A ‖ message) mod L, must encode to R.
 */
export function ed25519Verify(key: Ed25519PublicKey, message: Uint8Array, signature: Uint8Array): bool {
  if (signature.length != 2 * SIZE) return false;
  if (hostVerifyAvailable()) {
    const host = hostVerify(new HostArguments(160 + message.length).addText("Ed25519").addText("").add(key.encoded), message, signature);
    if (host >= 0) return host == 1;
  }
  const l = groupOrder();
  const s = littleEndian(signature.dataStart + <usize>SIZE, SIZE);
  if (s.compare(l) >= 0) return false;
  const hash = new Sha512(HashAlgorithm.SHA512);
  hash.updateRaw(signature.dataStart, <usize>SIZE);
  hash.update(key.encoded);
  hash.update(message);
  const digest = hash.digest();
  const k = littleEndian(digest.dataStart, digest.length).mod(l);
  if (k === null) return false;
  const c = curve();
  // acc = the neutral element (0, 1, 1, 0)
  const acc = changetype<usize>(accumulator);
  memory.fill(acc, 0, POINT);
  store<u32>(acc + FE, 1);
  store<u32>(acc + 2 * FE, 1);
  const baseTable = changetype<usize>(c.baseTable);
  const keyTable = changetype<usize>(key.negatedTable);
  const windows = (max(s.bitLength(), k.bitLength()) + WINDOW - 1) / WINDOW;
  let started = false;
  for (let i = windows - 1; i >= 0; i--) {
    if (started) {
      for (let j = 0; j < WINDOW; j++) double(acc);
    }
    const d1 = windowAt(s, i * WINDOW);
    if (d1 != 0) {
      addCached(acc, baseTable + <usize>(d1 - 1) * POINT);
      started = true;
    }
    const d2 = windowAt(k, i * WINDOW);
    if (d2 != 0) {
      addCached(acc, keyTable + <usize>(d2 - 1) * POINT);
      started = true;
    }
  }
  // encode: y = Y/Z with the parity of x = X/Z in bit 255
  const zi = changetype<usize>(encodeWork);
  const x = zi + FE;
  const y = zi + 2 * FE;
  invert(zi, acc + 2 * FE);
  mul25519(x, acc, zi);
  mul25519(y, acc + FE, zi);
  store<u8>(y + 31, load<u8>(y + 31) | (<u8>(load<u32>(x) & 1) << 7));
  return memory.compare(y, signature.dataStart, FE) == 0;
}

const accumulator = new StaticArray<u32>(32);
const encodeWork = new StaticArray<u32>(24);

/** a·b mod p, or a² when `square`, of 32-byte little-endian field elements below p (for the tests). */
export function ed25519FieldProduct(a: Uint8Array, b: Uint8Array, square: bool): Uint8Array {
  const out = new Uint8Array(SIZE);
  const x = new StaticArray<u32>(8);
  const y = new StaticArray<u32>(8);
  memory.copy(changetype<usize>(x), a.dataStart, FE);
  memory.copy(changetype<usize>(y), b.dataStart, FE);
  mul(out.dataStart, changetype<usize>(x), square ? changetype<usize>(x) : changetype<usize>(y));
  return out;
}
