// Reading plugin configuration from a JSON object with type checks and messages
// that name the offending field, e.g. `_rules_[1].allow must not be empty`.
// The first problem is kept; a parser goes on reading (AssemblyScript has no
// exceptions) and checks `ok` at the end.
import { JsonArray, JsonKind, JsonObject, JsonValue } from "./json";

/** The first configuration error of a parse. */
export class Problems {
  message: string = "";

  get ok(): bool {
    return this.message.length == 0;
  }

  /** Records `message` unless an earlier problem was recorded. */
  fail(message: string): void {
    if (this.message.length == 0) this.message = message;
  }
}

/** A JSON object of the configuration with its path (for messages) and shared Problems. */
export class ConfigObject {
  constructor(public readonly json: JsonObject, public readonly problems: Problems, public readonly path: string = "") {}

  get ok(): bool {
    return this.problems.ok;
  }

  /** The path of `key` for messages: `key`, or `parent.key`. */
  where(key: string): string {
    return this.path.length == 0 ? key : this.path + "." + key;
  }

  fail(message: string): void {
    this.problems.fail(message);
  }

  has(key: string): bool {
    const value = this.json.get(key);
    return value !== null && !value.isNull;
  }

  raw(key: string): JsonValue | null {
    const value = this.json.get(key);
    return value !== null && !value.isNull ? value : null;
  }

  /** A string field; numbers and booleans are accepted as their text (as Higress's gjson does). */
  string(key: string, fallback: string = ""): string {
    const value = this.raw(key);
    if (value === null) return fallback;
    const text = scalarText(value);
    if (text === null) {
      this.fail(this.where(key) + " must be a string, not " + value.typeName());
      return fallback;
    }
    return text;
  }

  /** A string field that must be present and not empty. */
  requiredString(key: string): string {
    if (!this.has(key)) {
      this.fail(this.where(key) + " is required");
      return "";
    }
    const text = this.string(key);
    if (this.ok && text.length == 0) this.fail(this.where(key) + " must not be empty");
    return text;
  }

  /** A boolean field; "true"/"false" strings are accepted. */
  bool(key: string, fallback: bool): bool {
    const value = this.raw(key);
    if (value === null) return fallback;
    const flag = value.asBool();
    if (flag !== null) return flag.value;
    const text = value.asString();
    if (text !== null) {
      if (text.value == "true") return true;
      if (text.value == "false") return false;
    }
    this.fail(this.where(key) + " must be true or false, not " + value.stringify());
    return fallback;
  }

  /** An integer field in [minimum, maximum]; integer strings are accepted. */
  integer(key: string, fallback: i64, minimum: i64 = i64.MIN_VALUE, maximum: i64 = i64.MAX_VALUE): i64 {
    const value = this.raw(key);
    if (value === null) return fallback;
    let result: i64 = 0;
    let valid = false;
    const number = value.asNumber();
    if (number !== null) {
      if (number.integer) {
        result = number.intValue;
        valid = true;
      } else if (number.value == Math.floor(number.value) && Math.abs(number.value) < 9.0e15) {
        result = <i64>number.value;
        valid = true;
      }
    } else {
      const text = value.asString();
      if (text !== null) {
        const parsed = parseInteger(text.value);
        if (parsed !== null) {
          result = parsed.value;
          valid = true;
        }
      }
    }
    if (!valid) {
      this.fail(this.where(key) + " must be an integer, not " + value.stringify());
      return fallback;
    }
    if (result < minimum || result > maximum) {
      this.fail(this.where(key) + " must be between " + minimum.toString() + " and " + maximum.toString()
        + ", not " + result.toString());
      return fallback;
    }
    return result;
  }

  /** An array of strings (scalars taken as text), or null when absent. */
  stringArray(key: string): string[] | null {
    const value = this.raw(key);
    if (value === null) return null;
    const array = value.asArray();
    if (array === null) {
      this.fail(this.where(key) + " must be an array of strings, not " + value.typeName());
      return null;
    }
    const result = new Array<string>();
    for (let i = 0; i < array.items.length; i++) {
      const text = scalarText(array.items[i]);
      if (text === null) {
        this.fail(this.where(key) + "[" + i.toString() + "] must be a string, not " + array.items[i].typeName());
        return null;
      }
      result.push(text);
    }
    return result;
  }

  /** An array of objects, each wrapped with its path, or null when absent. */
  objectArray(key: string): ConfigObject[] | null {
    const value = this.raw(key);
    if (value === null) return null;
    const array = value.asArray();
    if (array === null) {
      this.fail(this.where(key) + " must be an array of objects, not " + value.typeName());
      return null;
    }
    const result = new Array<ConfigObject>();
    for (let i = 0; i < array.items.length; i++) {
      const object = array.items[i].asObject();
      if (object === null) {
        this.fail(this.where(key) + "[" + i.toString() + "] must be an object, not " + array.items[i].typeName());
        return null;
      }
      result.push(new ConfigObject(object, this.problems, this.where(key) + "[" + i.toString() + "]"));
    }
    return result;
  }

  /** A nested object, or null when absent. */
  object(key: string): ConfigObject | null {
    const value = this.raw(key);
    if (value === null) return null;
    const object = value.asObject();
    if (object === null) {
      this.fail(this.where(key) + " must be an object, not " + value.typeName());
      return null;
    }
    return new ConfigObject(object, this.problems, this.where(key));
  }

  /** An array field (any items), or null when absent. */
  array(key: string): JsonArray | null {
    const value = this.raw(key);
    if (value === null) return null;
    const array = value.asArray();
    if (array === null) this.fail(this.where(key) + " must be an array, not " + value.typeName());
    return array;
  }
}

/** The text of a string, number or boolean; null for other kinds. */
export function scalarText(value: JsonValue): string | null {
  if (value.kind == JsonKind.String) return value.asString()!.value;
  if (value.kind == JsonKind.Number) return value.asNumber()!.raw;
  if (value.kind == JsonKind.Bool) return value.asBool()!.value ? "true" : "false";
  return null;
}

/** A parsed integer (boxed so that "not an integer" is null). */
export class ParsedInteger {
  constructor(public value: i64) {}
}

/** A decimal integer with optional sign and surrounding spaces; null when not one or out of range. */
export function parseInteger(text: string): ParsedInteger | null {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) == 0x20) i++;
  while (end > i && text.charCodeAt(end - 1) == 0x20) end--;
  let negative = false;
  if (i < end && (text.charCodeAt(i) == 0x2d || text.charCodeAt(i) == 0x2b)) {
    negative = text.charCodeAt(i) == 0x2d;
    i++;
  }
  if (i >= end || end - i > 18) return null;
  let value: i64 = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    value = value * 10 + <i64>(c - 0x30);
  }
  return new ParsedInteger(negative ? -value : value);
}
