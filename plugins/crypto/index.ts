// wasm-gateway's AssemblyScript crypto library for the auth plugins (hmac-auth,
// hmac-auth-apisix, jwt-auth, oauth). Import from here:
//
//   import { hmac, HashAlgorithm, base64UrlDecode, rsaPkcs1v15Verify } from "../../../crypto";
//
// Everything is written for this repository from the specifications: FIPS 180-4
// (SHA-1, SHA-2), RFC 1321 (MD5), RFC 2104 (HMAC), RFC 4648 (base64), RFC 8017 (RSA
// PKCS #1 v1.5 and PSS), RFC 7518 (JWK RSA and EC members), FIPS 186-5 (ECDSA on P-256,
// P-384 and P-521), RFC 8032 and RFC 8037 (Ed25519, OKP keys). See README.md beside
// this file.
export * from "./sha";
export * from "./md5";
export * from "./hmac";
export * from "./base64";
export * from "./bytes";
export * from "./bigint";
export * from "./rsa";
export * from "./ec";
export * from "./ed25519";
export * from "./jose";
