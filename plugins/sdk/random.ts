// Random bytes from the host: WASI preview1 random_get, which the proxy-wasm
// specification lists and Envoy and this gateway offer (here from Java's
// SecureRandom). Use it for anything an attacker must not guess or two gateway
// instances must not repeat: token ids, nonces, salts. A plugin that calls it
// imports wasi_snapshot_preview1.random_get; one that does not imports nothing of WASI.
import { wasi_random_get } from "./abi";

/**
 * Fills `bytes` with random bytes from the host and answers the host's WASI errno:
 * 0 on success; anything else means `bytes` must not be used as random.
 */
export function fillRandom(bytes: Uint8Array): u32 {
  if (bytes.length == 0) return 0;
  return wasi_random_get(bytes.dataStart, <usize>bytes.length);
}

/**
 * `count` random bytes from the host, or null when the host failed to give them
 * (never a predictable stand-in): answer the request with an error then.
 */
export function randomBytes(count: i32): Uint8Array | null {
  const bytes = new Uint8Array(count);
  return fillRandom(bytes) == 0 ? bytes : null;
}
