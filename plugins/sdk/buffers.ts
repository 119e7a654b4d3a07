// Buffers: request/response bodies, the plugin and VM configuration, callout and
// Redis replies.
import { proxy_get_buffer_bytes, proxy_get_buffer_status, proxy_set_buffer_bytes } from "./abi";
import { clearReturnSlots, RETURN_SLOTS, returnPointer, returnSize, takeBytes, takeString } from "./memory";
import { BufferType, Status } from "./types";

/** Up to `maxSize` bytes from `start`, or null when the buffer does not exist now. */
export function getBufferBytes(type: BufferType, start: u32 = 0, maxSize: u32 = u32.MAX_VALUE): ArrayBuffer | null {
  clearReturnSlots();
  const status = proxy_get_buffer_bytes(<u32>type, start, maxSize, RETURN_SLOTS, RETURN_SLOTS + 4);
  if (status != Status.Ok) return null;
  return takeBytes(returnPointer(), returnSize());
}

/** Like getBufferBytes, decoded as UTF-8. */
export function getBufferString(type: BufferType, start: u32 = 0, maxSize: u32 = u32.MAX_VALUE): string | null {
  clearReturnSlots();
  const status = proxy_get_buffer_bytes(<u32>type, start, maxSize, RETURN_SLOTS, RETURN_SLOTS + 4);
  if (status != Status.Ok) return null;
  return takeString(returnPointer(), returnSize());
}

/**
 * Calls `visitor.visit` with the raw bytes of `type` in chunks of at most `chunkSize`
 * bytes (each chunk freed after the visit), so a large body is never held whole.
 * Consecutive chunks share `overlap` bytes, so a pattern shorter than overlap + 1
 * bytes is always seen whole in some chunk. Stops early when visit returns false.
 * Returns false when the buffer does not exist.
 */
export function visitBuffer(type: BufferType, size: u32, chunkSize: u32, visitor: BufferVisitor, overlap: u32 = 0): bool {
  if (overlap >= chunkSize) chunkSize = overlap + 1;
  let start: u32 = 0;
  while (start < size) {
    const want = min(chunkSize, size - start);
    clearReturnSlots();
    if (proxy_get_buffer_bytes(<u32>type, start, want, RETURN_SLOTS, RETURN_SLOTS + 4) != Status.Ok) return false;
    const pointer = returnPointer();
    const got = <u32>returnSize();
    const goOn = visitor.visit(pointer, got, start);
    if (pointer != 0) heap.free(pointer);
    if (!goOn || got == 0 || start + got >= size) break;
    start += got > overlap ? got - overlap : got;
  }
  return true;
}

/** Receives raw chunks from visitBuffer; the memory is valid only during the call. */
export abstract class BufferVisitor {
  abstract visit(pointer: usize, size: u32, offset: u32): bool;
}

/**
 * A BufferVisitor that feeds every chunk to `sink.updateRaw(pointer, size)`: a hash of
 * plugins/crypto, say, to digest a body without holding it whole.
 */
export class FeedingVisitor<T> extends BufferVisitor {
  constructor(public sink: T) {
    super();
  }

  visit(pointer: usize, size: u32, offset: u32): bool {
    this.sink.updateRaw(pointer, <usize>size);
    return true;
  }
}

/** The size of a buffer now (0 when absent). */
export function getBufferSize(type: BufferType): u32 {
  store<u64>(RETURN_SLOTS, 0);
  if (proxy_get_buffer_status(<u32>type, RETURN_SLOTS, RETURN_SLOTS + 4) != Status.Ok) return 0;
  return load<u32>(RETURN_SLOTS);
}

/** Replaces `size` bytes from `start` with `data` (start 0, size >= current size: replace all). */
export function setBufferBytes(type: BufferType, start: u32, size: u32, data: ArrayBuffer): Status {
  return <Status>proxy_set_buffer_bytes(<u32>type, start, size, changetype<usize>(data), <usize>data.byteLength);
}

/** Replaces the whole buffer (a request or response body). */
export function replaceBuffer(type: BufferType, data: ArrayBuffer): Status {
  return setBufferBytes(type, 0, u32.MAX_VALUE, data);
}

/** The plugin configuration (readable in onConfigure), "" when none. */
export function getPluginConfiguration(): string {
  const text = getBufferString(BufferType.PluginConfiguration);
  return text !== null ? text : "";
}

/** The VM configuration (readable in onVmStart), "" when none. */
export function getVmConfiguration(): string {
  const text = getBufferString(BufferType.VmConfiguration);
  return text !== null ? text : "";
}
