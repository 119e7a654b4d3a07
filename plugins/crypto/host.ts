// Host acceleration: wasm-gateway offers signature verification and HMAC over the
// JDK's providers as proxy-wasm foreign functions (docs/abi-coverage.md, "Host crypto
// foreign functions"). This file calls them when the host has them; a host without
// them (Envoy, or wasm-gateway with wasm-gateway.host-crypto=false) answers NOT_FOUND to
// the first call, and from then on the library uses its own Wasm code without asking
// again. Arguments are length-prefixed fields: a little-endian u32 length, then the bytes.
import { HashAlgorithm } from "./sha";

// @ts-ignore: decorator
@external("env", "proxy_call_foreign_function")
declare function proxy_call_foreign_function(
  namePointer: usize, nameSize: usize, argumentsPointer: usize, argumentsSize: usize,
  returnResult: usize, returnSize: usize,
): u32;

const OK: u32 = 0;
const NOT_FOUND: u32 = 1;

/** Where the host writes the result's pointer and size. */
const RETURN_SLOTS: usize = memory.data(8);

/** What the host said about a function: not asked yet, has it, lacks it. */
const UNKNOWN: u8 = 0;
const PRESENT: u8 = 1;
const ABSENT: u8 = 2;

/** The functions, by index. */
const VERIFY = 0;
const HMAC = 1;
const NAMES: StaticArray<string> = [
  "wasmgateway.crypto.verify_signature.v1",
  "wasmgateway.crypto.hmac.v1",
];
const states = new StaticArray<u8>(2);

/** Whether the host has (or may have: not asked yet) the HMAC function. */
export function hostHmacAvailable(): bool {
  return unchecked(states[HMAC]) != ABSENT;
}

/** The functions' names, UTF-8, encoded once. */
const NAME_BYTES: StaticArray<ArrayBuffer> = [String.UTF8.encode(NAMES[VERIFY]), String.UTF8.encode(NAMES[HMAC])];

/** Where the last successful call's result is (allocated by the host through our malloc). */
let resultPointer: usize = 0;

/**
 * Calls the foreign function `index`; the size of its result (at resultPointer, 0 for
 * none; the caller frees it), or -1 when the host lacks the function or refuses the arguments.
 */
function callHostRaw(index: i32, args: HostArguments): i32 {
  if (unchecked(states[index]) == ABSENT) return -1;
  const name = unchecked(NAME_BYTES[index]);
  store<u64>(RETURN_SLOTS, 0);
  const status = proxy_call_foreign_function(
    changetype<usize>(name), <usize>name.byteLength, args.start(), <usize>args.size,
    RETURN_SLOTS, RETURN_SLOTS + 4,
  );
  args.release();
  const pointer = <usize>load<u32>(RETURN_SLOTS);
  const size = <i32>load<u32>(RETURN_SLOTS + 4);
  if (status == NOT_FOUND) {
    unchecked(states[index] = ABSENT);
    return -1;
  }
  if (status != OK) return -1; // BAD_ARGUMENT: this call falls back to Wasm
  unchecked(states[index] = PRESENT);
  resultPointer = pointer;
  return size;
}

/** The result of the foreign function `index`; null when the host lacks it or refuses the arguments. */
function callHost(index: i32, args: HostArguments): Uint8Array | null {
  const size = callHostRaw(index, args);
  if (size < 0) return null;
  const result = new Uint8Array(size);
  if (resultPointer != 0) {
    memory.copy(result.dataStart, resultPointer, <usize>size);
    heap.free(resultPointer); // the host allocated it through our malloc
  }
  return result;
}

/**
 * The argument buffer of the last call, kept for the next one (every request verifies a
 * signature: this saves allocating and collecting a buffer of a few hundred bytes each time).
 */
let spareBuffer: Uint8Array | null = null;

/** Length-prefixed fields, written into one buffer as they are added. */
export class HostArguments {
  private buffer: Uint8Array;
  size: i32 = 0;

  constructor(capacity: i32 = 256) {
    const spare = spareBuffer;
    if (spare !== null && spare.length >= capacity) {
      this.buffer = spare;
      spareBuffer = null;
    } else {
      this.buffer = new Uint8Array(capacity);
    }
  }

  /** Hands the buffer back for the next arguments (after the call: this object is not used again). */
  release(): void {
    const spare = spareBuffer;
    if (spare === null || spare.length < this.buffer.length) spareBuffer = this.buffer;
  }

  /** Where the fields start (valid until the next add). */
  start(): usize {
    return this.buffer.dataStart;
  }

  /** Room for a field of `length` bytes; returns where its bytes go. */
  private field(length: i32): usize {
    const needed = this.size + 4 + length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(max(needed, this.buffer.length * 2));
      memory.copy(grown.dataStart, this.buffer.dataStart, <usize>this.size);
      this.buffer = grown;
    }
    const at = this.buffer.dataStart + <usize>this.size;
    store<u32>(at, <u32>length); // little-endian, as Wasm
    this.size = needed;
    return at + 4;
  }

  add(bytes: Uint8Array): HostArguments {
    memory.copy(this.field(bytes.length), bytes.dataStart, <usize>bytes.length);
    return this;
  }

  /** A text field; `text` is ASCII (the names of schemes, hashes and curves). */
  addText(text: string): HostArguments {
    const length = text.length;
    const at = this.field(length);
    for (let i = 0; i < length; i++) store<u8>(at + <usize>i, <u8>text.charCodeAt(i));
    return this;
  }
}

export function hashName(alg: HashAlgorithm): string {
  switch (alg) {
    case HashAlgorithm.SHA1: return "SHA-1";
    case HashAlgorithm.SHA256: return "SHA-256";
    case HashAlgorithm.SHA384: return "SHA-384";
    case HashAlgorithm.SHA512: return "SHA-512";
    default: return "";
  }
}

/** Whether the host may verify signatures (false once it said it cannot). */
export function hostVerifyAvailable(): bool {
  return unchecked(states[VERIFY]) != ABSENT;
}

/**
 * The host's verdict on a signature: 1 valid, 0 not, -1 when the host cannot tell
 * (it lacks the function or refused the arguments: verify in Wasm). `args` holds the
 * scheme, the hash and the key fields; the message and signature are added here.
 */
export function hostVerify(args: HostArguments, message: Uint8Array, signature: Uint8Array): i32 {
  const size = callHostRaw(VERIFY, args.add(message).add(signature));
  if (size < 0) return -1;
  const pointer = resultPointer;
  const verdict = size == 1 ? (pointer != 0 && load<u8>(pointer) == 1 ? 1 : 0) : -1;
  if (pointer != 0) heap.free(pointer); // the host allocated it through our malloc
  return verdict;
}

/** HMAC-`alg` of `message` under `key` by the host; null when it cannot. */
export function hostHmac(alg: HashAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array | null {
  return callHost(HMAC, new HostArguments(32 + key.length + message.length).addText(hashName(alg)).add(key).add(message));
}
