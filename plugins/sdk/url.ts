// Request paths and query strings, as Go's net/url reads them: `+` is a space,
// `%XX` a byte; a pair with a broken escape is skipped.

export class QueryParam {
  constructor(public name: string, public value: string) {}
}

/** The path without its query string. */
export function pathWithoutQuery(path: string): string {
  const q = path.indexOf("?");
  return q < 0 ? path : path.substring(0, q);
}

/** The raw query string of a path ("" when none; a fragment is dropped). */
export function rawQuery(path: string): string {
  const q = path.indexOf("?");
  if (q < 0) return "";
  const hash = path.indexOf("#", q);
  return hash < 0 ? path.substring(q + 1) : path.substring(q + 1, hash);
}

/** Every name=value pair of the query of `path`, decoded, in order. */
export function parseQuery(path: string): QueryParam[] {
  const result = new Array<QueryParam>();
  const query = rawQuery(path);
  if (query.length == 0) return result;
  const pairs = query.split("&");
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair.length == 0) continue;
    const eq = pair.indexOf("=");
    const name = decodeQueryComponent(eq < 0 ? pair : pair.substring(0, eq));
    const value = decodeQueryComponent(eq < 0 ? "" : pair.substring(eq + 1));
    if (name === null || value === null) continue;
    result.push(new QueryParam(name, value));
  }
  return result;
}

/** Every value of query parameter `name` in `path`. */
export function queryValues(path: string, name: string): string[] {
  const all = parseQuery(path);
  const values = new Array<string>();
  for (let i = 0; i < all.length; i++) {
    if (all[i].name == name) values.push(all[i].value);
  }
  return values;
}

/** The first value of query parameter `name`, or null. */
export function queryValue(path: string, name: string): string | null {
  const values = queryValues(path, name);
  return values.length > 0 ? values[0] : null;
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Percent-decodes a query component (`+` is a space); null on a broken escape. */
export function decodeQueryComponent(text: string): string | null {
  return percentDecode(text, true);
}

/** Percent-decodes (`+` kept unless `plusIsSpace`); null on a broken escape. Bytes are UTF-8. */
export function percentDecode(text: string, plusIsSpace: bool = false): string | null {
  let simple = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x25 || (plusIsSpace && c == 0x2b)) {
      simple = false;
      break;
    }
  }
  if (simple) return text;
  const source = String.UTF8.encode(text);
  const size = source.byteLength;
  const out = new ArrayBuffer(size);
  const from = changetype<usize>(source);
  const to = changetype<usize>(out);
  let n: usize = 0;
  for (let i = 0; i < size; i++) {
    const c = <i32>load<u8>(from + <usize>i);
    if (c == 0x25) {
      if (i + 2 >= size) return null;
      const high = hexValue(<i32>load<u8>(from + <usize>i + 1));
      const low = hexValue(<i32>load<u8>(from + <usize>i + 2));
      if (high < 0 || low < 0) return null;
      store<u8>(to + n++, <u8>(high * 16 + low));
      i += 2;
    } else if (c == 0x2b && plusIsSpace) {
      store<u8>(to + n++, 0x20);
    } else {
      store<u8>(to + n++, <u8>c);
    }
  }
  return String.UTF8.decodeUnsafe(to, n);
}
