import assert from "node:assert/strict";
import { constants, createHmac, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { test } from "node:test";
import { data, rng, utf8, w } from "./wasm.mjs";

const rsa = data("rsa.json");
const key2048 = rsa.keys[1].jwk;
const publicJwk = (j, extra = {}) => ({ kty: "RSA", n: j.n, e: j.e, ...extra });
const b64u = (x) => Buffer.from(x).toString("base64url");
const secret = Buffer.from("a-shared-secret-of-32-bytes-long");
const octJwk = (k, extra = {}) => ({ kty: "oct", k: b64u(k), ...extra });

function hsToken(alg, key, header, payload) {
  const input = b64u(JSON.stringify(header)) + "." + b64u(JSON.stringify(payload));
  const h = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
  return input + "." + createHmac(h, key).update(input).digest("base64url");
}

function rsToken(alg, privateKey, header, payload) {
  const input = b64u(JSON.stringify(header)) + "." + b64u(JSON.stringify(payload));
  const h = { RS256: "sha256", RS384: "sha384", RS512: "sha512" }[alg];
  return input + "." + nodeSign(h, Buffer.from(input), privateKey).toString("base64url");
}

const { privateKey: nodePrivate } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const nodeJwk = nodePrivate.export({ format: "jwk" });

function esToken(alg, privateKey, header, payload, dsaEncoding = "ieee-p1363") {
  const input = b64u(JSON.stringify(header)) + "." + b64u(JSON.stringify(payload));
  const h = { ES256: "sha256", ES384: "sha384", ES512: "sha512" }[alg];
  return input + "." + nodeSign(h, Buffer.from(input), { key: privateKey, dsaEncoding }).toString("base64url");
}

/** PS256/384/512 (RFC 7518 §3.5): RSASSA-PSS, MGF1 with the same hash, salt as long as the hash. */
function psToken(alg, privateKey, header, payload, saltLength = undefined) {
  const input = b64u(JSON.stringify(header)) + "." + b64u(JSON.stringify(payload));
  const [h, length] = { PS256: ["sha256", 32], PS384: ["sha384", 48], PS512: ["sha512", 64] }[alg];
  const key = { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: saltLength ?? length };
  return input + "." + nodeSign(h, Buffer.from(input), key).toString("base64url");
}

function edToken(privateKey, header, payload) {
  const input = b64u(JSON.stringify(header)) + "." + b64u(JSON.stringify(payload));
  return input + "." + nodeSign(null, Buffer.from(input), privateKey).toString("base64url");
}

const edPrivate = generateKeyPairSync("ed25519").privateKey;
const edJwk = (extra = {}) => {
  const { kty, crv, x } = edPrivate.export({ format: "jwk" });
  return { kty, crv, x, ...extra };
};

const ecKeys = {};
for (const crv of ["P-256", "P-384", "P-521"]) {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: crv });
  const { kty, x, y } = privateKey.export({ format: "jwk" });
  ecKeys[crv] = { privateKey, jwk: { kty, crv, x, y } };
}
const ecJwk = (crv, extra = {}) => ({ ...ecKeys[crv].jwk, ...extra });

test("JWK Sets: oct, RSA, EC and OKP keys, single JWK, skipped Ed448/X25519/enc keys, errors", () => {
  assert.equal(w.jwksCheck(JSON.stringify({ keys: [octJwk(secret), publicJwk(key2048, { kid: "r" })] })), "ok 2 0");
  assert.equal(w.jwksCheck(JSON.stringify(publicJwk(key2048))), "ok 1 0");
  assert.equal(w.jwksCheck(JSON.stringify({ keys: [ecJwk("P-256"), ecJwk("P-384", { alg: "ES384", use: "sig" })] })), "ok 2 0");
  assert.equal(w.jwksCheck(JSON.stringify(ecJwk("P-384"))), "ok 1 0");
  // RFC 8037 A.2's public key, an Ed448 and an X25519 key: only Ed25519 signs JWS here
  const okp = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
  const ed448 = { kty: "OKP", crv: "Ed448", x: "AA" };
  const x25519 = { kty: "OKP", crv: "X25519", x: "AA" };
  const p521 = ecJwk("P-521", { alg: "ES512" });
  assert.equal(
    w.jwksCheck(JSON.stringify({ keys: [okp, ed448, x25519, p521, publicJwk(key2048, { use: "enc" }), octJwk(secret)] })),
    "ok 3 3",
  );
  assert.equal(w.jwksCheck(JSON.stringify(edJwk({ alg: "EdDSA", use: "sig" }))), "ok 1 0");
  assert.equal(w.jwksCheck(JSON.stringify(publicJwk(key2048, { alg: "PS384" }))), "ok 1 0");
  // 2^255 − 1 as y: not below p, so no point
  const notAPoint = { kty: "OKP", crv: "Ed25519", x: b64u(new Uint8Array(32).fill(0xff).map((b, i) => (i === 31 ? 0x7f : b))) };
  const ec = { kty: "EC", crv: "P-256", x: "AA", y: "AA" };
  const { x: ex, y: ey } = ecKeys["P-256"].jwk;
  const offCurve = b64u(Buffer.from(ey, "base64url").map((b, i) => (i === 31 ? b ^ 1 : b)));
  const errors = [
    ["[]", "must be a JSON object"],
    ["{", "not JSON"],
    [JSON.stringify({ keys: [] }), "empty"],
    [JSON.stringify({ keys: {} }), "must be an array"],
    [JSON.stringify({ keys: [ed448] }), "no usable key"],
    [JSON.stringify({ keys: [notAPoint] }), "\"x\" is not a point of Ed25519"],
    [JSON.stringify({ keys: [{ kty: "OKP", crv: "Ed25519", x: "AAAA" }] }), "32-byte Ed25519 public key"],
    [JSON.stringify({ keys: [{ kty: "OKP", x: okp.x }] }), "\"crv\" and \"x\" are required for an OKP key"],
    [JSON.stringify({ keys: [{ ...okp, alg: "ES256" }] }), "algorithm ES256 does not fit an Ed25519 key"],
    [JSON.stringify({ keys: [ecJwk("P-256", { alg: "ES512" })] }), "algorithm ES512 does not fit a P-256 key"],
    [JSON.stringify({ keys: [{ kty: "EC", crv: "P-521", x: "AA", y: "AA" }] }), "x must be 66 bytes"],
    [JSON.stringify({ keys: [ec] }), "x must be 32 bytes"],
    [JSON.stringify({ keys: [{ kty: "EC", x: ex, y: ey }] }), "\"crv\", \"x\" and \"y\" are required"],
    [JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: ex }] }), "are required for an EC key"],
    [JSON.stringify({ keys: [{ kty: "EC", crv: 256, x: ex, y: ey }] }), "are required for an EC key"],
    [JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: ex, y: offCurve }] }), "not on the curve P-256"],
    [JSON.stringify({ keys: [{ kty: "EC", crv: "P-384", x: ex, y: ey }] }), "must be 48 bytes"],
    [JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: ex + "!", y: ey }] }), "x is not base64url"],
    [JSON.stringify({ keys: [ecJwk("P-256", { alg: "ES384" })] }), "algorithm ES384 does not fit a P-256 key"],
    [JSON.stringify({ keys: [ecJwk("P-384", { alg: "RS256" })] }), "algorithm RS256 does not fit a P-384 key"],
    [JSON.stringify({ keys: [publicJwk(key2048, { alg: "ES256" })] }), "does not fit an RSA key"],
    [JSON.stringify({ keys: [octJwk(secret, { alg: "ES256" })] }), "does not fit an oct key"],
    [JSON.stringify({ keys: [{ n: "AQAB" }] }), "kty"],
    [JSON.stringify({ keys: [{ kty: "oct" }] }), "\"k\" is required"],
    [JSON.stringify({ keys: [{ kty: "oct", k: "!!" }] }), "not base64url"],
    [JSON.stringify({ keys: [{ kty: "oct", k: "" }] }), "empty"],
    [JSON.stringify({ keys: [{ kty: "RSA", n: key2048.n }] }), "\"n\" and \"e\""],
    [JSON.stringify({ keys: [{ kty: "RSA", n: "AQAB", e: "AQAB" }] }), "shorter"],
    [JSON.stringify({ keys: [publicJwk(key2048, { alg: "HS256" })] }), "does not fit an RSA key"],
    [JSON.stringify({ keys: [octJwk(secret, { alg: "RS256" })] }), "does not fit an oct key"],
    [JSON.stringify({ keys: [octJwk(secret, { kid: 5 })] }), "\"kid\" must be a string"],
    [JSON.stringify({ keys: ["x"] }), "must be an object"],
  ];
  for (const [text, why] of errors) {
    const got = w.jwksCheck(text);
    assert.ok(got.startsWith("error: ") && got.includes(why), `${text} -> ${got}`);
  }
});

test("HS256/384/512 tokens made by node:crypto verify; wrong key or tampering refused", () => {
  const jwks = JSON.stringify({ keys: [octJwk(secret)] });
  for (const alg of ["HS256", "HS384", "HS512"]) {
    const token = hsToken(alg, secret, { alg, typ: "JWT" }, { sub: "alice", n: 1 });
    assert.equal(w.jwsVerify(token, jwks), 'ok {"sub":"alice","n":1}', alg);
    assert.equal(w.jwsVerify(hsToken(alg, Buffer.from("other"), { alg }, { sub: "alice" }), jwks), "bad signature");
    const [h, p, s] = token.split(".");
    assert.equal(w.jwsVerify([h, b64u('{"sub":"mallory","n":1}'), s].join("."), jwks), "bad signature");
    assert.ok(!w.jwsVerify([h, p, s.slice(0, -2)].join("."), jwks).startsWith("ok"));
    assert.equal(w.jwsVerify([h, p, ""].join("."), jwks), "bad signature");
  }
});

test("RS256/384/512 tokens verify with the OpenSSL and node keys; alg confusion refused", () => {
  const jwks = JSON.stringify({ keys: [publicJwk(nodeJwk, { kid: "node" }), publicJwk(key2048, { kid: "ossl" })] });
  for (const alg of ["RS256", "RS384", "RS512"]) {
    const token = rsToken(alg, nodePrivate, { alg, kid: "node" }, { iss: "x" });
    assert.equal(w.jwsVerify(token, jwks), 'ok {"iss":"x"}', alg);
    // the same token claiming the other key by kid fails
    const other = rsToken(alg, nodePrivate, { alg, kid: "ossl" }, { iss: "x" });
    assert.equal(w.jwsVerify(other, jwks), "bad signature");
  }
  // HS256 signed with the RSA public key's bytes must not verify against an RSA key
  const confused = hsToken("HS256", Buffer.from(key2048.n), { alg: "HS256", kid: "ossl" }, { iss: "x" });
  assert.equal(w.jwsVerify(confused, jwks), "bad signature");
  // a key restricted by "alg" refuses other algorithms
  const only512 = JSON.stringify({ keys: [publicJwk(nodeJwk, { alg: "RS512" })] });
  assert.equal(w.jwsVerify(rsToken("RS256", nodePrivate, { alg: "RS256" }, {}), only512), "bad signature");
  assert.ok(w.jwsVerify(rsToken("RS512", nodePrivate, { alg: "RS512" }, {}), only512).startsWith("ok"));
});

test("ES256/ES384 tokens made by node:crypto verify; DER, tampering, other curves and alg confusion refused", () => {
  const jwks = JSON.stringify({ keys: [ecJwk("P-256", { kid: "e256" }), ecJwk("P-384", { kid: "e384" }), octJwk(secret, { kid: "hs" })] });
  for (const [alg, crv, kid] of [["ES256", "P-256", "e256"], ["ES384", "P-384", "e384"]]) {
    const { privateKey } = ecKeys[crv];
    const token = esToken(alg, privateKey, { alg, kid, typ: "JWT" }, { sub: "alice" });
    assert.equal(w.jwsVerify(token, jwks), 'ok {"sub":"alice"}', alg);
    const [h, p, s] = token.split(".");
    assert.equal(Buffer.from(s, "base64url").length, crv === "P-256" ? 64 : 96);
    assert.equal(w.jwsVerify([h, b64u('{"sub":"mallory"}'), s].join("."), jwks), "bad signature", alg);
    const sig = Buffer.from(s, "base64url");
    for (const at of [0, sig.length / 2 - 1, sig.length / 2, sig.length - 1]) {
      const t = Buffer.from(sig);
      t[at] ^= 0x10;
      assert.equal(w.jwsVerify([h, p, t.toString("base64url")].join("."), jwks), "bad signature", `${alg} byte ${at}`);
    }
    // the same signature DER-encoded (as OpenSSL writes it) is not a JWS signature
    const der = esToken(alg, privateKey, { alg, kid }, { sub: "alice" }, "der");
    assert.equal(w.jwsVerify(der, jwks), "bad signature", `${alg} DER`);
    // the token claiming the other curve's key by kid
    const other = kid === "e256" ? "e384" : "e256";
    assert.equal(w.jwsVerify(esToken(alg, privateKey, { alg, kid: other }, {}), jwks), "bad signature", `${alg} on ${other}`);
  }
  // ES384 over a P-256 key (and ES256 over P-384): refused whatever the signature
  const p256Only = JSON.stringify({ keys: [ecJwk("P-256")] });
  assert.equal(w.jwsVerify(esToken("ES384", ecKeys["P-384"].privateKey, { alg: "ES384" }, {}), p256Only), "bad signature");
  assert.ok(w.jwsVerify(esToken("ES256", ecKeys["P-256"].privateKey, { alg: "ES256" }, {}), p256Only).startsWith("ok"));
  // ES512 against a P-256 key: refused
  const es512 = b64u('{"alg":"ES512"}') + "." + b64u("{}") + "." + b64u(new Uint8Array(132));
  assert.equal(w.jwsVerify(es512, p256Only), "bad signature");
  // HS256 keyed with the EC key's x, or RS256, against an EC key: refused
  const confused = hsToken("HS256", Buffer.from(ecKeys["P-256"].jwk.x), { alg: "HS256", kid: "e256" }, {});
  assert.equal(w.jwsVerify(confused, jwks), "bad signature");
  assert.equal(w.jwsVerify(rsToken("RS256", nodePrivate, { alg: "RS256", kid: "e256" }, {}), jwks), "bad signature");
  // an ES256 token against an oct or an RSA key: refused
  const es = esToken("ES256", ecKeys["P-256"].privateKey, { alg: "ES256", kid: "hs" }, {});
  assert.equal(w.jwsVerify(es, jwks), "bad signature");
  assert.equal(w.jwsVerify(es, JSON.stringify({ keys: [publicJwk(nodeJwk)] })), "bad signature");
  // a key restricted by "alg"
  const only256 = JSON.stringify({ keys: [ecJwk("P-256", { alg: "ES256" })] });
  assert.ok(w.jwsVerify(es, only256).startsWith("ok"));
});

test("ES512 (P-521) tokens made by node:crypto verify; tampering, other curves and alg confusion refused", () => {
  const jwks = JSON.stringify({ keys: [ecJwk("P-521", { kid: "e521" }), ecJwk("P-256", { kid: "e256" })] });
  const { privateKey } = ecKeys["P-521"];
  const token = esToken("ES512", privateKey, { alg: "ES512", kid: "e521" }, { sub: "alice" });
  assert.equal(w.jwsVerify(token, jwks), 'ok {"sub":"alice"}');
  const [h, p, s] = token.split(".");
  assert.equal(Buffer.from(s, "base64url").length, 132);
  assert.equal(w.jwsVerify([h, b64u('{"sub":"mallory"}'), s].join("."), jwks), "bad signature");
  assert.equal(w.jwsVerify(esToken("ES512", privateKey, { alg: "ES512", kid: "e521" }, {}, "der"), jwks), "bad signature");
  assert.equal(w.jwsVerify(esToken("ES512", privateKey, { alg: "ES512", kid: "e256" }, {}), jwks), "bad signature");
  assert.equal(w.jwsVerify(esToken("ES256", ecKeys["P-256"].privateKey, { alg: "ES256", kid: "e521" }, {}), jwks),
    "bad signature");
});

test("PS256/384/512 tokens made by node:crypto verify; PKCS #1 v1.5, another salt length and tampering refused", () => {
  const jwks = JSON.stringify({ keys: [publicJwk(nodeJwk, { kid: "node" })] });
  for (const alg of ["PS256", "PS384", "PS512"]) {
    const token = psToken(alg, nodePrivate, { alg, kid: "node" }, { iss: "x" });
    assert.equal(w.jwsVerify(token, jwks), 'ok {"iss":"x"}', alg);
    const [h, p, s] = token.split(".");
    assert.equal(w.jwsVerify([h, b64u('{"iss":"y"}'), s].join("."), jwks), "bad signature", alg);
    // RFC 7518 §3.5 fixes the salt length to the hash length
    assert.equal(w.jwsVerify(psToken(alg, nodePrivate, { alg, kid: "node" }, { iss: "x" }, 0), jwks), "bad signature");
    // an RS signature under a PS header, and the other way round
    const rs = "RS" + alg.slice(2);
    const [, , rsSignature] = rsToken(rs, nodePrivate, { alg, kid: "node" }, { iss: "x" }).split(".");
    assert.equal(w.jwsVerify([h, p, rsSignature].join("."), jwks), "bad signature", alg + " with a v1.5 signature");
    const [rh, rp] = rsToken(rs, nodePrivate, { alg: rs, kid: "node" }, { iss: "x" }).split(".");
    const [, , psSignature] = psToken(alg, nodePrivate, { alg: rs, kid: "node" }, { iss: "x" }).split(".");
    assert.equal(w.jwsVerify([rh, rp, psSignature].join("."), jwks), "bad signature", rs + " with a PSS signature");
  }
  // a key restricted to RS256 refuses PS256, and the other way round
  const rsOnly = JSON.stringify({ keys: [publicJwk(nodeJwk, { alg: "RS256" })] });
  assert.equal(w.jwsVerify(psToken("PS256", nodePrivate, { alg: "PS256" }, {}), rsOnly), "bad signature");
  const psOnly = JSON.stringify({ keys: [publicJwk(nodeJwk, { alg: "PS256" })] });
  assert.ok(w.jwsVerify(psToken("PS256", nodePrivate, { alg: "PS256" }, {}), psOnly).startsWith("ok"));
  assert.equal(w.jwsVerify(rsToken("RS256", nodePrivate, { alg: "RS256" }, {}), psOnly), "bad signature");
});

test("EdDSA (Ed25519) tokens made by node:crypto verify; tampering, other keys and alg confusion refused", () => {
  const jwks = JSON.stringify({ keys: [edJwk({ kid: "ed" }), ecJwk("P-256", { kid: "e256" }), octJwk(secret, { kid: "hs" })] });
  const token = edToken(edPrivate, { alg: "EdDSA", kid: "ed" }, { sub: "alice" });
  assert.equal(w.jwsVerify(token, jwks), 'ok {"sub":"alice"}');
  const [h, p, s] = token.split(".");
  assert.equal(w.jwsVerify([h, b64u('{"sub":"mallory"}'), s].join("."), jwks), "bad signature");
  const other = generateKeyPairSync("ed25519").privateKey;
  assert.equal(w.jwsVerify(edToken(other, { alg: "EdDSA", kid: "ed" }, { sub: "alice" }), jwks), "bad signature");
  // an EdDSA token against an EC or oct key, and HS256 keyed with the Ed25519 x against the OKP key
  assert.equal(w.jwsVerify(edToken(edPrivate, { alg: "EdDSA", kid: "e256" }, {}), jwks), "bad signature");
  assert.equal(w.jwsVerify(edToken(edPrivate, { alg: "EdDSA", kid: "hs" }, {}), jwks), "bad signature");
  assert.equal(w.jwsVerify(hsToken("HS256", Buffer.from(edJwk().x), { alg: "HS256", kid: "ed" }, {}), jwks), "bad signature");
});

test("RFC 7520 §4.2: the PS384 signature of the JOSE cookbook verifies with its RSA key (§3.3)", () => {
  const n = "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqV"
    + "wGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde"
    + "3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5g"
    + "HdrNP5zw";
  const input = "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZX"
    + "NzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmV"
    + "ldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";
  const signature = new Uint8Array(Buffer.from("cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6Vrk"
    + "lHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P"
    + "_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOc"
    + "bH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw", "base64url"));
  assert.equal(w.pssVerify(n, "AQAB", 2, utf8(input), signature), 1);
  assert.equal(w.pssVerify(n, "AQAB", 3, utf8(input), signature), 0);
  assert.equal(w.pssVerify(n, "AQAB", 2, utf8(input + "."), signature), 0);
});

test("signing: HS and RS tokens we make verify with node:crypto", () => {
  for (const alg of ["HS256", "HS384", "HS512"]) {
    const token = w.jwsSignHmac(alg, new Uint8Array(secret), w.joseHeader(alg, "at+jwt", ""), '{"sub":"a"}');
    const [h, p, s] = token.split(".");
    assert.equal(Buffer.from(h, "base64url").toString(), `{"alg":"${alg}","typ":"at+jwt"}`);
    const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
    assert.equal(s, createHmac(hash, secret).update(h + "." + p).digest("base64url"));
  }
  const priv = JSON.stringify({ kty: "RSA", ...key2048 });
  for (const alg of ["RS256", "RS384", "RS512"]) {
    const token = w.jwsSignRsa(alg, priv, w.joseHeader(alg, "at+jwt", "k1"), '{"sub":"a"}');
    const [h, p, s] = token.split(".");
    assert.equal(Buffer.from(h, "base64url").toString(), `{"alg":"${alg}","kid":"k1","typ":"at+jwt"}`);
    const hash = { RS256: "sha256", RS384: "sha384", RS512: "sha512" }[alg];
    const pub = { key: { kty: "RSA", n: key2048.n, e: key2048.e }, format: "jwk" };
    assert.equal(nodeVerify(hash, Buffer.from(h + "." + p), pub, Buffer.from(s, "base64url")), true, alg);
  }
  assert.equal(w.jwsSignRsa("RS256", JSON.stringify({ kty: "RSA", n: key2048.n, e: key2048.e }), "{}", "{}"), null);
});

test("malformed tokens are refused with a reason, never a trap", () => {
  const jwks = JSON.stringify({ keys: [octJwk(secret)] });
  const good = hsToken("HS256", secret, { alg: "HS256" }, { a: 1 });
  const [h, p, s] = good.split(".");
  const cases = [
    ["", "empty"],
    ["abc", "no '.'"],
    ["a.b", "two parts"],
    [good + ".x", "more than three"],
    ["." + p + "." + s, "header"],
    [h + "=." + p + "." + s, "header is not base64url"],
    [h + ".@@." + s, "payload is not base64url"],
    [h + "." + p + ".a+b", "signature is not base64url"],
    [b64u("not json") + "." + p + "." + s, "header is not JSON"],
    [b64u("[1]") + "." + p + "." + s, "not a JSON object"],
    [b64u("{}") + "." + p + "." + s, "alg"],
    [b64u('{"alg":5}') + "." + p + "." + s, "alg"],
    [b64u('{"alg":"HS256","crit":["x"]}') + "." + p + "." + s, "crit"],
    [b64u('{"alg":"HS256","b64":false}') + "." + p + "." + s, "b64"],
    [b64u('{"alg":"HS256","kid":1}') + "." + p + "." + s, "kid"],
    [h + "." + b64u("[]") + "." + s, "payload is not a JSON object"],
    [h + "." + b64u("{") + "." + s, "payload is not JSON"],
    [h + "." + b64u("[".repeat(5000)) + "." + s, "payload is not JSON"],
    ["a".repeat(20000) + "." + p + "." + s, "longer than"],
  ];
  for (const [token, why] of cases) {
    const got = w.jwsVerify(token, jwks);
    assert.ok(got.includes(why), `${token.slice(0, 60)} -> ${got}`);
  }
  for (const alg of ["none", "None", "HS257", "ES256", "ES512", "PS256", ""]) {
    const token = b64u(JSON.stringify({ alg })) + "." + p + ".";
    assert.equal(w.jwsVerify(token, jwks), "bad signature", alg);
  }
  // random garbage
  const r = rng(11);
  const chars = "eyJ0.-_=+/ABCabc{}\"\u00e9";
  for (let i = 0; i < 2000; i++) {
    let t = "";
    for (let j = r.int(60); j > 0; j--) t += chars[r.int(chars.length)];
    w.jwsVerify(t, jwks);
  }
});

test("time claims with leeway; malformed dates refused", () => {
  const now = 1700000000;
  const check = (claims, leeway = 60, requireExp = false) => w.timeClaims(JSON.stringify(claims), BigInt(now), BigInt(leeway), requireExp);
  assert.equal(check({}), "");
  assert.equal(check({}, 60, true), "exp is missing");
  assert.equal(check({ exp: now + 1 }), "");
  assert.equal(check({ exp: now - 60 }), "");
  assert.equal(check({ exp: now - 61 }), "token is expired");
  assert.equal(check({ exp: now - 61 }, 0), "token is expired");
  assert.equal(check({ exp: now }, 0), "");
  assert.equal(check({ nbf: now + 60 }), "");
  assert.equal(check({ nbf: now + 61 }), "token is not valid yet");
  assert.equal(check({ iat: now + 61 }), "token is issued in the future");
  assert.equal(check({ exp: now + 0.5 }), "");
  assert.equal(check({ exp: String(now + 100) }), "exp is not a number");
  assert.equal(check({ nbf: true }), "nbf is not a number");
  assert.equal(check({ iat: [1] }), "iat is not a number");
  assert.equal(check({ exp: 1e300 }), "exp is not a number");
  assert.equal(check({ exp: null }), "");
});

test("claim values as header text", () => {
  assert.equal(w.claimText('"alice"'), "alice");
  assert.equal(w.claimText("1700000000"), "1700000000");
  assert.equal(w.claimText("true"), "true");
  assert.equal(w.claimText('["a","b"]'), '["a","b"]');
  assert.equal(w.claimText('{"x":1}'), '{"x":1}');
});
