// IP addresses and CIDR ranges (IPv4 and IPv6), for client-IP rules.

/** An address as 16 bytes (IPv4 as ::ffff:a.b.c.d) with its family. */
export class IpAddress {
  constructor(public readonly bytes: StaticArray<u8>, public readonly v4: bool) {}
}

/** A parsed address, or null when `text` is not an IPv4/IPv6 address (brackets and a zone are accepted). */
export function parseIp(text: string): IpAddress | null {
  let t = text.trim();
  if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length - 1);
  const zone = t.indexOf("%");
  if (zone >= 0) t = t.substring(0, zone);
  if (t.indexOf(":") < 0) return parseIpv4(t);
  return parseIpv6(t);
}

function parseIpv4(t: string): IpAddress | null {
  const parts = t.split(".");
  if (parts.length != 4) return null;
  const bytes = new StaticArray<u8>(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    if (part.length == 0 || part.length > 3) return null;
    let value = 0;
    for (let j = 0; j < part.length; j++) {
      const c = part.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return null;
      value = value * 10 + (c - 0x30);
    }
    if (value > 255) return null;
    bytes[12 + i] = <u8>value;
  }
  return new IpAddress(bytes, true);
}

function parseIpv6(t: string): IpAddress | null {
  const bytes = new StaticArray<u8>(16);
  const double = t.indexOf("::");
  if (double >= 0 && t.indexOf("::", double + 1) >= 0) return null;
  const head = double >= 0 ? t.substring(0, double) : t;
  const tail = double >= 0 ? t.substring(double + 2) : "";
  const headGroups = head.length > 0 ? head.split(":") : new Array<string>();
  const tailGroups = tail.length > 0 ? tail.split(":") : new Array<string>();
  const words = new Array<i32>();
  const tailWords = new Array<i32>();
  if (!readGroups(headGroups, words, double < 0 && tailGroups.length == 0)) return null;
  if (!readGroups(tailGroups, tailWords, true)) return null;
  const total = words.length + tailWords.length;
  if (double < 0 ? total != 8 : total > 7) return null;
  for (let i = 0; i < words.length; i++) {
    bytes[i * 2] = <u8>(words[i] >> 8);
    bytes[i * 2 + 1] = <u8>words[i];
  }
  const offset = 8 - tailWords.length;
  for (let i = 0; i < tailWords.length; i++) {
    bytes[(offset + i) * 2] = <u8>(tailWords[i] >> 8);
    bytes[(offset + i) * 2 + 1] = <u8>tailWords[i];
  }
  // ::ffff:a.b.c.d is an IPv4 address
  let mapped = true;
  for (let i = 0; i < 10; i++) if (bytes[i] != 0) mapped = false;
  return new IpAddress(bytes, mapped && bytes[10] == 0xff && bytes[11] == 0xff);
}

/** Hex groups into 16-bit words; the last group may be a dotted IPv4 address (two words). */
function readGroups(groups: string[], words: i32[], lastMayBeV4: bool): bool {
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (i == groups.length - 1 && lastMayBeV4 && group.indexOf(".") >= 0) {
      const v4 = parseIpv4(group);
      if (v4 === null) return false;
      words.push((<i32>v4.bytes[12] << 8) | <i32>v4.bytes[13]);
      words.push((<i32>v4.bytes[14] << 8) | <i32>v4.bytes[15]);
      continue;
    }
    if (group.length == 0 || group.length > 4) return false;
    let value = 0;
    for (let j = 0; j < group.length; j++) {
      const c = group.charCodeAt(j);
      let d = -1;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      if (d < 0) return false;
      value = value * 16 + d;
    }
    words.push(value);
  }
  return true;
}

/** The canonical text of an address: dotted IPv4, or IPv6 with the longest zero run as "::" (RFC 5952). */
export function formatIp(ip: IpAddress): string {
  const b = ip.bytes;
  if (ip.v4) {
    return (<i32>b[12]).toString() + "." + (<i32>b[13]).toString() + "." + (<i32>b[14]).toString() + "."
      + (<i32>b[15]).toString();
  }
  const words = new Array<i32>(8);
  for (let i = 0; i < 8; i++) words[i] = (<i32>b[i * 2] << 8) | <i32>b[i * 2 + 1];
  // the longest run of two or more zero words
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] != 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] == 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const parts = new Array<string>();
  for (let i = 0; i < 8; i++) {
    if (i == bestStart) {
      parts.push(i == 0 ? ":" : "");
      i += bestLength - 1;
      if (i == 7) parts.push("");
      continue;
    }
    parts.push(words[i].toString(16));
  }
  return parts.join(":");
}

/** An address range: `10.0.0.0/8`, `2001:db8::/32`, or one address. */
export class IpRange {
  constructor(public readonly base: IpAddress, public readonly prefixBits: i32) {}

  /** Parses `address[/bits]`; null when malformed. */
  static parse(text: string): IpRange | null {
    const slash = text.indexOf("/");
    const address = parseIp(slash < 0 ? text : text.substring(0, slash));
    if (address === null) return null;
    const max = address.v4 ? 32 : 128;
    let bits = max;
    if (slash >= 0) {
      const digits = text.substring(slash + 1).trim();
      if (digits.length == 0 || digits.length > 3) return null;
      bits = 0;
      for (let i = 0; i < digits.length; i++) {
        const c = digits.charCodeAt(i);
        if (c < 0x30 || c > 0x39) return null;
        bits = bits * 10 + (c - 0x30);
      }
      if (bits > max) return null;
    }
    return new IpRange(address, address.v4 ? bits + 96 : bits);
  }

  contains(ip: IpAddress): bool {
    if (ip.v4 != this.base.v4) return false;
    let bits = this.prefixBits;
    for (let i = 0; i < 16 && bits > 0; i++) {
      const mask: i32 = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((<i32>ip.bytes[i] & mask) != (<i32>this.base.bytes[i] & mask)) return false;
      bits -= 8;
    }
    return true;
  }
}

/** The address part of `host:port`, `[v6]:port` or a bare address. */
export function stripAddressPort(address: string): string {
  const t = address.trim();
  if (t.startsWith("[")) {
    const close = t.indexOf("]");
    return close > 0 ? t.substring(1, close) : t;
  }
  const colon = t.indexOf(":");
  // one colon: IPv4 with a port; more: a bare IPv6 address
  if (colon >= 0 && t.indexOf(":", colon + 1) < 0) return t.substring(0, colon);
  return t;
}
