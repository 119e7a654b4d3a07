import assert from "node:assert/strict";
import { test } from "node:test";
import { rng, w } from "./wasm.mjs";

const toBig = (bytes) => (bytes.length === 0 ? 0n : BigInt("0x" + Buffer.from(bytes).toString("hex")));
function toBytes(n) {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  return new Uint8Array(Buffer.from(h, "hex"));
}

/** Random numbers biased to the limb patterns that exercise carries and Algorithm D's corrections. */
function randomBig(r, maxLimbs) {
  const limbs = 1 + r.int(maxLimbs);
  let n = 0n;
  for (let i = 0; i < limbs; i++) {
    const kind = r.int(6);
    const limb = kind === 0 ? 0 : kind === 1 ? 0xffffffff : kind === 2 ? 0x80000000 : kind === 3 ? 1 : r.u32();
    n = (n << 32n) | BigInt(limb >>> 0);
  }
  return n;
}

test("bytes in and out; leading zeros; fixed-length output refuses overflow", () => {
  assert.equal(toBig(w.bigMul(new Uint8Array([0, 0, 1, 2]), new Uint8Array([1]))), 0x102n);
  assert.equal(Buffer.from(w.bigToBytes(new Uint8Array([1, 2]), 4)).toString("hex"), "00000102");
  assert.equal(w.bigToBytes(new Uint8Array([1, 2, 3]), 2), null);
  assert.equal(Buffer.from(w.bigToBytes(new Uint8Array([0, 0, 3]), 1)).toString("hex"), "03");
  assert.equal(w.bigBitLength(new Uint8Array([0, 0x80, 0, 0, 0, 0])), 40);
  assert.equal(w.bigBitLength(new Uint8Array([0, 0])), 0);
  assert.equal(w.bigBitLength(new Uint8Array(0)), 0);
});

test("add, sub, mul, div, mod, compare agree with BigInt", () => {
  const r = rng(7);
  for (let i = 0; i < 1500; i++) {
    const a = randomBig(r, 20);
    const b = randomBig(r, i % 3 === 0 ? 2 : 12);
    const A = toBytes(a);
    const B = toBytes(b);
    assert.equal(toBig(w.bigAdd(A, B)), a + b);
    assert.equal(toBig(w.bigMul(A, B)), a * b);
    assert.equal(w.bigCompare(A, B), a < b ? -1 : a > b ? 1 : 0);
    if (a >= b) assert.equal(toBig(w.bigSub(A, B)), a - b);
    else assert.equal(w.bigSub(A, B), null);
    if (b === 0n) {
      assert.equal(w.bigMod(A, B), null);
      assert.equal(w.bigDiv(A, B), null);
    } else {
      assert.equal(toBig(w.bigDiv(A, B)), a / b, `${a} / ${b}`);
      assert.equal(toBig(w.bigMod(A, B)), a % b, `${a} % ${b}`);
    }
  }
});

test("division cases that need Algorithm D's add-back step", () => {
  // u = B^3·(B/2) ..., v = B/2 + 1 style operands make the estimated quotient digit too large
  const B = 1n << 32n;
  const cases = [
    [(B ** 4n) * 0x7fffffffn + 0x800000000000n, (0x80000000n * B) + 1n],
    [0x7fff800000000000000000000000n, 0x800000000000ffffn],
    [B ** 6n - 1n, B ** 3n - B + 3n],
    [(B ** 3n) * (B / 2n) - 1n, (B ** 2n) * (B / 2n) + B - 1n],
    [0x800000000000000000000003n, 0x200000000000000000000001n],
  ];
  for (const [u, v] of cases) {
    assert.equal(toBig(w.bigDiv(toBytes(u), toBytes(v))), u / v, `${u} / ${v}`);
    assert.equal(toBig(w.bigMod(toBytes(u), toBytes(v))), u % v, `${u} % ${v}`);
  }
  // an exhaustive sweep of small two-limb divisors against four-limb dividends
  const r = rng(8);
  for (let i = 0; i < 3000; i++) {
    const v = (BigInt(0x80000000 + r.int(16)) << 32n) | BigInt(r.int(4) === 0 ? 0xffffffff : r.u32());
    const u = ((v * BigInt(r.u32())) << 64n) + (BigInt(r.u32()) << 32n) + BigInt(r.u32());
    assert.equal(toBig(w.bigMod(toBytes(u), toBytes(v))), u % v);
  }
});

function modPowRef(b, e, m) {
  if (m === 1n) return 0n;
  let result = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

test("modPow agrees with BigInt for odd (Montgomery) and even moduli", () => {
  const r = rng(9);
  for (let i = 0; i < 300; i++) {
    let m = randomBig(r, 10);
    if (m === 0n) m = 7n;
    if (i % 2 === 0) m |= 1n;
    const b = randomBig(r, 12); // also bases above the modulus
    const e = i % 5 === 0 ? 65537n : randomBig(r, 4);
    assert.equal(toBig(w.bigModPow(toBytes(b), toBytes(e), toBytes(m))), modPowRef(b, e, m), `${b}^${e} mod ${m}`);
  }
  assert.equal(toBig(w.bigModPow(toBytes(5n), new Uint8Array(0), toBytes(7n))), 1n);
  assert.equal(toBig(w.bigModPow(toBytes(0n), toBytes(5n), toBytes(7n))), 0n);
  assert.equal(toBig(w.bigModPow(toBytes(5n), toBytes(3n), toBytes(1n))), 0n);
  assert.equal(w.bigModPow(toBytes(5n), toBytes(3n), new Uint8Array(0)), null);
});
