// A small strict JSON parser (RFC 8259) producing a typed value tree, for plugin
// configuration. No exceptions in AssemblyScript: parseJson answers a result
// with either a value or an error message naming line and column.

export enum JsonKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

/** Deepest nesting parseJson accepts (deeper input is refused, never a stack overflow). */
export const JSON_MAX_DEPTH: i32 = 64;

export abstract class JsonValue {
  constructor(public readonly kind: JsonKind) {}

  get isNull(): bool {
    return this.kind == JsonKind.Null;
  }

  asBool(): JsonBool | null {
    return this.kind == JsonKind.Bool ? changetype<JsonBool>(this) : null;
  }

  asNumber(): JsonNumber | null {
    return this.kind == JsonKind.Number ? changetype<JsonNumber>(this) : null;
  }

  asString(): JsonString | null {
    return this.kind == JsonKind.String ? changetype<JsonString>(this) : null;
  }

  asArray(): JsonArray | null {
    return this.kind == JsonKind.Array ? changetype<JsonArray>(this) : null;
  }

  asObject(): JsonObject | null {
    return this.kind == JsonKind.Object ? changetype<JsonObject>(this) : null;
  }

  /** "null", "boolean", "number", "string", "array" or "object", for messages. */
  typeName(): string {
    switch (this.kind) {
      case JsonKind.Null: return "null";
      case JsonKind.Bool: return "boolean";
      case JsonKind.Number: return "number";
      case JsonKind.String: return "string";
      case JsonKind.Array: return "array";
      default: return "object";
    }
  }

  /** Compact JSON text of this value. */
  abstract stringify(): string;
}

export class JsonNull extends JsonValue {
  constructor() {
    super(JsonKind.Null);
  }

  stringify(): string {
    return "null";
  }
}

export class JsonBool extends JsonValue {
  constructor(public readonly value: bool) {
    super(JsonKind.Bool);
  }

  stringify(): string {
    return this.value ? "true" : "false";
  }
}

export class JsonNumber extends JsonValue {
  /** `raw` is the number as written; `integer` tells whether it is an exact i64. */
  constructor(public readonly value: f64, public readonly raw: string, public readonly integer: bool,
    public readonly intValue: i64) {
    super(JsonKind.Number);
  }

  stringify(): string {
    return this.raw;
  }
}

export class JsonString extends JsonValue {
  constructor(public readonly value: string) {
    super(JsonKind.String);
  }

  stringify(): string {
    return quoteJson(this.value);
  }
}

export class JsonArray extends JsonValue {
  constructor(public readonly items: JsonValue[]) {
    super(JsonKind.Array);
  }

  get length(): i32 {
    return this.items.length;
  }

  at(index: i32): JsonValue | null {
    return index >= 0 && index < this.items.length ? this.items[index] : null;
  }

  stringify(): string {
    const parts = new Array<string>(this.items.length);
    for (let i = 0; i < this.items.length; i++) parts[i] = this.items[i].stringify();
    return "[" + parts.join(",") + "]";
  }
}

export class JsonObject extends JsonValue {
  /** Keys in document order (a repeated key keeps its first position and last value). */
  readonly keys: string[] = [];
  /** values[i] belongs to keys[i]. */
  private readonly values: JsonValue[] = [];
  /**
   * Key -> index, once the object has more than INDEXED_FROM members; smaller ones (a
   * token's header and claims, most configuration objects) are searched in order,
   * which costs less than hashing the key.
   */
  private index: Map<string, i32> | null = null;

  constructor() {
    super(JsonKind.Object);
  }

  private indexOf(key: string): i32 {
    const index = this.index;
    if (index !== null) return index.has(key) ? index.get(key) : -1;
    const keys = this.keys;
    for (let i = 0, n = keys.length; i < n; i++) {
      if (unchecked(keys[i]) == key) return i;
    }
    return -1;
  }

  set(key: string, value: JsonValue): void {
    const at = this.indexOf(key);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    this.keys.push(key);
    this.values.push(value);
    let index = this.index;
    if (index !== null) {
      index.set(key, this.keys.length - 1);
    } else if (this.keys.length > INDEXED_FROM) {
      index = new Map<string, i32>();
      for (let i = 0; i < this.keys.length; i++) index.set(this.keys[i], i);
      this.index = index;
    }
  }

  has(key: string): bool {
    return this.indexOf(key) >= 0;
  }

  get(key: string): JsonValue | null {
    const at = this.indexOf(key);
    return at >= 0 ? unchecked(this.values[at]) : null;
  }

  get size(): i32 {
    return this.keys.length;
  }

  stringify(): string {
    const parts = new Array<string>(this.keys.length);
    for (let i = 0; i < this.keys.length; i++) {
      parts[i] = quoteJson(this.keys[i]) + ":" + this.values[i].stringify();
    }
    return "{" + parts.join(",") + "}";
  }
}

/** Members up to which a JsonObject is searched in order rather than through a map. */
const INDEXED_FROM: i32 = 8;

/** The outcome of parseJson: a value, or an error with its position. */
export class JsonResult {
  constructor(public readonly value: JsonValue | null, public readonly error: string) {}

  get ok(): bool {
    return this.value !== null;
  }
}

/** Parses JSON text; never traps, whatever the input. */
export function parseJson(text: string): JsonResult {
  const parser = new JsonParser(text);
  parser.skipSpace();
  const value = parser.parseValue(0);
  if (value !== null) {
    parser.skipSpace();
    if (parser.pos < text.length) {
      parser.fail("unexpected characters after the JSON value");
      return new JsonResult(null, parser.describeError());
    }
    return new JsonResult(value, "");
  }
  return new JsonResult(null, parser.describeError());
}

/** A JSON string literal for `text` (quotes and escapes added). */
export function quoteJson(text: string): string {
  const parts = new Array<string>();
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x22 || c == 0x5c || c < 0x20) {
      if (i > start) parts.push(text.substring(start, i));
      if (c == 0x22) parts.push("\\\"");
      else if (c == 0x5c) parts.push("\\\\");
      else if (c == 0x0a) parts.push("\\n");
      else if (c == 0x0d) parts.push("\\r");
      else if (c == 0x09) parts.push("\\t");
      else parts.push("\\u00" + hexDigit(c >> 4) + hexDigit(c & 15));
      start = i + 1;
    }
  }
  if (start < text.length) parts.push(text.substring(start));
  return "\"" + parts.join("") + "\"";
}

function hexDigit(value: i32): string {
  return String.fromCharCode(value < 10 ? 48 + value : 87 + value);
}

/**
 * The UTF-16 code unit at `index`, which the caller has checked is within `text`
 * (charCodeAt checks again with an unsigned comparison, slow in some hosts).
 */
// @ts-ignore: decorator
@inline function codeAt(text: string, index: i32): i32 {
  return <i32>load<u16>(changetype<usize>(text) + (<usize>index << 1));
}

class JsonParser {
  pos: i32 = 0;
  errorAt: i32 = -1;
  error: string = "";

  constructor(public readonly text: string) {}

  fail(message: string): void {
    if (this.errorAt < 0) {
      this.errorAt = this.pos;
      this.error = message;
    }
  }

  describeError(): string {
    let line = 1;
    let column = 1;
    const end = min(this.errorAt, this.text.length);
    for (let i = 0; i < end; i++) {
      if (this.text.charCodeAt(i) == 0x0a) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "invalid JSON at line " + line.toString() + ", column " + column.toString() + ": " + this.error;
  }

  peek(): i32 {
    return this.pos < this.text.length ? codeAt(this.text, this.pos) : -1;
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = codeAt(this.text, this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  parseValue(depth: i32): JsonValue | null {
    if (depth > JSON_MAX_DEPTH) {
      this.fail("nested deeper than " + JSON_MAX_DEPTH.toString() + " levels");
      return null;
    }
    const c = this.peek();
    if (c == 0x7b) return this.parseObject(depth);
    if (c == 0x5b) return this.parseArray(depth);
    if (c == 0x22) {
      const text = this.parseString();
      return text !== null ? new JsonString(text) : null;
    }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (this.literal("true")) return new JsonBool(true);
    if (this.literal("false")) return new JsonBool(false);
    if (this.literal("null")) return new JsonNull();
    if (c < 0) this.fail("unexpected end of input, a value was expected");
    else this.fail("unexpected character '" + String.fromCharCode(c) + "', a value was expected");
    return null;
  }

  literal(word: string): bool {
    if (this.pos + word.length > this.text.length) return false;
    for (let i = 0; i < word.length; i++) {
      if (codeAt(this.text, this.pos + i) != codeAt(word, i)) return false;
    }
    this.pos += word.length;
    return true;
  }

  parseObject(depth: i32): JsonValue | null {
    this.pos++; // {
    const object = new JsonObject();
    this.skipSpace();
    if (this.peek() == 0x7d) {
      this.pos++;
      return object;
    }
    while (true) {
      this.skipSpace();
      if (this.peek() != 0x22) {
        this.fail("expected a member name in double quotes");
        return null;
      }
      const key = this.parseString();
      if (key === null) return null;
      this.skipSpace();
      if (this.peek() != 0x3a) {
        this.fail("expected ':' after the member name");
        return null;
      }
      this.pos++;
      this.skipSpace();
      const value = this.parseValue(depth + 1);
      if (value === null) return null;
      object.set(key, value);
      this.skipSpace();
      const c = this.peek();
      if (c == 0x2c) {
        this.pos++;
        continue;
      }
      if (c == 0x7d) {
        this.pos++;
        return object;
      }
      this.fail("expected ',' or '}' in an object");
      return null;
    }
  }

  parseArray(depth: i32): JsonValue | null {
    this.pos++; // [
    const items = new Array<JsonValue>();
    this.skipSpace();
    if (this.peek() == 0x5d) {
      this.pos++;
      return new JsonArray(items);
    }
    while (true) {
      this.skipSpace();
      const value = this.parseValue(depth + 1);
      if (value === null) return null;
      items.push(value);
      this.skipSpace();
      const c = this.peek();
      if (c == 0x2c) {
        this.pos++;
        continue;
      }
      if (c == 0x5d) {
        this.pos++;
        return new JsonArray(items);
      }
      this.fail("expected ',' or ']' in an array");
      return null;
    }
  }

  /** At an opening quote: the string's value, or null (error set). */
  parseString(): string | null {
    this.pos++; // "
    const text = this.text;
    let start = this.pos;
    let parts: string[] | null = null;
    while (this.pos < text.length) {
      const c = codeAt(text, this.pos);
      if (c == 0x22) {
        const tail = text.substring(start, this.pos);
        this.pos++;
        if (parts === null) return tail;
        parts.push(tail);
        return parts.join("");
      }
      if (c < 0x20) {
        this.fail("control character in a string (escape it)");
        return null;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      if (parts === null) parts = new Array<string>();
      parts.push(text.substring(start, this.pos));
      this.pos++;
      const e = this.peek();
      this.pos++;
      if (e == 0x22) parts.push("\"");
      else if (e == 0x5c) parts.push("\\");
      else if (e == 0x2f) parts.push("/");
      else if (e == 0x62) parts.push("\b");
      else if (e == 0x66) parts.push("\f");
      else if (e == 0x6e) parts.push("\n");
      else if (e == 0x72) parts.push("\r");
      else if (e == 0x74) parts.push("\t");
      else if (e == 0x75) {
        let code = 0;
        for (let i = 0; i < 4; i++) {
          const h = this.peek();
          let digit = -1;
          if (h >= 0x30 && h <= 0x39) digit = h - 0x30;
          else if (h >= 0x61 && h <= 0x66) digit = h - 0x57;
          else if (h >= 0x41 && h <= 0x46) digit = h - 0x37;
          if (digit < 0) {
            this.fail("invalid \\u escape (four hex digits expected)");
            return null;
          }
          code = code * 16 + digit;
          this.pos++;
        }
        parts.push(String.fromCharCode(code));
      } else {
        this.pos--;
        this.fail("invalid escape in a string");
        return null;
      }
      start = this.pos;
    }
    this.fail("unterminated string");
    return null;
  }

  parseNumber(): JsonValue | null {
    const text = this.text;
    const start = this.pos;
    let integer = true;
    let negative = false;
    if (this.peek() == 0x2d) {
      negative = true;
      this.pos++;
    }
    const digitsStart = this.pos;
    if (this.peek() == 0x30) {
      this.pos++;
    } else if (this.peek() >= 0x31 && this.peek() <= 0x39) {
      while (this.peek() >= 0x30 && this.peek() <= 0x39) this.pos++;
    } else {
      this.fail("invalid number");
      return null;
    }
    const digitsEnd = this.pos;
    if (this.peek() == 0x2e) {
      integer = false;
      this.pos++;
      if (!(this.peek() >= 0x30 && this.peek() <= 0x39)) {
        this.fail("invalid number: digits expected after '.'");
        return null;
      }
      while (this.peek() >= 0x30 && this.peek() <= 0x39) this.pos++;
    }
    if (this.peek() == 0x65 || this.peek() == 0x45) {
      integer = false;
      this.pos++;
      if (this.peek() == 0x2b || this.peek() == 0x2d) this.pos++;
      if (!(this.peek() >= 0x30 && this.peek() <= 0x39)) {
        this.fail("invalid number: digits expected in the exponent");
        return null;
      }
      while (this.peek() >= 0x30 && this.peek() <= 0x39) this.pos++;
    }
    const raw = text.substring(start, this.pos);
    let intValue: i64 = 0;
    if (integer) {
      // exact i64 when it fits; else it stays a (rounded) f64
      if (digitsEnd - digitsStart > 18) {
        integer = false;
      } else {
        for (let i = digitsStart; i < digitsEnd; i++) intValue = intValue * 10 + <i64>(codeAt(text, i) - 0x30);
        if (negative) intValue = -intValue;
      }
    }
    const value = integer ? <f64>intValue : parseFloat(raw);
    return new JsonNumber(value, raw, integer, intValue);
  }
}
