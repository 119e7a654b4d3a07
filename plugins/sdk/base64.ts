// Base64 (RFC 4648, standard alphabet with padding), strict like Go's
// base64.StdEncoding: a wrong character, wrong padding or wrong length is refused
// (null), never a trap. CR and LF are ignored, as Go does.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function sextet(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b) return 62;
  if (c == 0x2f) return 63;
  return -1;
}

/** Decodes standard base64 with padding; null when `text` is not valid base64. */
export function base64Decode(text: string): ArrayBuffer | null {
  // drop CR/LF, keep everything else to validate
  const chars = new Array<i32>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x0d || c == 0x0a) continue;
    chars.push(c);
  }
  const n = chars.length;
  if (n % 4 != 0) return null;
  let padding = 0;
  if (n > 0 && chars[n - 1] == 0x3d) padding++;
  if (n > 1 && chars[n - 2] == 0x3d) padding++;
  const out = new ArrayBuffer(n / 4 * 3 - padding);
  const base = changetype<usize>(out);
  let at: usize = 0;
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 == n;
    const a = sextet(chars[i]);
    const b = sextet(chars[i + 1]);
    let c = sextet(chars[i + 2]);
    let d = sextet(chars[i + 3]);
    if (a < 0 || b < 0) return null;
    if (last && padding == 2) {
      if (chars[i + 2] != 0x3d || chars[i + 3] != 0x3d) return null;
      if ((b & 15) != 0) return null; // non-canonical trailing bits
      store<u8>(base + at++, <u8>((a << 2) | (b >> 4)));
      break;
    }
    if (last && padding == 1) {
      if (c < 0 || chars[i + 3] != 0x3d) return null;
      if ((c & 3) != 0) return null;
      store<u8>(base + at++, <u8>((a << 2) | (b >> 4)));
      store<u8>(base + at++, <u8>(((b & 15) << 4) | (c >> 2)));
      break;
    }
    if (c < 0 || d < 0) return null;
    store<u8>(base + at++, <u8>((a << 2) | (b >> 4)));
    store<u8>(base + at++, <u8>(((b & 15) << 4) | (c >> 2)));
    store<u8>(base + at++, <u8>(((c & 3) << 6) | d));
  }
  return out;
}

/** Decodes to a UTF-8 string; null when not valid base64. */
export function base64DecodeString(text: string): string | null {
  const bytes = base64Decode(text);
  return bytes !== null ? String.UTF8.decode(bytes) : null;
}

/** Encodes bytes as standard base64 with padding. */
export function base64Encode(bytes: ArrayBuffer): string {
  const size = bytes.byteLength;
  const base = changetype<usize>(bytes);
  const parts = new Array<string>();
  for (let i = 0; i < size; i += 3) {
    const a = <i32>load<u8>(base + <usize>i);
    const b = i + 1 < size ? <i32>load<u8>(base + <usize>i + 1) : 0;
    const c = i + 2 < size ? <i32>load<u8>(base + <usize>i + 2) : 0;
    parts.push(ALPHABET.charAt(a >> 2));
    parts.push(ALPHABET.charAt(((a & 3) << 4) | (b >> 4)));
    parts.push(i + 1 < size ? ALPHABET.charAt(((b & 15) << 2) | (c >> 6)) : "=");
    parts.push(i + 2 < size ? ALPHABET.charAt(c & 63) : "=");
  }
  return parts.join("");
}

export function base64EncodeString(text: string): string {
  return base64Encode(String.UTF8.encode(text));
}
