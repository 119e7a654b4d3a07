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

// The value of an alphabet character, or -1.
function sextet(c: u32, url: bool): i32 {
  if (c - 0x41 < 26) return <i32>(c - 0x41);
  if (c - 0x61 < 26) return <i32>(c - 0x61 + 26);
  if (c - 0x30 < 10) return <i32>(c - 0x30 + 52);
  if (url) {
    if (c == 0x2d) return 62; // '-'
    if (c == 0x5f) return 63; // '_'
  } else {
    if (c == 0x2b) return 62; // '+'
    if (c == 0x2f) return 63; // '/'
  }
  return -1;
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
  const src = changetype<usize>(text) + (<usize>start << 1);
  let o: usize = 0;
  let i: usize = 0;
  const whole = <usize>(n - rest);
  while (i < whole) {
    const a = sextet(<u32>load<u16>(src + (i << 1)), url);
    const b = sextet(<u32>load<u16>(src + ((i + 1) << 1)), url);
    const c = sextet(<u32>load<u16>(src + ((i + 2) << 1)), url);
    const d = sextet(<u32>load<u16>(src + ((i + 3) << 1)), url);
    if ((a | b | c | d) < 0) return null;
    const v = (<u32>a << 18) | (<u32>b << 12) | (<u32>c << 6) | <u32>d;
    store<u8>(dst + o, <u8>(v >> 16));
    store<u8>(dst + o + 1, <u8>(v >> 8));
    store<u8>(dst + o + 2, <u8>v);
    o += 3;
    i += 4;
  }
  if (rest == 2) {
    const a = sextet(<u32>load<u16>(src + (i << 1)), url);
    const b = sextet(<u32>load<u16>(src + ((i + 1) << 1)), url);
    if ((a | b) < 0 || (b & 15) != 0) return null;
    store<u8>(dst + o, <u8>((a << 2) | (b >> 4)));
  } else if (rest == 3) {
    const a = sextet(<u32>load<u16>(src + (i << 1)), url);
    const b = sextet(<u32>load<u16>(src + ((i + 1) << 1)), url);
    const c = sextet(<u32>load<u16>(src + ((i + 2) << 1)), url);
    if ((a | b | c) < 0 || (c & 3) != 0) return null;
    store<u8>(dst + o, <u8>((a << 2) | (b >> 4)));
    store<u8>(dst + o + 1, <u8>(((b & 15) << 4) | (c >> 2)));
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
