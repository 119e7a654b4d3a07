// Small string helpers the plugins share.

/** ASCII lower case (other characters unchanged); cheaper than toLowerCase for headers. */
export function asciiLower(text: string): string {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) break;
  }
  if (i == text.length) return text;
  return text.toLowerCase();
}

/** Equal ignoring ASCII case. */
export function equalsIgnoreCase(a: string, b: string): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 0x41 && x <= 0x5a) x += 32;
    if (y >= 0x41 && y <= 0x5a) y += 32;
    if (x != y) return false;
  }
  return true;
}

/** The decimal value of an unsigned number string, or -1 when it is not one (or above 2^53). */
export function parseUnsigned(text: string): i64 {
  if (text.length == 0 || text.length > 15) return -1;
  let value: i64 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + <i64>(c - 0x30);
  }
  return value;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, as 8 hex digits: a short stable id. */
export function fnv1aHex(text: string): string {
  const bytes = String.UTF8.encode(text);
  const base = changetype<usize>(bytes);
  let hash: u32 = 0x811c9dc5;
  for (let i = 0; i < bytes.byteLength; i++) {
    hash ^= <u32>load<u8>(base + <usize>i);
    hash *= 0x01000193;
  }
  let hex = hash.toString(16);
  while (hex.length < 8) hex = "0" + hex;
  return hex;
}
