// JOSE for the auth plugins: JWK and JWK Set parsing (RFC 7517, RFC 7518 §6, RFC 8037
// §2), compact JWS parsing, verification and signing (RFC 7515 §7.1) with HS256/384/512
// and RS256/384/512 (RFC 7518 §3.2, §3.3), verification with ES256/384/512 (§3.4),
// PS256/384/512 (§3.5) and EdDSA with Ed25519 (RFC 8037 §3.1), and JWT numeric-date
// checks (RFC 7519 §4.1.4, §4.1.5).
//
// Uses the SDK's JSON parser (sdk/json.ts, which imports nothing else of the SDK).
// Nothing here traps on hostile input: every parse answers a result with an error.
import { JsonKind, JsonObject, JsonValue, parseJson, quoteJson } from "../sdk/json";
import { base64UrlDecode, base64UrlDecodeRange, base64UrlEncode, base64UrlEncodeString, Padding } from "./base64";
import { constantTimeEqual, utf8Bytes, utf8Decode } from "./bytes";
import { ecCurve, ecdsaVerify, ecError, EcPublicKey, ecPublicKeyFromJwk } from "./ec";
import { ed25519PublicKey, Ed25519PublicKey, ed25519Verify } from "./ed25519";
import { hmac } from "./hmac";
import {
  rsaError, rsaPkcs1v15Sign, rsaPkcs1v15Verify, RsaPrivateKey, RsaPublicKey, rsaPrivateKeyFromJwk, rsaPssVerify,
  rsaPublicKeyFromJwk,
} from "./rsa";
import { HashAlgorithm } from "./sha";

/** The JWS algorithms this module verifies (and signs: HS* and RS*). */
export enum JwsAlgorithm {
  None = 0,
  HS256 = 1,
  HS384 = 2,
  HS512 = 3,
  RS256 = 4,
  RS384 = 5,
  RS512 = 6,
  ES256 = 7,
  ES384 = 8,
  ES512 = 9,
  PS256 = 10,
  PS384 = 11,
  PS512 = 12,
  EdDSA = 13,
}

/** The algorithm named `name` ("HS256", ...), or None for anything else (also "none"). */
export function jwsAlgorithm(name: string): JwsAlgorithm {
  if (name == "HS256") return JwsAlgorithm.HS256;
  if (name == "HS384") return JwsAlgorithm.HS384;
  if (name == "HS512") return JwsAlgorithm.HS512;
  if (name == "RS256") return JwsAlgorithm.RS256;
  if (name == "RS384") return JwsAlgorithm.RS384;
  if (name == "RS512") return JwsAlgorithm.RS512;
  if (name == "ES256") return JwsAlgorithm.ES256;
  if (name == "ES384") return JwsAlgorithm.ES384;
  if (name == "ES512") return JwsAlgorithm.ES512;
  if (name == "PS256") return JwsAlgorithm.PS256;
  if (name == "PS384") return JwsAlgorithm.PS384;
  if (name == "PS512") return JwsAlgorithm.PS512;
  if (name == "EdDSA") return JwsAlgorithm.EdDSA;
  return JwsAlgorithm.None;
}

export function jwsAlgorithmName(alg: JwsAlgorithm): string {
  switch (alg) {
    case JwsAlgorithm.HS256: return "HS256";
    case JwsAlgorithm.HS384: return "HS384";
    case JwsAlgorithm.HS512: return "HS512";
    case JwsAlgorithm.RS256: return "RS256";
    case JwsAlgorithm.RS384: return "RS384";
    case JwsAlgorithm.RS512: return "RS512";
    case JwsAlgorithm.ES256: return "ES256";
    case JwsAlgorithm.ES384: return "ES384";
    case JwsAlgorithm.ES512: return "ES512";
    case JwsAlgorithm.PS256: return "PS256";
    case JwsAlgorithm.PS384: return "PS384";
    case JwsAlgorithm.PS512: return "PS512";
    case JwsAlgorithm.EdDSA: return "EdDSA";
    default: return "none";
  }
}

export function isHmacAlgorithm(alg: JwsAlgorithm): bool {
  return alg >= JwsAlgorithm.HS256 && alg <= JwsAlgorithm.HS512;
}

/** RS256/384/512 (RSASSA-PKCS1-v1_5). */
export function isRsaAlgorithm(alg: JwsAlgorithm): bool {
  return alg >= JwsAlgorithm.RS256 && alg <= JwsAlgorithm.RS512;
}

/** PS256/384/512 (RSASSA-PSS). */
export function isPssAlgorithm(alg: JwsAlgorithm): bool {
  return alg >= JwsAlgorithm.PS256 && alg <= JwsAlgorithm.PS512;
}

/** The algorithms of an RSA key: RS* and PS*. */
export function isRsaKeyAlgorithm(alg: JwsAlgorithm): bool {
  return isRsaAlgorithm(alg) || isPssAlgorithm(alg);
}

export function isEcAlgorithm(alg: JwsAlgorithm): bool {
  return alg >= JwsAlgorithm.ES256 && alg <= JwsAlgorithm.ES512;
}

/** The curve an ES* algorithm signs on (RFC 7518 §3.4): "P-256", "P-384", "P-521"; "" for others. */
export function jwsCurve(alg: JwsAlgorithm): string {
  if (alg == JwsAlgorithm.ES256) return "P-256";
  if (alg == JwsAlgorithm.ES384) return "P-384";
  if (alg == JwsAlgorithm.ES512) return "P-521";
  return "";
}

/** The hash of a JWS algorithm (SHA-256 for None, never used). */
export function jwsHash(alg: JwsAlgorithm): HashAlgorithm {
  switch (alg) {
    case JwsAlgorithm.HS384:
    case JwsAlgorithm.RS384:
    case JwsAlgorithm.ES384:
    case JwsAlgorithm.PS384:
      return HashAlgorithm.SHA384;
    case JwsAlgorithm.HS512:
    case JwsAlgorithm.RS512:
    case JwsAlgorithm.ES512:
    case JwsAlgorithm.PS512:
    case JwsAlgorithm.EdDSA: // Ed25519 hashes with SHA-512 itself (RFC 8032 §5.1)
      return HashAlgorithm.SHA512;
    default:
      return HashAlgorithm.SHA256;
  }
}

// ------------------------------------------------------------------ JWK

/** A verification key of a JWK Set: a shared secret ("oct"), an RSA, an EC or an Ed25519 ("OKP") public key. */
export class Jwk {
  kty: string = "";
  kid: string = "";
  /** The "alg" member, "" when absent; when present a token must use exactly this algorithm. */
  alg: string = "";
  /** The "oct" key bytes. */
  secret: Uint8Array | null = null;
  rsa: RsaPublicKey | null = null;
  /** The "EC" public key (P-256, P-384 or P-521). */
  ec: EcPublicKey | null = null;
  /** The "OKP" public key (Ed25519). */
  ed25519: Ed25519PublicKey | null = null;

  /** Whether this key can verify a token signed with `alg`. */
  accepts(alg: JwsAlgorithm): bool {
    if (alg == JwsAlgorithm.None) return false;
    if (this.alg.length > 0 && this.alg != jwsAlgorithmName(alg)) return false;
    if (isHmacAlgorithm(alg)) return this.secret !== null;
    if (isRsaKeyAlgorithm(alg)) return this.rsa !== null;
    if (alg == JwsAlgorithm.EdDSA) return this.ed25519 !== null;
    const ec = this.ec;
    return isEcAlgorithm(alg) && ec !== null && ec.curve.name == jwsCurve(alg);
  }
}

/** A parsed JWK Set: the usable keys, and why any other key was left out. */
export class JwkSet {
  keys: Jwk[] = [];
  /** One line per key left out (unsupported type or use), for a warning. */
  skipped: string[] = [];

  /** The first key whose "kid" is `kid`, or null. */
  firstWithKid(kid: string): Jwk | null {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (unchecked(keys[i]).kid == kid) return unchecked(keys[i]);
    }
    return null;
  }
}

export class JwksResult {
  constructor(public readonly set: JwkSet | null, public readonly error: string) {}
}

function stringMember(o: JsonObject, key: string): string | null {
  const v = o.get(key);
  if (v === null || v.kind != JsonKind.String) return null;
  return v.asString()!.value;
}

/** Parses one JWK; null with `problem[0]` set when it is malformed, or with `skip[0]` set when unsupported. */
function parseJwkObject(o: JsonObject, where: string, problem: string[], skip: string[]): Jwk | null {
  const ktyValue = o.get("kty");
  if (ktyValue === null || ktyValue.kind != JsonKind.String) {
    problem[0] = where + ": \"kty\" is required and must be a string";
    return null;
  }
  for (let i = 0; i < o.keys.length; i++) {
    const key = o.keys[i];
    if ((key == "kid" || key == "alg" || key == "use") && o.get(key)!.kind != JsonKind.String) {
      problem[0] = where + ": \"" + key + "\" must be a string";
      return null;
    }
  }
  const jwk = new Jwk();
  jwk.kty = ktyValue.asString()!.value;
  const kid = stringMember(o, "kid");
  if (kid !== null) jwk.kid = kid;
  const alg = stringMember(o, "alg");
  if (alg !== null) jwk.alg = alg;
  const use = stringMember(o, "use");
  const label = where + (jwk.kid.length > 0 ? " (kid " + jwk.kid + ")" : "");
  if (use !== null && use != "sig") {
    skip[0] = label + ": use \"" + use + "\" is not \"sig\"";
    return null;
  }
  if (jwk.alg.length > 0 && jwsAlgorithm(jwk.alg) == JwsAlgorithm.None) {
    skip[0] = label + ": algorithm \"" + jwk.alg + "\" is not supported";
    return null;
  }
  if (jwk.kty == "oct") {
    const k = stringMember(o, "k");
    if (k === null) {
      problem[0] = label + ": \"k\" is required for an oct key";
      return null;
    }
    const secret = base64UrlDecode(k, Padding.Optional);
    if (secret === null) {
      problem[0] = label + ": \"k\" is not base64url";
      return null;
    }
    if (secret.length == 0) {
      problem[0] = label + ": \"k\" is empty";
      return null;
    }
    if (jwk.alg.length > 0 && !isHmacAlgorithm(jwsAlgorithm(jwk.alg))) {
      problem[0] = label + ": algorithm " + jwk.alg + " does not fit an oct key";
      return null;
    }
    jwk.secret = secret;
    return jwk;
  }
  if (jwk.kty == "RSA") {
    const n = stringMember(o, "n");
    const e = stringMember(o, "e");
    if (n === null || e === null) {
      problem[0] = label + ": \"n\" and \"e\" are required for an RSA key";
      return null;
    }
    if (jwk.alg.length > 0 && !isRsaKeyAlgorithm(jwsAlgorithm(jwk.alg))) {
      problem[0] = label + ": algorithm " + jwk.alg + " does not fit an RSA key";
      return null;
    }
    const key = rsaPublicKeyFromJwk(n, e);
    if (key === null) {
      problem[0] = label + ": " + rsaError();
      return null;
    }
    jwk.rsa = key;
    return jwk;
  }
  if (jwk.kty == "EC") {
    const crv = stringMember(o, "crv");
    const x = stringMember(o, "x");
    const y = stringMember(o, "y");
    if (crv === null || x === null || y === null) {
      problem[0] = label + ": \"crv\", \"x\" and \"y\" are required for an EC key";
      return null;
    }
    if (ecCurve(crv) === null) {
      skip[0] = label + ": curve \"" + crv + "\" is not supported";
      return null;
    }
    if (jwk.alg.length > 0 && jwsCurve(jwsAlgorithm(jwk.alg)) != crv) {
      problem[0] = label + ": algorithm " + jwk.alg + " does not fit a " + crv + " key";
      return null;
    }
    const key = ecPublicKeyFromJwk(crv, x, y);
    if (key === null) {
      problem[0] = label + ": " + ecError();
      return null;
    }
    jwk.ec = key;
    return jwk;
  }
  if (jwk.kty == "OKP") {
    const crv = stringMember(o, "crv");
    const x = stringMember(o, "x");
    if (crv === null || x === null) {
      problem[0] = label + ": \"crv\" and \"x\" are required for an OKP key";
      return null;
    }
    if (crv != "Ed25519") {
      skip[0] = label + ": curve \"" + crv + "\" is not supported";
      return null;
    }
    if (jwk.alg.length > 0 && jwk.alg != "EdDSA") {
      problem[0] = label + ": algorithm " + jwk.alg + " does not fit an Ed25519 key";
      return null;
    }
    // RFC 8037 §2: x is the 32-byte public key, base64url (padding tolerated when exact)
    const bytes = x.length <= 44 ? base64UrlDecode(x, Padding.Optional) : null;
    if (bytes === null || bytes.length != 32) {
      problem[0] = label + ": \"x\" must be base64url of the 32-byte Ed25519 public key";
      return null;
    }
    const key = ed25519PublicKey(bytes);
    if (key === null) {
      problem[0] = label + ": \"x\" is not a point of Ed25519";
      return null;
    }
    jwk.ed25519 = key;
    return jwk;
  }
  skip[0] = label + ": key type \"" + jwk.kty + "\" is not supported";
  return null;
}

/**
 * A JWK Set (RFC 7517 §5) from its JSON text, or a single JWK. Keys of other types,
 * EC keys on other curves than P-256, P-384 and P-521, OKP keys on other curves than
 * Ed25519 (Ed448, X25519), and keys for encryption are left out and listed in
 * `skipped`; a malformed key (an EC point off its curve, an Ed25519 x that is no point),
 * an empty set, or a set with no usable key is an error.
 */
export function parseJwks(text: string): JwksResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return new JwksResult(null, "not JSON: " + parsed.error);
  return jwksFromJson(parsed.value!);
}

export function jwksFromJson(value: JsonValue): JwksResult {
  const root = value.asObject();
  if (root === null) return new JwksResult(null, "must be a JSON object");
  const set = new JwkSet();
  const problem = [""];
  const skip = [""];
  const keysValue = root.get("keys");
  if (keysValue === null) {
    // a single JWK
    const jwk = parseJwkObject(root, "key", problem, skip);
    if (problem[0].length > 0) return new JwksResult(null, problem[0]);
    if (jwk === null) return new JwksResult(null, "no usable key: " + skip[0]);
    set.keys.push(jwk);
    return new JwksResult(set, "");
  }
  const keys = keysValue.asArray();
  if (keys === null) return new JwksResult(null, "\"keys\" must be an array");
  if (keys.items.length == 0) return new JwksResult(null, "\"keys\" is empty");
  for (let i = 0; i < keys.items.length; i++) {
    const where = "keys[" + i.toString() + "]";
    const o = keys.items[i].asObject();
    if (o === null) return new JwksResult(null, where + " must be an object");
    problem[0] = "";
    skip[0] = "";
    const jwk = parseJwkObject(o, where, problem, skip);
    if (problem[0].length > 0) return new JwksResult(null, problem[0]);
    if (jwk === null) {
      set.skipped.push(skip[0]);
      continue;
    }
    set.keys.push(jwk);
  }
  if (set.keys.length == 0) return new JwksResult(null, "no usable key: " + set.skipped.join("; "));
  return new JwksResult(set, "");
}

/** An RSA private key from a JWK object (n, e, d and optionally p, q, dp, dq, qi); null with `problem[0]`. */
export function rsaPrivateKeyFromJwkJson(o: JsonObject, problem: string[]): RsaPrivateKey | null {
  const kty = stringMember(o, "kty");
  if (kty === null || kty != "RSA") {
    problem[0] = "\"kty\" must be \"RSA\"";
    return null;
  }
  const names = ["n", "e", "d", "p", "q", "dp", "dq", "qi"];
  const values = new Array<string>(8);
  for (let i = 0; i < 8; i++) {
    const v = o.get(names[i]);
    if (v === null) {
      if (i < 3) {
        problem[0] = "\"" + names[i] + "\" is required";
        return null;
      }
      values[i] = "";
      continue;
    }
    if (v.kind != JsonKind.String) {
      problem[0] = "\"" + names[i] + "\" must be a string";
      return null;
    }
    values[i] = v.asString()!.value;
  }
  const key = rsaPrivateKeyFromJwk(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
  if (key === null) problem[0] = rsaError();
  return key;
}

// ------------------------------------------------------------------ compact JWS

/** Tokens longer than this are refused before any decoding. */
export const JWS_MAX_LENGTH: i32 = 16384;

/** A compact JWS split and decoded (RFC 7515 §7.1); the signature is not checked yet. */
export class CompactJws {
  /** The "alg" header as written. */
  algName: string;
  alg: JwsAlgorithm;
  kid: string;
  typ: string;

  constructor(
    public header: JsonObject,
    public payload: JsonObject,
    alg: string,
    kid: string,
    typ: string,
    /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)). */
    public signingInput: Uint8Array,
    public signature: Uint8Array,
  ) {
    this.algName = alg;
    this.alg = jwsAlgorithm(alg);
    this.kid = kid;
    this.typ = typ;
  }
}

export class JwsResult {
  constructor(public readonly jws: CompactJws | null, public readonly error: string) {}
}

/**
 * Splits and decodes a compact JWS whose payload is a JSON object (a JWT). Refused:
 * more or fewer than three parts, anything that is not unpadded base64url, a
 * header or payload that is not a JSON object, a missing or non-string "alg",
 * "crit" (no extension is understood), "b64", non-string "kid"/"typ", tokens over
 * JWS_MAX_LENGTH characters.
 */
export function parseCompactJws(token: string): JwsResult {
  if (token.length == 0) return new JwsResult(null, "empty token");
  if (token.length > JWS_MAX_LENGTH) return new JwsResult(null, "token longer than " + JWS_MAX_LENGTH.toString() + " characters");
  // the dots in one pass (String#indexOf compares a substring at every position)
  const length = token.length;
  const chars = changetype<usize>(token);
  let first = -1;
  let second = -1;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    if (load<u16>(chars + (<usize>i << 1)) != 0x2e) continue;
    if (dots == 0) first = i;
    else if (dots == 1) second = i;
    dots++;
  }
  if (dots == 0) return new JwsResult(null, "not a compact JWS: no '.'");
  if (dots == 1) return new JwsResult(null, "not a compact JWS: two parts");
  if (dots > 2) return new JwsResult(null, "not a compact JWS: more than three parts");
  const headerBytes = base64UrlDecodeRange(token, 0, first);
  if (headerBytes === null || headerBytes.length == 0) return new JwsResult(null, "header is not base64url");
  const payloadBytes = base64UrlDecodeRange(token, first + 1, second);
  if (payloadBytes === null) return new JwsResult(null, "payload is not base64url");
  const signature = base64UrlDecodeRange(token, second + 1, token.length);
  if (signature === null) return new JwsResult(null, "signature is not base64url");
  const headerJson = parseJson(utf8Decode(headerBytes));
  if (!headerJson.ok) return new JwsResult(null, "header is not JSON: " + headerJson.error);
  const header = headerJson.value!.asObject();
  if (header === null) return new JwsResult(null, "header is not a JSON object");
  const payloadJson = parseJson(utf8Decode(payloadBytes));
  if (!payloadJson.ok) return new JwsResult(null, "payload is not JSON: " + payloadJson.error);
  const payload = payloadJson.value!.asObject();
  if (payload === null) return new JwsResult(null, "payload is not a JSON object");
  const alg = stringMember(header, "alg");
  if (alg === null) return new JwsResult(null, "header has no string \"alg\"");
  if (header.has("crit")) return new JwsResult(null, "header has \"crit\": no extension is supported");
  if (header.has("b64")) return new JwsResult(null, "header has \"b64\": unencoded payloads are not supported");
  for (let i = 0; i < header.keys.length; i++) {
    const key = header.keys[i];
    if ((key == "kid" || key == "typ") && header.get(key)!.kind != JsonKind.String) {
      return new JwsResult(null, "header \"" + key + "\" is not a string");
    }
  }
  const kid = stringMember(header, "kid");
  const typ = stringMember(header, "typ");
  const jws = new CompactJws(header, payload, alg, kid !== null ? kid : "", typ !== null ? typ : "",
    asciiBytes(token, second), signature);
  return new JwsResult(jws, "");
}

/** The first `length` characters of `text`, which are ASCII (base64url and '.': checked by the decoding), as bytes. */
function asciiBytes(text: string, length: i32): Uint8Array {
  const bytes = new Uint8Array(length);
  const from = changetype<usize>(text);
  const to = bytes.dataStart;
  for (let i = 0; i < length; i++) store<u8>(to + <usize>i, <u8>load<u16>(from + (<usize>i << 1)));
  return bytes;
}

/** Whether the signature of `jws` is valid under `key` (the algorithm must suit the key). */
export function verifyJws(jws: CompactJws, key: Jwk): bool {
  const alg = jws.alg;
  if (!key.accepts(alg)) return false;
  const input = jws.signingInput;
  if (isHmacAlgorithm(alg)) {
    const expected = hmac(jwsHash(alg), changetype<Uint8Array>(key.secret), input);
    return constantTimeEqual(expected, jws.signature);
  }
  if (isEcAlgorithm(alg)) return ecdsaVerify(changetype<EcPublicKey>(key.ec), jwsHash(alg), input, jws.signature);
  if (alg == JwsAlgorithm.EdDSA) return ed25519Verify(changetype<Ed25519PublicKey>(key.ed25519), input, jws.signature);
  if (isPssAlgorithm(alg)) return rsaPssVerify(changetype<RsaPublicKey>(key.rsa), jwsHash(alg), input, jws.signature);
  return rsaPkcs1v15Verify(changetype<RsaPublicKey>(key.rsa), jwsHash(alg), input, jws.signature);
}

/** Verifies an HMAC-signed `jws` with a raw secret (the algorithm must be HS*). */
export function verifyJwsHmac(jws: CompactJws, secret: Uint8Array): bool {
  if (!isHmacAlgorithm(jws.alg)) return false;
  const expected = hmac(jwsHash(jws.alg), secret, jws.signingInput);
  return constantTimeEqual(expected, jws.signature);
}

/** Verifies an RSA-signed `jws` with a public key (the algorithm must be RS*). */
export function verifyJwsRsa(jws: CompactJws, key: RsaPublicKey): bool {
  if (!isRsaAlgorithm(jws.alg)) return false;
  return rsaPkcs1v15Verify(key, jwsHash(jws.alg), jws.signingInput, jws.signature);
}

/** BASE64URL(header) "." BASE64URL(payload) of two JSON texts. */
export function jwsSigningInput(headerJson: string, payloadJson: string): string {
  return base64UrlEncodeString(headerJson) + "." + base64UrlEncodeString(payloadJson);
}

/** A compact JWS signed with HS256/384/512 under `secret`. */
export function signJwsHmac(alg: JwsAlgorithm, secret: Uint8Array, headerJson: string, payloadJson: string): string {
  const input = jwsSigningInput(headerJson, payloadJson);
  const mac = hmac(jwsHash(alg), secret, utf8Bytes(input));
  return input + "." + base64UrlEncode(mac);
}

/** A compact JWS signed with RS256/384/512; null when the key is too short for the hash. */
export function signJwsRsa(alg: JwsAlgorithm, key: RsaPrivateKey, headerJson: string, payloadJson: string): string | null {
  const input = jwsSigningInput(headerJson, payloadJson);
  const signature = rsaPkcs1v15Sign(key, jwsHash(alg), utf8Bytes(input));
  if (signature === null) return null;
  return input + "." + base64UrlEncode(signature);
}

/** A JOSE header: {"alg":...,"typ":...[,"kid":...]}. */
export function joseHeader(alg: JwsAlgorithm, typ: string, kid: string = ""): string {
  let text = "{\"alg\":" + quoteJson(jwsAlgorithmName(alg));
  if (kid.length > 0) text += ",\"kid\":" + quoteJson(kid);
  if (typ.length > 0) text += ",\"typ\":" + quoteJson(typ);
  return text + "}";
}

// ------------------------------------------------------------------ JWT claims

// A NumericDate claim (RFC 7519 §2), read by numericDate into these (no object per
// claim: every request checks three of them).
const DATE_ABSENT = 0;
const DATE_PRESENT = 1;
const DATE_INVALID = 2;
/** The seconds of the claim numericDate found present (fraction dropped). */
let dateSeconds: i64 = 0;

/** Whether the NumericDate `name` of `claims` (a JSON number) is absent, present (in dateSeconds) or invalid. */
function numericDate(claims: JsonObject, name: string): i32 {
  const v = claims.get(name);
  if (v === null || v.kind == JsonKind.Null) return DATE_ABSENT;
  const n = v.asNumber();
  if (n === null) return DATE_INVALID;
  if (n.integer) {
    dateSeconds = n.intValue;
    return DATE_PRESENT;
  }
  const f = n.value;
  if (!isFinite(f) || f > 9.0e15 || f < -9.0e15) return DATE_INVALID;
  dateSeconds = <i64>Math.floor(f);
  return DATE_PRESENT;
}

/** Why time claims refuse a token ("" when they accept it). */
export function checkTimeClaims(claims: JsonObject, now: i64, leeway: i64, requireExp: bool): string {
  const exp = numericDate(claims, "exp");
  const expSeconds = dateSeconds;
  const nbf = numericDate(claims, "nbf");
  const nbfSeconds = dateSeconds;
  const iat = numericDate(claims, "iat");
  const iatSeconds = dateSeconds;
  if (exp == DATE_INVALID) return "exp is not a number";
  if (nbf == DATE_INVALID) return "nbf is not a number";
  if (iat == DATE_INVALID) return "iat is not a number";
  if (requireExp && exp == DATE_ABSENT) return "exp is missing";
  if (exp == DATE_PRESENT && now - leeway > expSeconds) return "token is expired";
  if (nbf == DATE_PRESENT && now + leeway < nbfSeconds) return "token is not valid yet";
  if (iat == DATE_PRESENT && now + leeway < iatSeconds) return "token is issued in the future";
  return "";
}

/** The claim as header text: strings as they are, integers in decimal, others as JSON. */
export function claimText(value: JsonValue): string {
  if (value.kind == JsonKind.String) return value.asString()!.value;
  return value.stringify();
}
