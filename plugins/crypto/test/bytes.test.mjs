import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHex, hex, utf8, w } from "./wasm.mjs";

test("constant-time equality", () => {
  assert.equal(w.ctEqual(new Uint8Array(0), new Uint8Array(0)), true);
  assert.equal(w.ctEqual(utf8("abc"), utf8("abc")), true);
  assert.equal(w.ctEqual(utf8("abc"), utf8("abd")), false);
  assert.equal(w.ctEqual(utf8("abc"), utf8("ab")), false);
  assert.equal(w.ctEqual(utf8("\u0000bc"), utf8("\u0001bc")), false);
  const long = new Uint8Array(1000).fill(7);
  const other = long.slice();
  other[999] = 8;
  assert.equal(w.ctEqual(long, long.slice()), true);
  assert.equal(w.ctEqual(long, other), false);
  assert.equal(w.ctEqualStrings("sïgnature", "sïgnature"), true);
  assert.equal(w.ctEqualStrings("sïgnature", "signature"), false);
  assert.equal(w.ctEqualStrings("a", "ab"), false);
  assert.equal(w.ctEqualStrings("", ""), true);
});

test("hex both ways; bad hex refused", () => {
  assert.equal(w.hexOf(fromHex("00ff10abCD")), "00ff10abcd");
  assert.equal(hex(w.fromHex("00FF10abcd")), "00ff10abcd");
  for (const bad of ["0", "0g", "zz", "abc", " 0"]) assert.equal(w.fromHex(bad), null, bad);
});
