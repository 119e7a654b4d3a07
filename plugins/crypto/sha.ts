// SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4), written for this repository.
//
// Every hash is a Hasher: update() any number of times, then digest(), which
// finishes the hash, answers the digest and resets the hasher for reuse. The
// one-shot functions sha1(), sha256(), sha384(), sha512() and digest() wrap that.
//
// The round constants and initial values below are the ones FIPS 180-4 defines
// (§4.2.2, §4.2.3, §5.3.2–§5.3.5): the first 32 or 64 bits of the fractional parts
// of the cube roots (K) and square roots (H(0)) of the first prime numbers. They
// were computed from that definition, and the tests check the result against the
// NIST example vectors.

/** The hash functions this library implements. */
export enum HashAlgorithm {
  SHA1 = 0,
  SHA256 = 1,
  SHA384 = 2,
  SHA512 = 3,
  /** RFC 1321, for Content-MD5 only (md5.ts; not offered by newHasher, hmac or digest). */
  MD5 = 4,
}

/** Digest length in bytes of `alg`. */
export function digestLength(alg: HashAlgorithm): i32 {
  switch (alg) {
    case HashAlgorithm.SHA1: return 20;
    case HashAlgorithm.SHA256: return 32;
    case HashAlgorithm.SHA384: return 48;
    case HashAlgorithm.MD5: return 16;
    default: return 64;
  }
}

/** Block length in bytes of `alg` (64 for SHA-1 and SHA-256, 128 for SHA-384 and SHA-512). */
export function blockLength(alg: HashAlgorithm): i32 {
  return alg == HashAlgorithm.SHA384 || alg == HashAlgorithm.SHA512 ? 128 : 64;
}

/** A streaming hash (Merkle–Damgård padding shared by every SHA-1/SHA-2 function and MD5). */
export abstract class Hasher {
  readonly algorithm: HashAlgorithm;
  readonly blockSize: i32;
  readonly outputSize: i32;
  /** A partial block waiting for more input. */
  protected block: StaticArray<u8>;
  protected buffered: i32 = 0;
  /** Bytes hashed so far (the message length is limited to 2^64 - 1 bytes, far above any request). */
  protected total: u64 = 0;

  constructor(algorithm: HashAlgorithm) {
    const size = blockLength(algorithm);
    this.block = new StaticArray<u8>(size);
    this.algorithm = algorithm;
    this.blockSize = size;
    this.outputSize = digestLength(algorithm);
  }

  /** Processes one whole block at `pointer`. */
  protected abstract compress(pointer: usize): void;
  /** Sets the chaining state to the initial hash value. */
  protected abstract initState(): void;
  /** Writes the digest (outputSize bytes, big-endian words) at `pointer`. */
  protected abstract writeDigest(pointer: usize): void;

  /** Forgets everything hashed so far. */
  reset(): Hasher {
    this.initState();
    this.buffered = 0;
    this.total = 0;
    return this;
  }

  /** Hashes `length` bytes at `pointer` (memory the caller keeps alive). */
  updateRaw(pointer: usize, length: usize): Hasher {
    if (length == 0) return this;
    this.total += <u64>length;
    const size = <usize>this.blockSize;
    const block = changetype<usize>(this.block);
    if (this.buffered > 0) {
      let take = size - <usize>this.buffered;
      if (take > length) take = length;
      memory.copy(block + <usize>this.buffered, pointer, take);
      this.buffered += <i32>take;
      pointer += take;
      length -= take;
      if (<usize>this.buffered < size) return this;
      this.compress(block);
      this.buffered = 0;
    }
    while (length >= size) {
      this.compress(pointer);
      pointer += size;
      length -= size;
    }
    if (length > 0) {
      memory.copy(block, pointer, length);
      this.buffered = <i32>length;
    }
    return this;
  }

  /** Hashes `data`. */
  update(data: Uint8Array): Hasher {
    return this.updateRaw(data.dataStart, <usize>data.length);
  }

  /** Hashes the bytes of `data`. */
  updateBuffer(data: ArrayBuffer): Hasher {
    return this.updateRaw(changetype<usize>(data), <usize>data.byteLength);
  }

  /** Hashes the UTF-8 encoding of `text`. */
  updateString(text: string): Hasher {
    const bytes = String.UTF8.encode(text);
    return this.updateRaw(changetype<usize>(bytes), <usize>bytes.byteLength);
  }

  /** Finishes the hash (FIPS 180-4 §5.1 padding; RFC 1321 §3.1–3.2), answers the digest and resets. */
  digest(): Uint8Array {
    const size = <usize>this.blockSize;
    const block = changetype<usize>(this.block);
    // the length field is 64 bits for 64-byte blocks and 128 bits for 128-byte blocks
    const lengthField: usize = size == 64 ? 8 : 16;
    let at = <usize>this.buffered;
    store<u8>(block + at, 0x80);
    at++;
    if (at > size - lengthField) {
      memory.fill(block + at, 0, size - at);
      this.compress(block);
      at = 0;
    }
    memory.fill(block + at, 0, size - at);
    const bits = this.total << 3;
    // MD5 writes the bit length little-endian (RFC 1321 §3.2), FIPS 180-4 big-endian
    store<u64>(block + size - 8, this.algorithm == HashAlgorithm.MD5 ? bits : bswap<u64>(bits));
    if (lengthField == 16) store<u64>(block + size - 16, bswap<u64>(this.total >> 61));
    this.compress(block);
    const out = new Uint8Array(this.outputSize);
    this.writeDigest(out.dataStart);
    this.reset();
    return out;
  }
}

// ---------------------------------------------------------------- SHA-1 (§6.1)

export class Sha1 extends Hasher {
  private h: StaticArray<u32> = new StaticArray<u32>(5);
  private w: StaticArray<u32> = new StaticArray<u32>(80);

  constructor() {
    super(HashAlgorithm.SHA1);
    this.initState();
  }

  protected initState(): void {
    const h = this.h;
    unchecked(h[0] = 0x67452301);
    unchecked(h[1] = 0xefcdab89);
    unchecked(h[2] = 0x98badcfe);
    unchecked(h[3] = 0x10325476);
    unchecked(h[4] = 0xc3d2e1f0);
  }

  protected compress(pointer: usize): void {
    const w = changetype<usize>(this.w);
    for (let t: usize = 0; t < 16; t++) {
      store<u32>(w + (t << 2), bswap<u32>(load<u32>(pointer + (t << 2))));
    }
    for (let t: usize = 16; t < 80; t++) {
      const x = load<u32>(w + ((t - 3) << 2)) ^ load<u32>(w + ((t - 8) << 2)) ^
        load<u32>(w + ((t - 14) << 2)) ^ load<u32>(w + ((t - 16) << 2));
      store<u32>(w + (t << 2), rotl<u32>(x, 1));
    }
    const h = this.h;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    for (let t: usize = 0; t < 80; t++) {
      let f: u32;
      let k: u32;
      if (t < 20) {
        f = (b & c) | (~b & d); // Ch
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d; // Parity
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d); // Maj
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const temp = rotl<u32>(a, 5) + f + e + k + load<u32>(w + (t << 2));
      e = d;
      d = c;
      c = rotl<u32>(b, 30);
      b = a;
      a = temp;
    }
    unchecked(h[0] += a);
    unchecked(h[1] += b);
    unchecked(h[2] += c);
    unchecked(h[3] += d);
    unchecked(h[4] += e);
  }

  protected writeDigest(pointer: usize): void {
    for (let i = 0; i < 5; i++) {
      store<u32>(pointer + (<usize>i << 2), bswap<u32>(unchecked(this.h[i])));
    }
  }
}

// ---------------------------------------------------------------- SHA-256 (§6.2)

const K256: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const IV256: StaticArray<u32> = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const K512: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

const IV512: StaticArray<u64> = [
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
  0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
];

const IV384: StaticArray<u64> = [
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
  0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
];

export class Sha256 extends Hasher {
  private h: StaticArray<u32> = new StaticArray<u32>(8);
  private w: StaticArray<u32> = new StaticArray<u32>(64);

  constructor() {
    super(HashAlgorithm.SHA256);
    this.initState();
  }

  protected initState(): void {
    for (let i = 0; i < 8; i++) unchecked(this.h[i] = IV256[i]);
  }

  protected compress(pointer: usize): void {
    const w = changetype<usize>(this.w);
    const k = changetype<usize>(K256);
    for (let t: usize = 0; t < 16; t++) {
      store<u32>(w + (t << 2), bswap<u32>(load<u32>(pointer + (t << 2))));
    }
    for (let t: usize = 16; t < 64; t++) {
      const w2 = load<u32>(w + ((t - 2) << 2));
      const w15 = load<u32>(w + ((t - 15) << 2));
      const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10); // σ1
      const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3); // σ0
      store<u32>(w + (t << 2), s1 + load<u32>(w + ((t - 7) << 2)) + s0 + load<u32>(w + ((t - 16) << 2)));
    }
    const h = this.h;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    let f = unchecked(h[5]);
    let g = unchecked(h[6]);
    let hh = unchecked(h[7]);
    for (let t: usize = 0; t < 64; t++) {
      const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = hh + S1 + ch + load<u32>(k + (t << 2)) + load<u32>(w + (t << 2));
      const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = S0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    unchecked(h[0] += a);
    unchecked(h[1] += b);
    unchecked(h[2] += c);
    unchecked(h[3] += d);
    unchecked(h[4] += e);
    unchecked(h[5] += f);
    unchecked(h[6] += g);
    unchecked(h[7] += hh);
  }

  protected writeDigest(pointer: usize): void {
    for (let i = 0; i < 8; i++) {
      store<u32>(pointer + (<usize>i << 2), bswap<u32>(unchecked(this.h[i])));
    }
  }
}

// ------------------------------------------------- SHA-512 (§6.4) and SHA-384 (§6.5)

/** SHA-512, or SHA-384 (the same function with other initial values, truncated to 48 bytes). */
export class Sha512 extends Hasher {
  private h: StaticArray<u64> = new StaticArray<u64>(8);
  private w: StaticArray<u64> = new StaticArray<u64>(80);

  constructor(algorithm: HashAlgorithm = HashAlgorithm.SHA512) {
    super(algorithm == HashAlgorithm.SHA384 ? HashAlgorithm.SHA384 : HashAlgorithm.SHA512);
    this.initState();
  }

  protected initState(): void {
    const iv = this.algorithm == HashAlgorithm.SHA384 ? IV384 : IV512;
    for (let i = 0; i < 8; i++) unchecked(this.h[i] = iv[i]);
  }

  protected compress(pointer: usize): void {
    const w = changetype<usize>(this.w);
    const k = changetype<usize>(K512);
    for (let t: usize = 0; t < 16; t++) {
      store<u64>(w + (t << 3), bswap<u64>(load<u64>(pointer + (t << 3))));
    }
    for (let t: usize = 16; t < 80; t++) {
      const w2 = load<u64>(w + ((t - 2) << 3));
      const w15 = load<u64>(w + ((t - 15) << 3));
      const s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >>> 6); // σ1
      const s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >>> 7); // σ0
      store<u64>(w + (t << 3), s1 + load<u64>(w + ((t - 7) << 3)) + s0 + load<u64>(w + ((t - 16) << 3)));
    }
    const h = this.h;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    let f = unchecked(h[5]);
    let g = unchecked(h[6]);
    let hh = unchecked(h[7]);
    for (let t: usize = 0; t < 80; t++) {
      const S1 = rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41);
      const ch = (e & f) ^ (~e & g);
      const t1 = hh + S1 + ch + load<u64>(k + (t << 3)) + load<u64>(w + (t << 3));
      const S0 = rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = S0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    unchecked(h[0] += a);
    unchecked(h[1] += b);
    unchecked(h[2] += c);
    unchecked(h[3] += d);
    unchecked(h[4] += e);
    unchecked(h[5] += f);
    unchecked(h[6] += g);
    unchecked(h[7] += hh);
  }

  protected writeDigest(pointer: usize): void {
    const words = this.outputSize >> 3; // 6 for SHA-384, 8 for SHA-512
    for (let i = 0; i < words; i++) {
      store<u64>(pointer + (<usize>i << 3), bswap<u64>(unchecked(this.h[i])));
    }
  }
}

/** A new hasher for `alg`. */
export function newHasher(alg: HashAlgorithm): Hasher {
  switch (alg) {
    case HashAlgorithm.SHA1: return new Sha1();
    case HashAlgorithm.SHA256: return new Sha256();
    case HashAlgorithm.SHA384: return new Sha512(HashAlgorithm.SHA384);
    default: return new Sha512(HashAlgorithm.SHA512);
  }
}

/** The `alg` digest of `data`. */
export function digest(alg: HashAlgorithm, data: Uint8Array): Uint8Array {
  return newHasher(alg).update(data).digest();
}

export function sha1(data: Uint8Array): Uint8Array {
  return new Sha1().update(data).digest();
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Sha256().update(data).digest();
}

export function sha384(data: Uint8Array): Uint8Array {
  return new Sha512(HashAlgorithm.SHA384).update(data).digest();
}

export function sha512(data: Uint8Array): Uint8Array {
  return new Sha512(HashAlgorithm.SHA512).update(data).digest();
}
