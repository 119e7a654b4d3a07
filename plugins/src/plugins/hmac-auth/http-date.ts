// The times Higress's hmac-auth accepts for `date_offset`: an HTTP date in the Date
// header (the formats of its httpTime: RFC 7231 §7.1.1.1's IMF-fixdate, with or
// without "+00:00" after GMT, the obsolete RFC 850 and asctime forms) or, without a
// Date header, the X-Ca-Timestamp header in milliseconds (13 digits or more) or
// seconds. Higress reads the dates with absl::ParseTime; this is a parser of exactly
// those four forms: names of days and months in full or abbreviated and in any case,
// one or two digits where the form has two, whitespace where the form has a space.

import { utcSeconds } from "../../../sdk";

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
  "november", "december"];

function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09;
}

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function isLetter(c: i32): bool {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Reads one format over a text; `at` moves on, `failed` sticks. */
class Scanner {
  at: i32 = 0;
  failed: bool = false;
  day: i32 = 0;
  month: i32 = 0;
  year: i64 = 0;
  hour: i32 = 0;
  minute: i32 = 0;
  second: i32 = 0;

  constructor(public text: string) {}

  skipSpaces(): void {
    while (this.at < this.text.length && isSpace(this.text.charCodeAt(this.at))) this.at++;
  }

  /** A space of the format: any run of whitespace, also none (as absl). */
  space(): void {
    this.skipSpaces();
  }

  literal(expected: string): void {
    if (this.failed) return;
    if (this.text.substr(this.at, expected.length) != expected) {
      this.failed = true;
      return;
    }
    this.at += expected.length;
  }

  /** A number of `min`..`max` digits. */
  number(min: i32, max: i32): i64 {
    if (this.failed) return 0;
    let value: i64 = 0;
    let count = 0;
    while (count < max && this.at < this.text.length && isDigit(this.text.charCodeAt(this.at))) {
      value = value * 10 + <i64>(this.text.charCodeAt(this.at) - 0x30);
      this.at++;
      count++;
    }
    if (count < min) this.failed = true;
    return value;
  }

  /** The index of a name in `names`, written in full or as its first three letters, any case. */
  name(names: string[]): i32 {
    if (this.failed) return -1;
    let end = this.at;
    while (end < this.text.length && isLetter(this.text.charCodeAt(end))) end++;
    const word = this.text.substring(this.at, end).toLowerCase();
    for (let i = 0; i < names.length; i++) {
      if (word == names[i] || (word.length == 3 && names[i].startsWith(word))) {
        this.at = end;
        return i;
      }
    }
    this.failed = true;
    return -1;
  }

  weekday(): void {
    this.name(DAYS);
  }

  monthName(): void {
    this.month = this.name(MONTHS) + 1;
  }

  time(): void {
    this.hour = <i32>this.number(1, 2);
    this.literal(":");
    this.minute = <i32>this.number(1, 2);
    this.literal(":");
    this.second = <i32>this.number(1, 2);
  }

  /** Seconds since the epoch, or -1 when the text was not exactly this form of a real date. */
  finish(): i64 {
    this.skipSpaces();
    if (this.failed || this.at != this.text.length) return -1;
    return utcSeconds(this.year, this.month, this.day, this.hour, this.minute, this.second);
  }
}

/** "%a, %d %b %Y %H:%M:%S GMT" and, with `offset`, the same followed by "+00:00". */
function imfFixdate(text: string, offset: bool): i64 {
  const s = new Scanner(text);
  s.skipSpaces();
  s.weekday();
  s.literal(",");
  s.space();
  s.day = <i32>s.number(1, 2);
  s.space();
  s.monthName();
  s.space();
  s.year = s.number(1, 9);
  s.space();
  s.time();
  s.space();
  s.literal(offset ? "GMT+00:00" : "GMT");
  return s.finish();
}

/** "%A, %d-%b-%y %H:%M:%S GMT" (RFC 850): years 69-99 are 19xx, 00-68 20xx (POSIX %y). */
function rfc850(text: string): i64 {
  const s = new Scanner(text);
  s.skipSpaces();
  s.weekday();
  s.literal(",");
  s.space();
  s.day = <i32>s.number(1, 2);
  s.literal("-");
  s.monthName();
  s.literal("-");
  const year = s.number(2, 2);
  s.year = year >= 69 ? 1900 + year : 2000 + year;
  s.space();
  s.time();
  s.space();
  s.literal("GMT");
  return s.finish();
}

/** "%a %b %e %H:%M:%S %Y" (asctime): the day may be space-padded. */
function asctime(text: string): i64 {
  const s = new Scanner(text);
  s.skipSpaces();
  s.weekday();
  s.space();
  s.monthName();
  s.space();
  s.day = <i32>s.number(1, 2);
  s.space();
  s.time();
  s.space();
  s.year = s.number(1, 9);
  return s.finish();
}

/** Seconds since the epoch of an HTTP date in one of Higress's four forms, or -1. */
export function parseHttpDate(text: string): i64 {
  if (text.length > 64) return -1;
  let seconds = imfFixdate(text, false);
  if (seconds < 0) seconds = imfFixdate(text, true);
  if (seconds < 0) seconds = rfc850(text);
  if (seconds < 0) seconds = asctime(text);
  return seconds;
}

/**
 * Seconds since the epoch of an X-Ca-Timestamp: a decimal integer (surrounding
 * whitespace and a sign allowed, as absl::SimpleAtoi), in milliseconds when it has 13
 * characters or more (Higress's rule), else in seconds; null when it is not a number.
 */
export function parseTimestamp(text: string): Box<i64> | null {
  const trimmed = text.trim();
  let at = 0;
  let negative = false;
  if (at < trimmed.length && (trimmed.charCodeAt(at) == 0x2b || trimmed.charCodeAt(at) == 0x2d)) {
    negative = trimmed.charCodeAt(at) == 0x2d;
    at++;
  }
  if (at >= trimmed.length || trimmed.length - at > 18) return null;
  let value: i64 = 0;
  for (; at < trimmed.length; at++) {
    const c = trimmed.charCodeAt(at);
    if (!isDigit(c)) return null;
    value = value * 10 + <i64>(c - 0x30);
  }
  if (negative) value = -value;
  // the unit follows the length of the header's text, as Higress counts it
  if (text.length >= 13) value = value >= 0 ? value / 1000 : -((-value + 999) / 1000);
  return new Box<i64>(value);
}

export class Box<T> {
  constructor(public value: T) {}
}
