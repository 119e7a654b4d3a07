// Unsigned big integers with 32-bit limbs, just enough for RSA: conversion from and
// to big-endian bytes, compare, add, subtract, multiply, division with remainder
// (Knuth, TAOCP vol. 2, §4.3.1, Algorithm D), and modular exponentiation by
// Montgomery multiplication (Montgomery 1985; the "coarsely integrated operand
// scanning" loop) for odd moduli, with a plain square-and-multiply fallback for
// even ones.
//
// Values are immutable once built: every operation answers a new BigUint. The hot
// loop (Montgomery multiplication inside modPow) works in place on preallocated
// limb buffers and allocates nothing.
//
// Timing: the exponentiation uses a fixed 4-bit window and always multiplies, so
// its sequence of operations depends only on the exponent's length; the final
// conditional subtraction of each Montgomery product and the table look-ups are
// not constant-time. That is the usual trade-off for RSA signing at a gateway.

/** An unsigned integer: little-endian 32-bit limbs, `size` of them significant. */
export class BigUint {
  /** Limbs, least significant first; only the first `size` are meaningful. */
  readonly limbs: StaticArray<u32>;
  /** Number of significant limbs: the top one is non-zero; 0 for the value 0. */
  readonly size: i32;

  constructor(limbs: StaticArray<u32>, size: i32) {
    let s = size;
    while (s > 0 && unchecked(limbs[s - 1]) == 0) s--;
    this.limbs = limbs;
    this.size = s;
  }

  static zero(): BigUint {
    return new BigUint(new StaticArray<u32>(1), 0);
  }

  static fromU64(value: u64): BigUint {
    const limbs = new StaticArray<u32>(2);
    unchecked(limbs[0] = <u32>value);
    unchecked(limbs[1] = <u32>(value >> 32));
    return new BigUint(limbs, 2);
  }

  /** The value of big-endian `bytes` (leading zero bytes allowed). */
  static fromBytes(bytes: Uint8Array): BigUint {
    return BigUint.fromRaw(bytes.dataStart, bytes.length);
  }

  /** The value of `length` big-endian bytes at `pointer`. */
  static fromRaw(pointer: usize, length: i32): BigUint {
    const count = (length + 3) >> 2;
    const limbs = new StaticArray<u32>(count > 0 ? count : 1);
    for (let i = 0; i < length; i++) {
      // byte i from the end goes to limb i/4, shifted by 8*(i%4)
      const b = <u32>load<u8>(pointer + <usize>(length - 1 - i));
      const at = i >> 2;
      unchecked(limbs[at] = unchecked(limbs[at]) | (b << (<u32>(i & 3) << 3)));
    }
    return new BigUint(limbs, count);
  }

  get isZero(): bool {
    return this.size == 0;
  }

  get isOdd(): bool {
    return this.size > 0 && (unchecked(this.limbs[0]) & 1) != 0;
  }

  /** Limb `i`, 0 beyond the significant ones. */
  @inline limb(i: i32): u32 {
    return i < this.size ? unchecked(this.limbs[i]) : 0;
  }

  /** Number of significant bits (0 for 0). */
  bitLength(): i32 {
    if (this.size == 0) return 0;
    return (this.size << 5) - <i32>clz<u32>(unchecked(this.limbs[this.size - 1]));
  }

  /** Number of bytes of the minimal big-endian encoding (0 for 0). */
  byteLength(): i32 {
    return (this.bitLength() + 7) >> 3;
  }

  /** Bit `i` (0 = least significant). */
  bit(i: i32): u32 {
    const at = i >> 5;
    if (i < 0 || at >= this.size) return 0;
    return (unchecked(this.limbs[at]) >>> (<u32>i & 31)) & 1;
  }

  /** The low 64 bits. */
  toU64(): u64 {
    return <u64>this.limb(0) | (<u64>this.limb(1) << 32);
  }

  /** Big-endian bytes, left-padded with zeros to exactly `length`; null when the value needs more. */
  toBytes(length: i32): Uint8Array | null {
    if (length < 0 || this.byteLength() > length) return null;
    const out = new Uint8Array(length);
    const dst = out.dataStart;
    const bytes = this.size << 2;
    for (let i = 0; i < bytes && i < length; i++) {
      const b = <u8>(unchecked(this.limbs[i >> 2]) >>> (<u32>(i & 3) << 3));
      store<u8>(dst + <usize>(length - 1 - i), b);
    }
    return out;
  }

  /** Minimal big-endian bytes (one zero byte for 0). */
  toMinimalBytes(): Uint8Array {
    const n = this.byteLength();
    return changetype<Uint8Array>(this.toBytes(n > 0 ? n : 1));
  }

  /** -1, 0 or 1 as this is below, equal to or above `other`. */
  compare(other: BigUint): i32 {
    if (this.size != other.size) return this.size < other.size ? -1 : 1;
    for (let i = this.size - 1; i >= 0; i--) {
      const a = unchecked(this.limbs[i]);
      const b = unchecked(other.limbs[i]);
      if (a != b) return a < b ? -1 : 1;
    }
    return 0;
  }

  equals(other: BigUint): bool {
    return this.compare(other) == 0;
  }

  add(other: BigUint): BigUint {
    const n = max(this.size, other.size);
    const limbs = new StaticArray<u32>(n + 1);
    let carry: u64 = 0;
    for (let i = 0; i < n; i++) {
      const s = <u64>this.limb(i) + <u64>other.limb(i) + carry;
      unchecked(limbs[i] = <u32>s);
      carry = s >> 32;
    }
    unchecked(limbs[n] = <u32>carry);
    return new BigUint(limbs, n + 1);
  }

  /** this - other; null when other is larger. */
  sub(other: BigUint): BigUint | null {
    if (this.compare(other) < 0) return null;
    const n = this.size;
    const limbs = new StaticArray<u32>(n > 0 ? n : 1);
    let borrow: i64 = 0;
    for (let i = 0; i < n; i++) {
      const d = <i64>this.limb(i) - <i64>other.limb(i) - borrow;
      unchecked(limbs[i] = <u32>d);
      borrow = d < 0 ? 1 : 0;
    }
    return new BigUint(limbs, n);
  }

  mul(other: BigUint): BigUint {
    const an = this.size;
    const bn = other.size;
    if (an == 0 || bn == 0) return BigUint.zero();
    const limbs = new StaticArray<u32>(an + bn);
    const r = changetype<usize>(limbs);
    const a = changetype<usize>(this.limbs);
    const b = changetype<usize>(other.limbs);
    for (let i = 0; i < an; i++) {
      const ai = <u64>load<u32>(a + (<usize>i << 2));
      let carry: u64 = 0;
      for (let j = 0; j < bn; j++) {
        const at = r + (<usize>(i + j) << 2);
        const s = <u64>load<u32>(at) + ai * <u64>load<u32>(b + (<usize>j << 2)) + carry;
        store<u32>(at, <u32>s);
        carry = s >> 32;
      }
      store<u32>(r + (<usize>(i + bn) << 2), <u32>carry);
    }
    return new BigUint(limbs, an + bn);
  }

  /** this mod m; null when m is 0. */
  mod(m: BigUint): BigUint | null {
    const qr = divRem(this, m);
    return qr === null ? null : qr.remainder;
  }
}

/** Quotient and remainder of a division. */
export class DivRem {
  constructor(public quotient: BigUint, public remainder: BigUint) {}
}

/** u / v and u mod v (Knuth's Algorithm D); null when v is 0. */
export function divRem(u: BigUint, v: BigUint): DivRem | null {
  const n = v.size;
  if (n == 0) return null;
  if (u.compare(v) < 0) return new DivRem(BigUint.zero(), u);
  const m = u.size - n;
  const q = new StaticArray<u32>(m + 1);
  if (n == 1) {
    // short division by one limb
    const d = <u64>unchecked(v.limbs[0]);
    let rem: u64 = 0;
    for (let i = u.size - 1; i >= 0; i--) {
      const cur = (rem << 32) | <u64>unchecked(u.limbs[i]);
      unchecked(q[i] = <u32>(cur / d));
      rem = cur % d;
    }
    return new DivRem(new BigUint(q, m + 1), BigUint.fromU64(rem));
  }
  // D1: normalize so the divisor's top limb has its high bit set
  const s = <u32>clz<u32>(unchecked(v.limbs[n - 1]));
  const vn = new StaticArray<u32>(n);
  for (let i = n - 1; i > 0; i--) {
    const hi = unchecked(v.limbs[i]) << s;
    const lo = s == 0 ? 0 : unchecked(v.limbs[i - 1]) >>> (32 - s);
    unchecked(vn[i] = hi | lo);
  }
  unchecked(vn[0] = unchecked(v.limbs[0]) << s);
  const un = new StaticArray<u32>(u.size + 1);
  unchecked(un[u.size] = s == 0 ? 0 : unchecked(u.limbs[u.size - 1]) >>> (32 - s));
  for (let i = u.size - 1; i > 0; i--) {
    const hi = unchecked(u.limbs[i]) << s;
    const lo = s == 0 ? 0 : unchecked(u.limbs[i - 1]) >>> (32 - s);
    unchecked(un[i] = hi | lo);
  }
  unchecked(un[0] = unchecked(u.limbs[0]) << s);
  const vTop = <u64>unchecked(vn[n - 1]);
  const vNext = <u64>unchecked(vn[n - 2]);
  const B: u64 = 0x100000000;
  for (let j = m; j >= 0; j--) {
    // D3: estimate the quotient limb from the top two limbs, then correct it
    const num = (<u64>unchecked(un[j + n]) << 32) | <u64>unchecked(un[j + n - 1]);
    let qhat = num / vTop;
    let rhat = num % vTop;
    while (qhat >= B || qhat * vNext > ((rhat << 32) | <u64>unchecked(un[j + n - 2]))) {
      qhat--;
      rhat += vTop;
      if (rhat >= B) break;
    }
    // D4: multiply and subtract
    let carry: u64 = 0;
    let borrow: i64 = 0;
    for (let i = 0; i < n; i++) {
      const p = qhat * <u64>unchecked(vn[i]) + carry;
      carry = p >> 32;
      const t = <i64>unchecked(un[i + j]) - <i64>(p & 0xffffffff) - borrow;
      unchecked(un[i + j] = <u32>t);
      borrow = t < 0 ? 1 : 0;
    }
    const t = <i64>unchecked(un[j + n]) - <i64>carry - borrow;
    unchecked(un[j + n] = <u32>t);
    // D5, D6: the estimate was one too large (rare): add the divisor back
    if (t < 0) {
      qhat--;
      let c: u64 = 0;
      for (let i = 0; i < n; i++) {
        const sum = <u64>unchecked(un[i + j]) + <u64>unchecked(vn[i]) + c;
        unchecked(un[i + j] = <u32>sum);
        c = sum >> 32;
      }
      unchecked(un[j + n] = unchecked(un[j + n]) + <u32>c);
    }
    unchecked(q[j] = <u32>qhat);
  }
  // D8: unnormalize the remainder
  const r = new StaticArray<u32>(n);
  for (let i = 0; i < n; i++) {
    const lo = unchecked(un[i]) >>> s;
    const hi = s == 0 ? 0 : unchecked(un[i + 1]) << (32 - s);
    unchecked(r[i] = lo | hi);
  }
  return new DivRem(new BigUint(q, m + 1), new BigUint(r, n));
}

/**
 * Montgomery arithmetic modulo an odd n > 1: R = 2^(32k) for k limbs of n; values
 * in Montgomery form are x·R mod n, k limbs each.
 */
export class Montgomery {
  readonly modulus: BigUint;
  readonly k: i32;
  private n: StaticArray<u32>;
  /** -n^-1 mod 2^32. */
  private n0inv: u32;
  /** R^2 mod n, to enter Montgomery form. */
  private r2: StaticArray<u32>;
  /** Product accumulator, k + 1 limbs. */
  private t: StaticArray<u32>;
  /** A k-limb 1, to leave Montgomery form. */
  private one: StaticArray<u32>;

  /** `modulus` must be odd and above 1 (see montgomeryFor). */
  constructor(modulus: BigUint) {
    const k = modulus.size;
    const n = new StaticArray<u32>(k);
    for (let i = 0; i < k; i++) unchecked(n[i] = unchecked(modulus.limbs[i]));
    // Newton's iteration for n0^-1 mod 2^32: x = n0 is right mod 2^3 for odd n0
    // (n0·n0 ≡ 1 mod 8) and every step doubles the correct bits: 3, 6, 12, 24, 48
    const n0 = unchecked(n[0]);
    let x = n0;
    for (let i = 0; i < 4; i++) x = x * (2 - n0 * x);
    // R^2 mod n
    const r2Limbs = new StaticArray<u32>(2 * k + 1);
    unchecked(r2Limbs[2 * k] = 1);
    const r2 = changetype<BigUint>(new BigUint(r2Limbs, 2 * k + 1).mod(modulus));
    const r2k = new StaticArray<u32>(k);
    for (let i = 0; i < k; i++) unchecked(r2k[i] = r2.limb(i));
    const one = new StaticArray<u32>(k);
    unchecked(one[0] = 1);
    this.modulus = modulus;
    this.k = k;
    this.n = n;
    this.n0inv = 0 - x;
    this.r2 = r2k;
    this.t = new StaticArray<u32>(k + 1);
    this.one = one;
  }

  /** out = a·b·R^-1 mod n, for k-limb a, b < n at the given addresses; out may be a or b. */
  mulRaw(out: usize, a: usize, b: usize): void {
    const k = <usize>this.k;
    const t = changetype<usize>(this.t);
    const n = changetype<usize>(this.n);
    const n0inv = this.n0inv;
    memory.fill(t, 0, (k + 1) << 2);
    for (let i: usize = 0; i < k; i++) {
      // t = (t + a·b[i] + m·n) / 2^32 in one pass over the limbs, m chosen so the low
      // limb cancels; two carry chains (c1 for a·b[i], c2 for m·n) each stay below 2^32
      const bi = <u64>load<u32>(b + (i << 2));
      let s1 = <u64>load<u32>(t) + <u64>load<u32>(a) * bi;
      let c1 = s1 >> 32;
      // (a u32 product on purpose: it must wrap modulo 2^32)
      const low: u32 = <u32>s1;
      const m = <u64>(low * n0inv);
      let s2 = (s1 & 0xffffffff) + m * <u64>load<u32>(n);
      let c2 = s2 >> 32;
      for (let j: usize = 1; j < k; j++) {
        s1 = <u64>load<u32>(t + (j << 2)) + <u64>load<u32>(a + (j << 2)) * bi + c1;
        c1 = s1 >> 32;
        s2 = (s1 & 0xffffffff) + m * <u64>load<u32>(n + (j << 2)) + c2;
        c2 = s2 >> 32;
        store<u32>(t + ((j - 1) << 2), <u32>s2);
      }
      // t < 2n throughout: the top limb is 0 or 1
      s1 = <u64>load<u32>(t + (k << 2)) + c1 + c2;
      store<u32>(t + ((k - 1) << 2), <u32>s1);
      store<u32>(t + (k << 2), <u32>(s1 >> 32));
    }
    // t < 2n: subtract n once when t >= n
    let subtract = load<u32>(t + (k << 2)) != 0;
    if (!subtract) {
      subtract = true; // equal counts as >=
      for (let j = <isize>k - 1; j >= 0; j--) {
        const x = load<u32>(t + (<usize>j << 2));
        const y = load<u32>(n + (<usize>j << 2));
        if (x != y) {
          subtract = x > y;
          break;
        }
      }
    }
    if (subtract) {
      let borrow: i64 = 0;
      for (let j: usize = 0; j < k; j++) {
        const d = <i64>load<u32>(t + (j << 2)) - <i64>load<u32>(n + (j << 2)) - borrow;
        store<u32>(out + (j << 2), <u32>d);
        borrow = d < 0 ? 1 : 0;
      }
    } else {
      memory.copy(out, t, k << 2);
    }
  }

  /** out = a·R mod n (into Montgomery form), for a k-limb a < n; out may be a. */
  enter(out: usize, a: usize): void {
    this.mulRaw(out, a, changetype<usize>(this.r2));
  }

  /** out = a·R^-1 mod n (out of Montgomery form), for a k-limb a < n; out may be a. */
  leave(out: usize, a: usize): void {
    this.mulRaw(out, a, changetype<usize>(this.one));
  }

  /** base^exp mod n. */
  pow(base: BigUint, exp: BigUint): BigUint {
    const k = this.k;
    const bytes = <usize>k << 2;
    let b = base;
    if (b.compare(this.modulus) >= 0) b = changetype<BigUint>(b.mod(this.modulus));
    const x = new StaticArray<u32>(k);
    for (let i = 0; i < b.size; i++) unchecked(x[i] = unchecked(b.limbs[i]));
    const xp = changetype<usize>(x);
    const acc = new StaticArray<u32>(k);
    const ap = changetype<usize>(acc);
    const bits = exp.bitLength();
    // x into Montgomery form; acc = 1 in Montgomery form (R mod n)
    this.enter(xp, xp);
    this.enter(ap, changetype<usize>(this.one));
    if (bits <= 64) {
      // short (public) exponents: left-to-right binary square-and-multiply
      for (let i = bits - 1; i >= 0; i--) {
        this.mulRaw(ap, ap, ap);
        if (exp.bit(i) != 0) this.mulRaw(ap, ap, xp);
      }
    } else {
      // fixed 4-bit windows: table[w] = x^w (Montgomery form)
      const table = new StaticArray<u32>(16 * k);
      const tp = changetype<usize>(table);
      memory.copy(tp, ap, bytes);
      memory.copy(tp + bytes, xp, bytes);
      for (let w: usize = 2; w < 16; w++) {
        this.mulRaw(tp + w * bytes, tp + (w - 1) * bytes, xp);
      }
      const windows = (bits + 3) >> 2;
      for (let i = windows - 1; i >= 0; i--) {
        if (i != windows - 1) {
          this.mulRaw(ap, ap, ap);
          this.mulRaw(ap, ap, ap);
          this.mulRaw(ap, ap, ap);
          this.mulRaw(ap, ap, ap);
        }
        const w = (exp.bit(4 * i + 3) << 3) | (exp.bit(4 * i + 2) << 2) | (exp.bit(4 * i + 1) << 1) | exp.bit(4 * i);
        this.mulRaw(ap, ap, tp + <usize>w * bytes);
      }
    }
    this.leave(ap, ap);
    return new BigUint(acc, k);
  }
}

/** base^exp mod m; null when m is 0. Montgomery for odd m, square-and-multiply otherwise. */
export function modPow(base: BigUint, exp: BigUint, m: BigUint): BigUint | null {
  if (m.isZero) return null;
  if (m.size == 1 && unchecked(m.limbs[0]) == 1) return BigUint.zero();
  if (m.isOdd) return new Montgomery(m).pow(base, exp);
  let result = BigUint.fromU64(1);
  let b = changetype<BigUint>(base.mod(m));
  for (let i = exp.bitLength() - 1; i >= 0; i--) {
    result = changetype<BigUint>(result.mul(result).mod(m));
    if (exp.bit(i) != 0) result = changetype<BigUint>(result.mul(b).mod(m));
  }
  return result;
}
