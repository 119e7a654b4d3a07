// The string Higress's hmac-auth signs (Alibaba Cloud API gateway's scheme), as bytes:
//
//   HTTPMethod "\n" Accept "\n" Content-MD5 "\n" Content-Type "\n" Date "\n"
//   Headers                      one "name:value\n" per X-Ca-Signature-Headers entry
//   PathAndParameters            path, then "?" and the parameters, when there are any
//
// Headers: the names of X-Ca-Signature-Headers (split at ",", lower-cased), without
// x-ca-signature, x-ca-signature-headers and the five headers above, sorted; a header
// the request lacks signs as "name:". Parameters: those of the query and, for a form
// body, of the body, percent-decoded, sorted by name, the first value of a name
// kept (a query parameter before a body one), each "name=value" joined by "&".
import { getRequestHeader } from "../../../sdk";

/** A growable byte string. */
export class Bytes {
  data: Uint8Array = new Uint8Array(256);
  length: i32 = 0;

  private reserve(extra: i32): void {
    if (this.length + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  byte(value: i32): Bytes {
    this.reserve(1);
    this.data[this.length++] = <u8>value;
    return this;
  }

  bytes(value: Uint8Array): Bytes {
    this.reserve(value.length);
    this.data.set(value, this.length);
    this.length += value.length;
    return this;
  }

  text(value: string): Bytes {
    return this.bytes(Uint8Array.wrap(String.UTF8.encode(value)));
  }

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}

/** The headers signed by their values in the fixed lines (and :method), never as a Headers line. */
const FIXED = [":method", "accept", "content-md5", "content-type", "date"];

function header(name: string): string {
  const value = getRequestHeader(name);
  return value !== null ? value : "";
}

/** The part before PathAndParameters: the five fixed lines and the Headers lines. */
export function signedHeaderLines(): Bytes {
  const out = new Bytes();
  for (let i = 0; i < FIXED.length; i++) out.text(header(FIXED[i])).byte(0x0a);
  const list = header("x-ca-signature-headers");
  const names = new Array<string>();
  if (list.length > 0) {
    const parts = list.split(",");
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i].toLowerCase();
      // an empty entry (no or a trailing comma) signs nothing (see README: Higress signs "name:" for it)
      if (name.length == 0 || name == "x-ca-signature" || name == "x-ca-signature-headers" || FIXED.includes(name)) {
        continue;
      }
      names.push(name);
    }
  }
  names.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < names.length; i++) out.text(names[i]).byte(0x3a).text(header(names[i])).byte(0x0a);
  return out;
}

/** One parameter, name and value percent-decoded (bytes). */
export class Param {
  constructor(public name: Uint8Array, public value: Uint8Array) {}
}

function hexValue(c: u8): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** `%XY` decoded (a `%` without two hex digits stays as it is; `+` stays `+`, as Higress). */
function percentDecode(data: Uint8Array, start: i32, end: i32): Uint8Array {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c == 0x25 && i + 2 < end) {
      const hi = hexValue(data[i + 1]);
      const lo = hexValue(data[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[n++] = <u8>((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    out[n++] = c;
  }
  return out.subarray(0, n);
}

function compareBytes(a: Uint8Array, b: Uint8Array): i32 {
  const n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] != b[i]) return <i32>a[i] - <i32>b[i];
  }
  return a.length - b.length;
}

function find(params: Param[], name: Uint8Array): bool {
  for (let i = 0; i < params.length; i++) {
    if (compareBytes(params[i].name, name) == 0) return true;
  }
  return false;
}

/**
 * Adds the `&`-separated parameters of data[start..] to `params`, names and values
 * percent-decoded; a name already there keeps its first value. A parameter without
 * `=` has an empty value; an empty one (`&&`) is the empty name.
 */
export function addParams(params: Param[], data: Uint8Array, start: i32): void {
  while (start < data.length) {
    let end = start;
    while (end < data.length && data[end] != 0x26) end++;
    let equal = start;
    while (equal < end && data[equal] != 0x3d) equal++;
    const name = percentDecode(data, start, equal);
    const value = equal < end ? percentDecode(data, equal + 1, end) : new Uint8Array(0);
    if (!find(params, name)) params.push(new Param(name, value));
    start = end + 1;
  }
}

/** The path (bytes of :path up to "?"), and the query's parameters added to `params`. */
export function pathAndQuery(path: Uint8Array, params: Param[]): Uint8Array {
  let question = 0;
  while (question < path.length && path[question] != 0x3f) question++;
  if (question < path.length) addParams(params, path, question + 1);
  return path.subarray(0, question);
}

/** Appends PathAndParameters: the path, then "?name=value&..." sorted by name when there are any. */
export function appendPathAndParameters(out: Bytes, path: Uint8Array, params: Param[]): void {
  out.bytes(path);
  if (params.length == 0) return;
  params.sort((a: Param, b: Param): i32 => compareBytes(a.name, b.name));
  for (let i = 0; i < params.length; i++) {
    out.byte(i == 0 ? 0x3f : 0x26);
    // Higress writes "name=" for an empty value (its docs say "name"): clients that work with it sign so
    out.bytes(params[i].name).byte(0x3d).bytes(params[i].value);
  }
}
