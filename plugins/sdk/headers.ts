// Header maps: request/response headers and trailers, callout response headers.
// Names are matched case-insensitively by the host (it lower-cases them).
import {
  proxy_add_header_map_value,
  proxy_get_header_map_pairs,
  proxy_get_header_map_size,
  proxy_get_header_map_value,
  proxy_remove_header_map_value,
  proxy_replace_header_map_value,
  proxy_set_header_map_pairs,
} from "./abi";
import { clearReturnSlots, freeHostBlock, RETURN_SLOTS, returnPointer, returnSize, takeString } from "./memory";
import { MapType, Status } from "./types";

/** One header: name and value. */
export class HeaderPair {
  constructor(public name: string, public value: string) {}
}

// Names and short values go to the host from static scratch space when they are ASCII
// (nearly always): every request reads and sets headers, and a new buffer each time
// costs an allocation and its collection. The host reads them during the call.
const SCRATCH_SIZE: i32 = 256;
const NAME_SCRATCH: usize = memory.data(SCRATCH_SIZE);
const VALUE_SCRATCH: usize = memory.data(SCRATCH_SIZE);
/** The length of what utf8For wrote last. */
let utf8Length: usize = 0;

/**
 * `text` as UTF-8 for a host call: in `scratch` when it is ASCII and fits, else in a new
 * buffer (valid until the callback returns: the SDK collects garbage only then). Its
 * pointer; its length in utf8Length.
 */
function utf8For(text: string, scratch: usize): usize {
  const length = text.length;
  if (length <= SCRATCH_SIZE) {
    const from = changetype<usize>(text);
    let ascii = true;
    for (let i = 0; i < length; i++) {
      const c = <i32>load<u16>(from + (<usize>i << 1));
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      store<u8>(scratch + <usize>i, <u8>c);
    }
    if (ascii) {
      utf8Length = <usize>length;
      return scratch;
    }
  }
  const bytes = String.UTF8.encode(text);
  utf8Length = <usize>bytes.byteLength;
  return changetype<usize>(bytes);
}

/** The first value of `name` in `map`, or null when absent. */
export function getHeader(map: MapType, name: string): string | null {
  const key = utf8For(name, NAME_SCRATCH);
  clearReturnSlots();
  const status = proxy_get_header_map_value(<u32>map, key, utf8Length, RETURN_SLOTS, RETURN_SLOTS + 4);
  if (status != Status.Ok) return null;
  return takeString(returnPointer(), returnSize());
}

/** Adds a value, keeping existing ones. */
export function addHeader(map: MapType, name: string, value: string): Status {
  const key = utf8For(name, NAME_SCRATCH);
  const keyLength = utf8Length;
  const bytes = utf8For(value, VALUE_SCRATCH);
  return <Status>proxy_add_header_map_value(<u32>map, key, keyLength, bytes, utf8Length);
}

/** Replaces every value of `name` with `value` (adds it when absent). */
export function replaceHeader(map: MapType, name: string, value: string): Status {
  const key = utf8For(name, NAME_SCRATCH);
  const keyLength = utf8Length;
  const bytes = utf8For(value, VALUE_SCRATCH);
  return <Status>proxy_replace_header_map_value(<u32>map, key, keyLength, bytes, utf8Length);
}

/** Removes every value of `name`. */
export function removeHeader(map: MapType, name: string): Status {
  const key = utf8For(name, NAME_SCRATCH);
  return <Status>proxy_remove_header_map_value(<u32>map, key, utf8Length);
}

/** Every header of `map`, in order (empty when the map does not exist yet). */
export function getHeaders(map: MapType): HeaderPair[] {
  clearReturnSlots();
  const status = proxy_get_header_map_pairs(<u32>map, RETURN_SLOTS, RETURN_SLOTS + 4);
  if (status != Status.Ok) return [];
  const pointer = returnPointer();
  const size = returnSize();
  const pairs = deserializeHeaders(pointer, size);
  freeHostBlock(pointer);
  return pairs;
}

/** Replaces the whole map. */
export function setHeaders(map: MapType, pairs: HeaderPair[]): Status {
  const bytes = serializeHeaders(pairs);
  return <Status>proxy_set_header_map_pairs(<u32>map, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** The serialized size the host reports for `map` (0 when absent). */
export function headerMapSize(map: MapType): u32 {
  store<u32>(RETURN_SLOTS, 0);
  if (proxy_get_header_map_size(<u32>map, RETURN_SLOTS) != Status.Ok) return 0;
  return load<u32>(RETURN_SLOTS);
}

/**
 * The proxy-wasm wire format: u32 count, count x (u32 name size, u32 value size),
 * then each name and value followed by a NUL byte; little-endian.
 */
export function serializeHeaders(pairs: HeaderPair[]): ArrayBuffer {
  const names = new Array<ArrayBuffer>(pairs.length);
  const values = new Array<ArrayBuffer>(pairs.length);
  let size = 4 + pairs.length * 8;
  for (let i = 0; i < pairs.length; i++) {
    const name = String.UTF8.encode(pairs[i].name);
    const value = String.UTF8.encode(pairs[i].value);
    names[i] = name;
    values[i] = value;
    size += name.byteLength + value.byteLength + 2;
  }
  const buffer = new ArrayBuffer(size);
  const base = changetype<usize>(buffer);
  store<u32>(base, <u32>pairs.length);
  let lengths = base + 4;
  let data = base + 4 + <usize>pairs.length * 8;
  for (let i = 0; i < pairs.length; i++) {
    const name = names[i];
    const value = values[i];
    store<u32>(lengths, <u32>name.byteLength);
    store<u32>(lengths + 4, <u32>value.byteLength);
    lengths += 8;
    memory.copy(data, changetype<usize>(name), <usize>name.byteLength);
    data += <usize>name.byteLength;
    store<u8>(data++, 0);
    memory.copy(data, changetype<usize>(value), <usize>value.byteLength);
    data += <usize>value.byteLength;
    store<u8>(data++, 0);
  }
  return buffer;
}

/** Parses the wire format; stops at the first malformed entry instead of trapping. */
export function deserializeHeaders(pointer: usize, size: usize): HeaderPair[] {
  const pairs = new Array<HeaderPair>();
  if (pointer == 0 || size < 4) return pairs;
  const count = <usize>load<u32>(pointer);
  if (count > (size - 4) / 8) return pairs;
  const end = pointer + size;
  let lengths = pointer + 4;
  let data = pointer + 4 + count * 8;
  for (let i: usize = 0; i < count; i++) {
    const nameSize = <usize>load<u32>(lengths);
    const valueSize = <usize>load<u32>(lengths + 4);
    lengths += 8;
    if (nameSize > end - data || valueSize > end - data - nameSize || end - data - nameSize - valueSize < 2) break;
    const name = String.UTF8.decodeUnsafe(data, nameSize);
    data += nameSize + 1;
    const value = String.UTF8.decodeUnsafe(data, valueSize);
    data += valueSize + 1;
    pairs.push(new HeaderPair(name, value));
  }
  return pairs;
}

// ---- shorthands for the maps of the current stream

export function getRequestHeader(name: string): string | null {
  return getHeader(MapType.RequestHeaders, name);
}

export function addRequestHeader(name: string, value: string): Status {
  return addHeader(MapType.RequestHeaders, name, value);
}

export function replaceRequestHeader(name: string, value: string): Status {
  return replaceHeader(MapType.RequestHeaders, name, value);
}

export function removeRequestHeader(name: string): Status {
  return removeHeader(MapType.RequestHeaders, name);
}

export function getRequestHeaders(): HeaderPair[] {
  return getHeaders(MapType.RequestHeaders);
}

export function getResponseHeader(name: string): string | null {
  return getHeader(MapType.ResponseHeaders, name);
}

export function addResponseHeader(name: string, value: string): Status {
  return addHeader(MapType.ResponseHeaders, name, value);
}

export function replaceResponseHeader(name: string, value: string): Status {
  return replaceHeader(MapType.ResponseHeaders, name, value);
}

export function removeResponseHeader(name: string): Status {
  return removeHeader(MapType.ResponseHeaders, name);
}

export function getResponseHeaders(): HeaderPair[] {
  return getHeaders(MapType.ResponseHeaders);
}
