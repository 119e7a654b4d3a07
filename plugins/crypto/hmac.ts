// HMAC (RFC 2104 / FIPS 198-1) over any Hasher of sha.ts; computed by the host when it
// offers HMAC (host.ts), else here.
import { hostHmac, hostHmacAvailable } from "./host";
import { digestLength, HashAlgorithm, Hasher, newHasher } from "./sha";

/** HMAC computed in Wasm: update() then digest() (which resets it for the next message). */
class WasmHmac {
  private inner: Hasher;
  private outer: Hasher;
  /** K0 XOR ipad and K0 XOR opad (RFC 2104 steps 1–2, 5), one block each. */
  private innerPad: StaticArray<u8>;
  private outerPad: StaticArray<u8>;

  constructor(alg: HashAlgorithm, key: Uint8Array) {
    const inner = newHasher(alg);
    const size = inner.blockSize;
    // K0: the key if it fits a block, else its digest; zero-padded to the block size
    const k0 = new StaticArray<u8>(size);
    if (key.length > size) {
      const hashed = inner.update(key).digest();
      memory.copy(changetype<usize>(k0), hashed.dataStart, <usize>hashed.length);
    } else {
      memory.copy(changetype<usize>(k0), key.dataStart, <usize>key.length);
    }
    const innerPad = new StaticArray<u8>(size);
    const outerPad = new StaticArray<u8>(size);
    for (let i = 0; i < size; i++) {
      const b = unchecked(k0[i]);
      unchecked(innerPad[i] = b ^ 0x36);
      unchecked(outerPad[i] = b ^ 0x5c);
    }
    memory.fill(changetype<usize>(k0), 0, <usize>size);
    inner.updateRaw(changetype<usize>(innerPad), <usize>size);
    this.inner = inner;
    this.outer = newHasher(alg);
    this.innerPad = innerPad;
    this.outerPad = outerPad;
  }

  updateRaw(pointer: usize, length: usize): void {
    this.inner.updateRaw(pointer, length);
  }

  /** H((K0 ^ opad) || H((K0 ^ ipad) || text)); then ready for a new message. */
  digest(): Uint8Array {
    const innerDigest = this.inner.digest();
    this.inner.updateRaw(changetype<usize>(this.innerPad), <usize>this.inner.blockSize);
    this.outer.updateRaw(changetype<usize>(this.outerPad), <usize>this.outer.blockSize);
    this.outer.update(innerDigest);
    return this.outer.digest();
  }
}

/**
 * A keyed HMAC; update() then digest() (which resets it for the next message under the
 * same key). While the host may compute it, the message is gathered and handed over at
 * digest(); once the host said it cannot, the Wasm HMAC runs.
 */
export class Hmac {
  private readonly alg: HashAlgorithm;
  private readonly key: Uint8Array;
  private wasm: WasmHmac | null = null;
  /** The message so far, for the host (pendingSize bytes used). */
  private pending: Uint8Array = new Uint8Array(0);
  private pendingSize: i32 = 0;

  constructor(alg: HashAlgorithm, key: Uint8Array) {
    this.alg = alg;
    this.key = key.slice();
    if (!hostHmacAvailable()) this.wasm = new WasmHmac(alg, key);
  }

  get outputSize(): i32 {
    return digestLength(this.alg);
  }

  update(data: Uint8Array): Hmac {
    return this.updateRaw(data.dataStart, <usize>data.length);
  }

  updateRaw(pointer: usize, length: usize): Hmac {
    const wasm = this.wasm;
    if (wasm !== null) {
      wasm.updateRaw(pointer, length);
      return this;
    }
    const needed = this.pendingSize + <i32>length;
    if (needed > this.pending.length) {
      const grown = new Uint8Array(max(needed, this.pending.length * 2));
      memory.copy(grown.dataStart, this.pending.dataStart, <usize>this.pendingSize);
      this.pending = grown;
    }
    memory.copy(this.pending.dataStart + <usize>this.pendingSize, pointer, length);
    this.pendingSize = needed;
    return this;
  }

  /** Hashes the UTF-8 encoding of `text`. */
  updateString(text: string): Hmac {
    const bytes = String.UTF8.encode(text);
    return this.updateRaw(changetype<usize>(bytes), <usize>bytes.byteLength);
  }

  /** H((K0 ^ opad) || H((K0 ^ ipad) || text)); the Hmac is then ready for a new message. */
  digest(): Uint8Array {
    let wasm = this.wasm;
    if (wasm === null) {
      const message = this.pending.subarray(0, this.pendingSize);
      this.pendingSize = 0;
      const mac = hostHmac(this.alg, this.key, message);
      if (mac !== null) return mac;
      // the host cannot: from now on, here
      wasm = new WasmHmac(this.alg, this.key);
      this.wasm = wasm;
      wasm.updateRaw(message.dataStart, <usize>message.length);
    }
    return wasm.digest();
  }
}

/** HMAC-`alg` of `message` under `key`. */
export function hmac(alg: HashAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Hmac(alg, key).update(message).digest();
}

/** HMAC-`alg` of the UTF-8 bytes of `message` under the UTF-8 bytes of `key`. */
export function hmacString(alg: HashAlgorithm, key: string, message: string): Uint8Array {
  return new Hmac(alg, Uint8Array.wrap(String.UTF8.encode(key))).updateString(message).digest();
}
