// HMAC (RFC 2104 / FIPS 198-1) over any Hasher of sha.ts.
import { HashAlgorithm, Hasher, newHasher } from "./sha";

/** A keyed HMAC; update() then digest() (which resets it for the next message under the same key). */
export class Hmac {
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

  get outputSize(): i32 {
    return this.inner.outputSize;
  }

  update(data: Uint8Array): Hmac {
    this.inner.update(data);
    return this;
  }

  updateRaw(pointer: usize, length: usize): Hmac {
    this.inner.updateRaw(pointer, length);
    return this;
  }

  /** Hashes the UTF-8 encoding of `text`. */
  updateString(text: string): Hmac {
    this.inner.updateString(text);
    return this;
  }

  /** H((K0 ^ opad) || H((K0 ^ ipad) || text)); the Hmac is then ready for a new message. */
  digest(): Uint8Array {
    const innerDigest = this.inner.digest();
    this.inner.updateRaw(changetype<usize>(this.innerPad), <usize>this.inner.blockSize);
    this.outer.updateRaw(changetype<usize>(this.outerPad), <usize>this.outer.blockSize);
    this.outer.update(innerDigest);
    return this.outer.digest();
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
