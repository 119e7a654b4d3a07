// Properties (Envoy attributes): request.path, source.address, route_name,
// cluster_name, plugin_name, ... A path is a list of segments.
import { proxy_get_property, proxy_set_property } from "./abi";
import { clearReturnSlots, RETURN_SLOTS, returnPointer, returnSize, takeBytes, takeString } from "./memory";
import { Status } from "./types";

/** Serialized path: every segment followed by a NUL byte. */
function serializePath(path: string[]): ArrayBuffer {
  const parts = new Array<ArrayBuffer>(path.length);
  let size = 0;
  for (let i = 0; i < path.length; i++) {
    const part = String.UTF8.encode(path[i]);
    parts[i] = part;
    size += part.byteLength + 1;
  }
  const buffer = new ArrayBuffer(size);
  let at = changetype<usize>(buffer);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    memory.copy(at, changetype<usize>(part), <usize>part.byteLength);
    at += <usize>part.byteLength;
    store<u8>(at++, 0);
  }
  return buffer;
}

/** The raw bytes of a property, or null when the host does not know it. */
export function getProperty(path: string[]): ArrayBuffer | null {
  const bytes = serializePath(path);
  clearReturnSlots();
  const status = proxy_get_property(changetype<usize>(bytes), <usize>bytes.byteLength, RETURN_SLOTS, RETURN_SLOTS + 4);
  if (status != Status.Ok) return null;
  return takeBytes(returnPointer(), returnSize());
}

/** A property as a UTF-8 string, or null when the host does not know it. */
export function getPropertyString(path: string[]): string | null {
  const bytes = serializePath(path);
  clearReturnSlots();
  const status = proxy_get_property(changetype<usize>(bytes), <usize>bytes.byteLength, RETURN_SLOTS, RETURN_SLOTS + 4);
  if (status != Status.Ok) return null;
  return takeString(returnPointer(), returnSize());
}

/** A little-endian integer property (response.code, source.port, ...), or `fallback`. */
export function getPropertyU64(path: string[], fallback: u64 = 0): u64 {
  const bytes = getProperty(path);
  if (bytes === null || bytes.byteLength < 8) return fallback;
  return load<u64>(changetype<usize>(bytes));
}

export function setProperty(path: string[], value: ArrayBuffer): Status {
  const bytes = serializePath(path);
  return <Status>proxy_set_property(changetype<usize>(bytes), <usize>bytes.byteLength, changetype<usize>(value),
    <usize>value.byteLength);
}

export function setPropertyString(path: string[], value: string): Status {
  return setProperty(path, String.UTF8.encode(value));
}
