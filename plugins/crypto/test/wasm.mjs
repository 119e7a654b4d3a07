// The harness's exports, each call followed by __collect() as the SDK collects
// garbage after every proxy-wasm callback (minimal runtime): a value the library
// kept without rooting it would be freed and show up as wrong answers.
import { readFileSync } from "node:fs";
import "./no-host.mjs";
import * as raw from "./build/harness.js";

export const w = {};
for (const [name, fn] of Object.entries(raw)) {
  if (typeof fn !== "function" || name.startsWith("__")) continue;
  w[name] = (...args) => {
    try {
      return fn(...args);
    } finally {
      raw.__collect();
    }
  };
}

export const SHA1 = 0;
export const SHA256 = 1;
export const SHA384 = 2;
export const SHA512 = 3;
export const ALGS = [
  ["sha1", SHA1],
  ["sha256", SHA256],
  ["sha384", SHA384],
  ["sha512", SHA512],
];

export const memoryBytes = () => raw.memory.buffer.byteLength;

export const hex = (bytes) => Buffer.from(bytes).toString("hex");
export const fromHex = (text) => new Uint8Array(Buffer.from(text, "hex"));
export const utf8 = (text) => new Uint8Array(Buffer.from(text, "utf8"));
export const b64u = (text) => new Uint8Array(Buffer.from(text, "base64url"));

export function data(name) {
  return JSON.parse(readFileSync(new URL("data/" + name, import.meta.url), "utf8"));
}

/** A deterministic pseudo-random generator (xorshift32), so failures reproduce. */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    u32: next,
    int: (n) => next() % n,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}
