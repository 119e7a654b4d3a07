import assert from "node:assert/strict";
import { test } from "node:test";
import { hex, rng, utf8, w } from "./wasm.mjs";

const REQUIRED = 0;
const FORBIDDEN = 1;
const OPTIONAL = 2;

const RFC4648 = [
  ["", ""],
  ["f", "Zg=="],
  ["fo", "Zm8="],
  ["foo", "Zm9v"],
  ["foob", "Zm9vYg=="],
  ["fooba", "Zm9vYmE="],
  ["foobar", "Zm9vYmFy"],
];

test("RFC 4648 §10 test vectors, both ways", () => {
  for (const [plain, encoded] of RFC4648) {
    assert.equal(w.b64Encode(utf8(plain)), encoded);
    assert.equal(Buffer.from(w.b64Decode(encoded, REQUIRED)).toString(), plain);
    assert.equal(w.b64UrlEncode(utf8(plain), true), encoded);
    assert.equal(w.b64UrlEncode(utf8(plain), false), encoded.replace(/=+$/, ""));
    assert.equal(Buffer.from(w.b64UrlDecode(encoded.replace(/=+$/, ""), FORBIDDEN)).toString(), plain);
    assert.equal(Buffer.from(w.b64UrlDecode(encoded, OPTIONAL)).toString(), plain);
  }
});

test("the alphabets differ only in 62 and 63", () => {
  const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0xfe]);
  assert.equal(w.b64Encode(bytes), "+/+//g==");
  assert.equal(w.b64UrlEncode(bytes, false), "-_-__g");
  assert.equal(w.b64Decode("-_-__g==", REQUIRED), null);
  assert.equal(w.b64UrlDecode("+/+//g", FORBIDDEN), null);
});

test("random bytes round-trip and match Buffer", () => {
  const r = rng(5);
  for (let len = 0; len < 200; len++) {
    const bytes = r.bytes(len);
    const std = Buffer.from(bytes).toString("base64");
    const url = Buffer.from(bytes).toString("base64url");
    assert.equal(w.b64Encode(bytes), std);
    assert.equal(w.b64UrlEncode(bytes, false), url);
    assert.equal(hex(w.b64Decode(std, REQUIRED)), hex(bytes));
    assert.equal(hex(w.b64UrlDecode(url, FORBIDDEN)), hex(bytes));
  }
});

test("malformed input is refused (null), never a trap", () => {
  const std = [
    "Zg", "Zg=", "Zm8", "Z", "Zm9vY", "=", "==", "Zg===", "Zm9v=", "Zm9v====", "Zg==Zg==", "Zm=8",
    "Zh==", "Zm9=", "Zm8 ", " Zm8=", "Zm\n8=", "Zm8=\n", "Zm8\u0000", "Zm8é", "Zm8\ud83d", "-_8=",
    "Zm9v\r\n", "@@@@", "Zm9v.", "Zg=a",
  ];
  for (const text of std) assert.equal(w.b64Decode(text, REQUIRED), null, JSON.stringify(text));
  const url = ["Zg==", "Zg=", "Z", "Zm9vY", "Zh", "Zm9", "+/8", "Zm 8", "Zm8=", "Zm.8", "Zm8\u00ff", "a=b"];
  for (const text of url) assert.equal(w.b64UrlDecode(text, FORBIDDEN), null, JSON.stringify(text));
  // with optional padding, wrong padding is still refused
  for (const text of ["Zg=", "Zm8==", "Zm9v=", "Z===", "Zh=="]) {
    assert.equal(w.b64UrlDecode(text, OPTIONAL), null, JSON.stringify(text));
  }
});

test("non-canonical pad bits are refused, so each byte string has one encoding", () => {
  assert.equal(hex(w.b64Decode("Zg==", REQUIRED)), "66");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let v = 0; v < 64; v++) {
    // "Z" + c + "==" carries 4 pad bits in c: accepted only when they are zero
    assert.equal(w.b64Decode("Z" + alphabet[v] + "==", REQUIRED) === null, (v & 15) !== 0, alphabet[v]);
    // "Zm" + c + "=" carries 2 pad bits
    assert.equal(w.b64Decode("Zm" + alphabet[v] + "=", REQUIRED) === null, (v & 3) !== 0, alphabet[v]);
  }
});

test("random garbage never traps; whatever decodes re-encodes to the same text", () => {
  const r = rng(6);
  const chars = "ABCxyz019+/-_=\n .é\u0000";
  for (let i = 0; i < 3000; i++) {
    let text = "";
    const len = r.int(14);
    for (let j = 0; j < len; j++) text += chars[r.int(chars.length)];
    const a = w.b64Decode(text, REQUIRED);
    if (a !== null) assert.equal(w.b64Encode(a), text);
    const b = w.b64UrlDecode(text, FORBIDDEN);
    if (b !== null) assert.equal(w.b64UrlEncode(b, false), text);
    const c = w.b64UrlDecode(text, OPTIONAL);
    if (c !== null) assert.ok(w.b64UrlEncode(c, false) === text || w.b64UrlEncode(c, true) === text);
  }
});

test("decoding a range of a string, out-of-range bounds refused", () => {
  const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig";
  assert.equal(Buffer.from(w.b64UrlDecodeRange(token, 0, 20)).toString(), '{"alg":"HS256"}');
  assert.equal(Buffer.from(w.b64UrlDecodeRange(token, 21, 36)).toString(), '{"sub":"1"}');
  assert.equal(w.b64UrlDecodeRange(token, -1, 5), null);
  assert.equal(w.b64UrlDecodeRange(token, 5, 4), null);
  assert.equal(w.b64UrlDecodeRange(token, 0, 1000), null);
  assert.equal(hex(w.b64UrlDecodeRange(token, 3, 3)), "");
});
