// MD5 (RFC 1321), written for this repository: for the Content-MD5 header that Higress's
// hmac-auth checks (RFC 1864), never for anything that needs collision resistance.
//
// The sine table T below is RFC 1321 §3.4's definition, T[i] = floor(2^32·|sin(i + 1)|)
// (i + 1 in radians), computed from it; the tests check the digests against RFC 1321
// §A.5's test suite and node:crypto.
import { HashAlgorithm, Hasher } from "./sha";

const T: StaticArray<u32> = [
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/** The rotation of each step: four per round (RFC 1321 §3.4). */
const S: StaticArray<u32> = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

export class Md5 extends Hasher {
  private h: StaticArray<u32> = new StaticArray<u32>(4);

  constructor() {
    super(HashAlgorithm.MD5);
    this.initState();
  }

  protected initState(): void {
    const h = this.h;
    unchecked(h[0] = 0x67452301);
    unchecked(h[1] = 0xefcdab89);
    unchecked(h[2] = 0x98badcfe);
    unchecked(h[3] = 0x10325476);
  }

  /** One 16-word block, words little-endian (§3.4). */
  protected compress(pointer: usize): void {
    const h = this.h;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    for (let i = 0; i < 64; i++) {
      let f: u32;
      let g: i32;
      const round = i >> 4;
      if (round == 0) {
        f = (b & c) | (~b & d); // F
        g = i;
      } else if (round == 1) {
        f = (b & d) | (c & ~d); // G
        g = (5 * i + 1) & 15;
      } else if (round == 2) {
        f = b ^ c ^ d; // H
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d); // I
        g = (7 * i) & 15;
      }
      const x = load<u32>(pointer + (<usize>g << 2));
      const sum = a + f + unchecked(T[i]) + x;
      a = d;
      d = c;
      c = b;
      b = b + rotl<u32>(sum, unchecked(S[(round << 2) | (i & 3)]));
    }
    unchecked(h[0] += a);
    unchecked(h[1] += b);
    unchecked(h[2] += c);
    unchecked(h[3] += d);
  }

  protected writeDigest(pointer: usize): void {
    for (let i = 0; i < 4; i++) store<u32>(pointer + (<usize>i << 2), unchecked(this.h[i]));
  }
}

/** The MD5 digest of `data` (16 bytes). */
export function md5(data: Uint8Array): Uint8Array {
  return new Md5().update(data).digest();
}
