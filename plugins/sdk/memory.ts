// Moving bytes between the host and the plugin. The host writes what it returns
// into memory it obtained from our `malloc` export (heap.alloc); we copy it into
// a managed value and free the raw block at once.

/** Two u32 return slots (pointer, size) and a third for CAS/ids, reused by every host call. */
export const RETURN_SLOTS: usize = memory.data(16);

export function returnPointer(): usize {
  return load<u32>(RETURN_SLOTS);
}

export function returnSize(): usize {
  return load<u32>(RETURN_SLOTS + 4);
}

/** Zeroes the return slots before a host call. */
export function clearReturnSlots(): void {
  store<u64>(RETURN_SLOTS, 0);
  store<u64>(RETURN_SLOTS + 8, 0);
}

/** Frees a block the host allocated through our malloc (none when the pointer is 0). */
export function freeHostBlock(pointer: usize): void {
  if (pointer != 0) heap.free(pointer);
}

/** The host-returned block as a string (UTF-8; invalid bytes become U+FFFD), freeing the block. */
export function takeString(pointer: usize, size: usize): string {
  if (pointer == 0 || size == 0) {
    freeHostBlock(pointer);
    return "";
  }
  const text = asciiString(pointer, <i32>size);
  heap.free(pointer);
  return text;
}

/**
 * `size` bytes at `pointer` as a string: widened directly when they are all ASCII (header
 * values nearly always are; i32 indices, as unsigned comparisons are slow in some hosts),
 * else decoded as UTF-8.
 */
function asciiString(pointer: usize, size: i32): string {
  const text = changetype<string>(__new(<usize>size << 1, idof<string>()));
  const to = changetype<usize>(text);
  for (let i = 0; i < size; i++) {
    const c = <i32>load<u8>(pointer + <usize>i);
    if (c >= 0x80) return String.UTF8.decodeUnsafe(pointer, <usize>size);
    store<u16>(to + (<usize>i << 1), <u16>c);
  }
  return text;
}

/** The host-returned block as bytes, freeing the block. */
export function takeBytes(pointer: usize, size: usize): ArrayBuffer {
  const bytes = new ArrayBuffer(<i32>size);
  if (pointer != 0 && size != 0) {
    memory.copy(changetype<usize>(bytes), pointer, size);
  }
  freeHostBlock(pointer);
  return bytes;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}

export function ptr(buffer: ArrayBuffer): usize {
  return changetype<usize>(buffer);
}

export function len(buffer: ArrayBuffer): usize {
  return <usize>buffer.byteLength;
}

/** A string from bytes (UTF-8). */
export function bytesToString(bytes: ArrayBuffer): string {
  return String.UTF8.decode(bytes);
}
