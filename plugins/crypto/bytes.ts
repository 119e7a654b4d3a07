// Byte helpers: constant-time comparison, hex, UTF-8, concatenation.

/**
 * Whether `a` and `b` hold the same bytes, in time that depends only on their
 * lengths (never on where they differ). Lengths are not secret: different lengths
 * answer false at once.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  const pa = a.dataStart;
  const pb = b.dataStart;
  let diff: u32 = 0;
  for (let i: usize = 0, n = <usize>a.length; i < n; i++) {
    diff |= <u32>(load<u8>(pa + i) ^ load<u8>(pb + i));
  }
  return diff == 0;
}

/** Constant-time equality of two strings (their UTF-16 code units); different lengths answer false. */
export function constantTimeEqualStrings(a: string, b: string): bool {
  if (a.length != b.length) return false;
  const pa = changetype<usize>(a);
  const pb = changetype<usize>(b);
  let diff: u32 = 0;
  for (let i: usize = 0, n = <usize>a.length << 1; i < n; i += 2) {
    diff |= <u32>(load<u16>(pa + i) ^ load<u16>(pb + i));
  }
  return diff == 0;
}

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/** `bytes` decoded as UTF-8 (invalid sequences become U+FFFD). */
export function utf8Decode(bytes: Uint8Array): string {
  return String.UTF8.decodeUnsafe(bytes.dataStart, <usize>bytes.length);
}

const HEX = "0123456789abcdef";

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = <i32>unchecked(bytes[i]);
    parts[i] = HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  out = parts.join("");
  return out;
}

function nibble(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Bytes of a hex string (either case); null when it is not an even number of hex digits. */
export function fromHex(text: string): Uint8Array | null {
  if ((text.length & 1) != 0) return null;
  const out = new Uint8Array(text.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    unchecked(out[i] = <u8>((hi << 4) | lo));
  }
  return out;
}

/** `a` followed by `b`. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  memory.copy(out.dataStart, a.dataStart, <usize>a.length);
  memory.copy(out.dataStart + <usize>a.length, b.dataStart, <usize>b.length);
  return out;
}
