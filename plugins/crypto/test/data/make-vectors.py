#!/usr/bin/env python3
# Regenerates the known-answer data the crypto tests use (run from this directory;
# needs python3 and openssl). The committed files are what the tests read: this
# script only documents where each value comes from.
#
# vectors.json
#   sha:    the NIST example messages of FIPS 180-4 (csrc.nist.gov "Examples with
#           intermediate values": "abc", the 448-bit and 896-bit messages, and one
#           million 'a') plus the empty message, with their published digests
#           (recomputed here with Python's hashlib).
#   hmac:   RFC 4231 test cases 1-7 (SHA-256/384/512; case 5 truncated to 128 bits)
#           and RFC 2202 test cases 1-7 (SHA-1), recomputed with Python's hmac.
# rsa.json
#   RSA keys made by `openssl genpkey` for this repository, as JWK members, and
#   RSASSA-PKCS1-v1_5 signatures by `openssl dgst -sign` of a fixed message.
# ec.json
#   P-256 and P-384 keys made by `openssl genpkey` for this repository, their public
#   JWK members (crv, x, y; RFC 7518 §6.2.1), and ECDSA signatures by `openssl dgst
#   -sign` of a fixed message with SHA-256, SHA-384 and SHA-512, both as OpenSSL
#   writes them (DER, SEC 1 §C.8) and as JWS carries them (r || s, RFC 7518 §3.4).
#
# Arguments name the files to regenerate (vectors.json, rsa.json, ec.json); none: all.
import base64, hashlib, hmac, json, re, subprocess, os, sys

wanted = sys.argv[1:] or ["vectors.json", "rsa.json", "ec.json"]

def hx(b): return b.hex()

sha_msgs = [
    ("empty", b""),
    ("abc", b"abc"),
    ("448-bit", b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    ("896-bit", b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
]
sha = []
for name, m in sha_msgs:
    sha.append({"name": name, "hex": hx(m), "repeat": 1,
                "sha1": hashlib.sha1(m).hexdigest(), "sha256": hashlib.sha256(m).hexdigest(),
                "sha384": hashlib.sha384(m).hexdigest(), "sha512": hashlib.sha512(m).hexdigest()})
million = b"a" * 1000000
sha.append({"name": "one million a", "hex": hx(b"a"), "repeat": 1000000,
            "sha1": hashlib.sha1(million).hexdigest(), "sha256": hashlib.sha256(million).hexdigest(),
            "sha384": hashlib.sha384(million).hexdigest(), "sha512": hashlib.sha512(million).hexdigest()})

rfc4231 = [
    (b"\x0b" * 20, b"Hi There", None),
    (b"Jefe", b"what do ya want for nothing?", None),
    (b"\xaa" * 20, b"\xdd" * 50, None),
    (bytes(range(1, 26)), b"\xcd" * 50, None),
    (b"\x0c" * 20, b"Test With Truncation", 16),
    (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First", None),
    (b"\xaa" * 131, b"This is a test using a larger than block-size key and a larger than block-size data."
                    b" The key needs to be hashed before being used by the HMAC algorithm.", None),
]
rfc2202 = [
    (b"\x0b" * 20, b"Hi There", None),
    (b"Jefe", b"what do ya want for nothing?", None),
    (b"\xaa" * 20, b"\xdd" * 50, None),
    (bytes(range(1, 26)), b"\xcd" * 50, None),
    (b"\x0c" * 20, b"Test With Truncation", None),
    (b"\xaa" * 80, b"Test Using Larger Than Block-Size Key - Hash Key First", None),
    (b"\xaa" * 80, b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data", None),
]
hm = []
for i, (k, d, trunc) in enumerate(rfc4231):
    for alg, fn in (("sha256", hashlib.sha256), ("sha384", hashlib.sha384), ("sha512", hashlib.sha512)):
        mac = hmac.new(k, d, fn).digest()
        hm.append({"name": "RFC 4231 case %d %s" % (i + 1, alg), "alg": alg, "key": hx(k), "data": hx(d),
                   "mac": hx(mac[:trunc] if trunc else mac), "truncate": trunc or 0})
for i, (k, d, trunc) in enumerate(rfc2202):
    hm.append({"name": "RFC 2202 case %d sha1" % (i + 1), "alg": "sha1", "key": hx(k), "data": hx(d),
               "mac": hmac.new(k, d, hashlib.sha1).hexdigest(), "truncate": 0})
if "vectors.json" in wanted:
  with open("vectors.json", "w") as f:
    json.dump({"sha": sha, "hmac": hm}, f, indent=1)
    f.write("\n")

def b64u(n):
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def key_members(pem):
    text = subprocess.run(["openssl", "rsa", "-in", pem, "-text", "-noout"], check=True,
                          capture_output=True, text=True).stdout
    names = {"modulus": "n", "privateExponent": "d", "prime1": "p", "prime2": "q",
             "exponent1": "dp", "exponent2": "dq", "coefficient": "qi"}
    out = {}
    cur = None
    buf = ""
    for line in text.splitlines():
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            if cur: out[names[cur]] = b64u(int(buf.replace(":", ""), 16))
            cur, buf = (m.group(1) if m.group(1) in names else None), ""
            if m.group(1) == "publicExponent":
                out["e"] = b64u(int(m.group(2).split()[0]))
        elif cur:
            buf += line.strip()
    if cur: out[names[cur]] = b64u(int(buf.replace(":", ""), 16))
    return out

message = b"wasm-gateway crypto test message: RSASSA-PKCS1-v1_5 known answer\n"
keys = []
for bits in ((1024, 2048, 2050, 3072, 4096) if "rsa.json" in wanted else ()):
    pem = "/tmp/wasm-gateway-rsa-%d.pem" % bits
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:%d" % bits,
                    "-out", pem], check=True, capture_output=True)
    jwk = key_members(pem)
    sigs = {}
    for alg in ("sha256", "sha384", "sha512"):
        sig = subprocess.run(["openssl", "dgst", "-" + alg, "-sign", pem], input=message, check=True,
                             capture_output=True).stdout
        sigs[alg] = base64.urlsafe_b64encode(sig).rstrip(b"=").decode()
    keys.append({"bits": bits, "jwk": jwk, "signatures": sigs})
    os.remove(pem)
if "rsa.json" in wanted:
  with open("rsa.json", "w") as f:
    json.dump({"message": hx(message), "keys": keys}, f, indent=1)
    f.write("\n")

def der_to_raw(der, size):
    # SEQUENCE { INTEGER r, INTEGER s } (short or one-byte long lengths) to r || s
    assert der[0] == 0x30
    at = 2 if der[1] < 0x80 else 3
    out = b""
    for _ in range(2):
        assert der[at] == 0x02
        length = der[at + 1]
        value = int.from_bytes(der[at + 2:at + 2 + length], "big")
        out += value.to_bytes(size, "big")
        at += 2 + length
    assert at == len(der)
    return out

def b64u_bytes(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

ec_message = b"wasm-gateway crypto test message: ECDSA known answer\n"
ec_keys = []
for crv, size in ((("P-256", 32), ("P-384", 48)) if "ec.json" in wanted else ()):
    pem = "/tmp/wasm-gateway-ec-%s.pem" % crv
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + crv,
                    "-out", pem], check=True, capture_output=True)
    spki = subprocess.run(["openssl", "pkey", "-in", pem, "-pubout", "-outform", "DER"], check=True,
                          capture_output=True).stdout
    point = spki[-(2 * size + 1):]  # the uncompressed point 04 || x || y ends the SubjectPublicKeyInfo
    assert point[0] == 4
    jwk = {"kty": "EC", "crv": crv, "x": b64u_bytes(point[1:1 + size]), "y": b64u_bytes(point[1 + size:])}
    sigs = {}
    for alg in ("sha256", "sha384", "sha512"):
        der = subprocess.run(["openssl", "dgst", "-" + alg, "-sign", pem], input=ec_message, check=True,
                             capture_output=True).stdout
        sigs[alg] = {"der": b64u_bytes(der), "raw": b64u_bytes(der_to_raw(der, size))}
    ec_keys.append({"crv": crv, "size": size, "jwk": jwk, "signatures": sigs})
    os.remove(pem)
if "ec.json" in wanted:
  with open("ec.json", "w") as f:
    json.dump({"message": hx(ec_message), "keys": ec_keys}, f, indent=1)
    f.write("\n")
