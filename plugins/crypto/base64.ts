// Base64 and base64url (RFC 4648 §4 and §5).
//
// Encoders: base64Encode (standard alphabet, padded), base64UrlEncode (URL-safe
// alphabet, unpadded by default as JOSE wants, RFC 7515 §2).
// Decoders are strict and never trap: any character outside the alphabet (also
// whitespace), a wrong length, misplaced or wrong padding, or non-zero pad bits
// (RFC 4648 §3.5, so every byte string has exactly one accepted encoding) answer
// null.

const STD: string = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: string = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Whether decoding accepts, requires or refuses trailing '=' padding. */
export enum Padding {
  /** The length must be a multiple of 4, padded with '='. */
  Required = 0,
  /** No '=' may appear. */
  Forbidden = 1,
  /** Either form; padding, when present, must be exactly right. */
  Optional = 2,
}

function encodeWith(alphabet: string, src: usize, length: i32, pad: bool): string {
  const full = length / 3;
  const rest = length - full * 3;
  let outLength = full * 4;
  if (rest > 0) outLength += pad ? 4 : rest + 1;
  const out = changetype<string>(__new(<usize>outLength << 1, idof<string>()));
  const dst = changetype<usize>(out);
  const abc = changetype<usize>(alphabet);
  let o: usize = 0;
  let i: usize = 0;
  for (let g = 0; g < full; g++) {
    const v = (<u32>load<u8>(src + i) << 16) | (<u32>load<u8>(src + i + 1) << 8) | <u32>load<u8>(src + i + 2);
    i += 3;
    store<u16>(dst + o, load<u16>(abc + (<usize>(v >> 18) << 1)));
    store<u16>(dst + o + 2, load<u16>(abc + (<usize>((v >> 12) & 63) << 1)));
    store<u16>(dst + o + 4, load<u16>(abc + (<usize>((v >> 6) & 63) << 1)));
    store<u16>(dst + o + 6, load<u16>(abc + (<usize>(v & 63) << 1)));
    o += 8;
  }
  if (rest == 1) {
    const v = <u32>load<u8>(src + i) << 16;
    store<u16>(dst + o, load<u16>(abc + (<usize>(v >> 18) << 1)));
    store<u16>(dst + o + 2, load<u16>(abc + (<usize>((v >> 12) & 63) << 1)));
    if (pad) {
      store<u16>(dst + o + 4, 0x3d);
      store<u16>(dst + o + 6, 0x3d);
    }
  } else if (rest == 2) {
    const v = (<u32>load<u8>(src + i) << 16) | (<u32>load<u8>(src + i + 1) << 8);
    store<u16>(dst + o, load<u16>(abc + (<usize>(v >> 18) << 1)));
    store<u16>(dst + o + 2, load<u16>(abc + (<usize>((v >> 12) & 63) << 1)));
    store<u16>(dst + o + 4, load<u16>(abc + (<usize>((v >> 6) & 63) << 1)));
    if (pad) store<u16>(dst + o + 6, 0x3d);
  }
  return out;
}

/** Standard base64 with padding. */
export function base64Encode(data: Uint8Array): string {
  return encodeWith(STD, data.dataStart, data.length, true);
}

/** base64url; without padding unless `pad`. */
export function base64UrlEncode(data: Uint8Array, pad: bool = false): string {
  return encodeWith(URL, data.dataStart, data.length, pad);
}

/** Standard base64 of the bytes of `data`. */
export function base64EncodeBuffer(data: ArrayBuffer): string {
  return encodeWith(STD, changetype<usize>(data), data.byteLength, true);
}

/** base64url (unpadded) of the UTF-8 bytes of `text`. */
export function base64UrlEncodeString(text: string): string {
  const bytes = String.UTF8.encode(text);
  return encodeWith(URL, changetype<usize>(bytes), bytes.byteLength, false);
}

// The value of each ASCII character in the standard and the URL alphabet, -1 for none.
// A table and i32 indices rather than range checks: Wasm's unsigned comparisons are
// slow in some hosts (Chicory on Java 17 makes each one a call).
const STANDARD_SEXTETS: usize = memory.data<i8>([
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
  -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
]);
const URL_SEXTETS: usize = memory.data<i8>([
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
  -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
]);

// The value of character `c` (0..0xffff) in the alphabet `table`, or -1.
// @ts-ignore: decorator
@inline function sextet(c: i32, table: usize): i32 {
  return c < 128 ? <i32>load<i8>(table + <usize>c) : -1;
}

function decodeWith(text: string, start: i32, end: i32, url: bool, padding: Padding): Uint8Array | null {
  if (start < 0 || end > text.length || start > end) return null;
  let n = end - start;
  // strip and check the padding
  let pads = 0;
  while (pads < 2 && n > 0 && text.charCodeAt(start + n - 1) == 0x3d) {
    n--;
    pads++;
  }
  if (pads > 0) {
    if (padding == Padding.Forbidden) return null;
    if ((n + pads) % 4 != 0) return null;
  } else if (padding == Padding.Required && n % 4 != 0) {
    return null;
  }
  const rest = n % 4;
  if (rest == 1) return null; // 6 bits cannot make a byte
  if (pads > 0 && pads != 4 - rest) return null; // "Zg=" style, or "=" after a whole group
  const outLength = (n / 4) * 3 + (rest == 0 ? 0 : rest - 1);
  const out = new Uint8Array(outLength);
  const dst = out.dataStart;
  const table = url ? URL_SEXTETS : STANDARD_SEXTETS;
  const src = changetype<usize>(text) + (<usize>start << 1);
  let o = 0;
  let i = 0;
  const whole = n - rest;
  while (i < whole) {
    const at = src + (<usize>i << 1);
    const a = sextet(<i32>load<u16>(at), table);
    const b = sextet(<i32>load<u16>(at, 2), table);
    const c = sextet(<i32>load<u16>(at, 4), table);
    const d = sextet(<i32>load<u16>(at, 6), table);
    if ((a | b | c | d) < 0) return null;
    const v = (<u32>a << 18) | (<u32>b << 12) | (<u32>c << 6) | <u32>d;
    const to = dst + <usize>o;
    store<u8>(to, <u8>(v >> 16));
    store<u8>(to, <u8>(v >> 8), 1);
    store<u8>(to, <u8>v, 2);
    o += 3;
    i += 4;
  }
  const at = src + (<usize>i << 1);
  const to = dst + <usize>o;
  if (rest == 2) {
    const a = sextet(<i32>load<u16>(at), table);
    const b = sextet(<i32>load<u16>(at, 2), table);
    if ((a | b) < 0 || (b & 15) != 0) return null;
    store<u8>(to, <u8>((a << 2) | (b >> 4)));
  } else if (rest == 3) {
    const a = sextet(<i32>load<u16>(at), table);
    const b = sextet(<i32>load<u16>(at, 2), table);
    const c = sextet(<i32>load<u16>(at, 4), table);
    if ((a | b | c) < 0 || (c & 3) != 0) return null;
    store<u8>(to, <u8>((a << 2) | (b >> 4)));
    store<u8>(to, <u8>(((b & 15) << 4) | (c >> 2)), 1);
  }
  return out;
}

/** Decodes standard base64 (padding required by default); null when `text` is not valid. */
export function base64Decode(text: string, padding: Padding = Padding.Required): Uint8Array | null {
  return decodeWith(text, 0, text.length, false, padding);
}

/** Decodes base64url (no padding by default, as JOSE); null when `text` is not valid. */
export function base64UrlDecode(text: string, padding: Padding = Padding.Forbidden): Uint8Array | null {
  return decodeWith(text, 0, text.length, true, padding);
}

/** Decodes base64url from text[start, end) without copying the substring; null when invalid. */
export function base64UrlDecodeRange(
  text: string, start: i32, end: i32, padding: Padding = Padding.Forbidden,
): Uint8Array | null {
  return decodeWith(text, start, end, true, padding);
}
