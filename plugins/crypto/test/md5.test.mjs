import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { hex, rng, utf8, w } from "./wasm.mjs";

// RFC 1321 §A.5, the test suite
const SUITE = [
  ["", "d41d8cd98f00b204e9800998ecf8427e"],
  ["a", "0cc175b9c0f1b6a831c399e269772661"],
  ["abc", "900150983cd24fb0d6963f7d28e17f72"],
  ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
  ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
  ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
  ["12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"],
];

test("RFC 1321 test suite", () => {
  for (const [message, digest] of SUITE) assert.equal(hex(w.md5(utf8(message))), digest, JSON.stringify(message));
});

test("every length 0..300 matches node:crypto, whole and in pieces", () => {
  const r = rng(7);
  for (let len = 0; len <= 300; len++) {
    const msg = r.bytes(len);
    const want = createHash("md5").update(msg).digest("hex");
    assert.equal(hex(w.md5(msg)), want, `${len} bytes`);
    assert.equal(hex(w.md5Streamed(msg, 1 + (len % 67))), want, `${len} bytes in pieces`);
  }
});
