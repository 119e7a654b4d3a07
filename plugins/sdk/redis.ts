// Higress Redis calls: proxy_redis_init / proxy_redis_call, with commands encoded
// as RESP arrays of bulk strings and replies decoded into a RespValue tree.
import { proxy_redis_call, proxy_redis_init } from "./abi";
import { HttpContext, RedisCallHandler, registerRedisCall } from "./context";
import { RETURN_SLOTS } from "./memory";
import { Status } from "./types";

export enum RespType {
  SimpleString = 0,
  Error = 1,
  Integer = 2,
  BulkString = 3,
  Array = 4,
  /** A null bulk string or null array (`$-1`, `*-1`). */
  Null = 5,
}

/** A decoded RESP reply. */
export class RespValue {
  text: string = "";
  integer: i64 = 0;
  items: RespValue[] = [];

  constructor(public readonly type: RespType) {}

  get isError(): bool {
    return this.type == RespType.Error;
  }

  get isNull(): bool {
    return this.type == RespType.Null;
  }

  /** The value as an integer: integers, and strings holding one (else `fallback`). */
  asInteger(fallback: i64 = 0): i64 {
    if (this.type == RespType.Integer) return this.integer;
    if (this.type == RespType.BulkString || this.type == RespType.SimpleString) {
      const parsed = parseRespInteger(this.text);
      return parsed.ok ? parsed.value : fallback;
    }
    return fallback;
  }

  /** Readable form for logs: `+OK`, `-ERR ...`, `:3`, `"text"`, `[...]`, `nil`. */
  describe(): string {
    switch (this.type) {
      case RespType.SimpleString: return "+" + this.text;
      case RespType.Error: return "-" + this.text;
      case RespType.Integer: return ":" + this.integer.toString();
      case RespType.BulkString: return "\"" + this.text + "\"";
      case RespType.Null: return "nil";
      default: {
        const parts = new Array<string>(this.items.length);
        for (let i = 0; i < this.items.length; i++) parts[i] = this.items[i].describe();
        return "[" + parts.join(", ") + "]";
      }
    }
  }
}

class RespInteger {
  constructor(public ok: bool, public value: i64) {}
}

function parseRespInteger(text: string): RespInteger {
  let i = 0;
  let negative = false;
  if (text.length > 0 && text.charCodeAt(0) == 0x2d) {
    negative = true;
    i = 1;
  }
  if (i >= text.length || text.length - i > 18) return new RespInteger(false, 0);
  let value: i64 = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return new RespInteger(false, 0);
    value = value * 10 + <i64>(c - 0x30);
  }
  return new RespInteger(true, negative ? -value : value);
}

/** `*N\r\n` then `$len\r\narg\r\n` per argument (lengths in bytes). */
export function encodeCommand(args: string[]): ArrayBuffer {
  const parts = new Array<ArrayBuffer>(args.length);
  const headers = new Array<ArrayBuffer>(args.length);
  const head = String.UTF8.encode("*" + args.length.toString() + "\r\n");
  let size = head.byteLength;
  for (let i = 0; i < args.length; i++) {
    const bytes = String.UTF8.encode(args[i]);
    const header = String.UTF8.encode("$" + bytes.byteLength.toString() + "\r\n");
    parts[i] = bytes;
    headers[i] = header;
    size += header.byteLength + bytes.byteLength + 2;
  }
  const out = new ArrayBuffer(size);
  let at = changetype<usize>(out);
  memory.copy(at, changetype<usize>(head), <usize>head.byteLength);
  at += <usize>head.byteLength;
  for (let i = 0; i < args.length; i++) {
    const header = headers[i];
    const bytes = parts[i];
    memory.copy(at, changetype<usize>(header), <usize>header.byteLength);
    at += <usize>header.byteLength;
    memory.copy(at, changetype<usize>(bytes), <usize>bytes.byteLength);
    at += <usize>bytes.byteLength;
    store<u8>(at++, 0x0d);
    store<u8>(at++, 0x0a);
  }
  return out;
}

/** Most nesting decodeResp accepts. */
const RESP_MAX_DEPTH: i32 = 16;

/** Decodes one RESP value from `bytes`; null when malformed or incomplete (never traps). */
export function decodeResp(bytes: ArrayBuffer): RespValue | null {
  const reader = new RespReader(changetype<usize>(bytes), <usize>bytes.byteLength);
  return reader.read(0);
}

class RespReader {
  at: usize = 0;

  constructor(public base: usize, public size: usize) {}

  /** The line up to CRLF (without it), or null when there is none. */
  line(): string | null {
    for (let i = this.at; i + 1 < this.size; i++) {
      if (load<u8>(this.base + i) == 0x0d && load<u8>(this.base + i + 1) == 0x0a) {
        const text = String.UTF8.decodeUnsafe(this.base + this.at, i - this.at);
        this.at = i + 2;
        return text;
      }
    }
    return null;
  }

  read(depth: i32): RespValue | null {
    if (depth > RESP_MAX_DEPTH || this.at >= this.size) return null;
    const marker = load<u8>(this.base + this.at);
    this.at++;
    const line = this.line();
    if (line === null) return null;
    if (marker == 0x2b) { // +
      const value = new RespValue(RespType.SimpleString);
      value.text = line;
      return value;
    }
    if (marker == 0x2d) { // -
      const value = new RespValue(RespType.Error);
      value.text = line;
      return value;
    }
    const number = parseRespInteger(line);
    if (!number.ok) return null;
    if (marker == 0x3a) { // :
      const value = new RespValue(RespType.Integer);
      value.integer = number.value;
      return value;
    }
    if (marker == 0x24) { // $
      if (number.value < 0) return new RespValue(RespType.Null);
      const length = <usize>number.value;
      if (number.value > <i64>(this.size - this.at) || this.size - this.at - length < 2) return null;
      const value = new RespValue(RespType.BulkString);
      value.text = String.UTF8.decodeUnsafe(this.base + this.at, length);
      this.at += length + 2;
      return value;
    }
    if (marker == 0x2a) { // *
      if (number.value < 0) return new RespValue(RespType.Null);
      // each element takes at least 3 bytes: refuse counts the input cannot hold
      if (number.value > <i64>((this.size - this.at) / 3)) return null;
      const value = new RespValue(RespType.Array);
      for (let i: i64 = 0; i < number.value; i++) {
        const item = this.read(depth + 1);
        if (item === null) return null;
        value.items.push(item);
      }
      return value;
    }
    return null;
  }
}

/** Receives a decoded Redis reply. `reply` is null when the call failed or the reply was not RESP. */
export abstract class RedisReplyHandler extends RedisCallHandler {
  abstract onReply(status: u32, reply: RespValue | null): void;

  onRawReply(status: u32, reply: ArrayBuffer): void {
    this.onReply(status, status == 0 ? decodeResp(reply) : null);
  }
}

/**
 * The cluster name Higress gives a Redis service: `outbound|<port>||<service>`, with
 * `?db=<n>` when a database other than 0 is chosen.
 */
export function redisClusterName(serviceName: string, port: i64, database: i64 = 0): string {
  let name = "outbound|" + port.toString() + "||" + serviceName;
  if (database > 0) name += "?db=" + database.toString();
  return name;
}

/** A Redis cluster known to the host by name. */
export class RedisClient {
  constructor(public readonly cluster: string) {}

  /** proxy_redis_init: BadArgument when the host does not know the cluster. */
  init(username: string, password: string, timeoutMilliseconds: u32): Status {
    const cluster = String.UTF8.encode(this.cluster);
    const user = String.UTF8.encode(username);
    const secret = String.UTF8.encode(password);
    return <Status>proxy_redis_init(changetype<usize>(cluster), <usize>cluster.byteLength, changetype<usize>(user),
      <usize>user.byteLength, changetype<usize>(secret), <usize>secret.byteLength, timeoutMilliseconds);
  }

  /**
   * Sends a command (`["INCR", "key"]`). The handler runs with `context` active. On
   * anything but Ok the handler will never run.
   */
  command(args: string[], handler: RedisCallHandler, context: HttpContext | null): Status {
    if (context !== null) context.activate();
    const cluster = String.UTF8.encode(this.cluster);
    const query = encodeCommand(args);
    store<u32>(RETURN_SLOTS, 0);
    const status = <Status>proxy_redis_call(changetype<usize>(cluster), <usize>cluster.byteLength,
      changetype<usize>(query), <usize>query.byteLength, RETURN_SLOTS);
    if (status == Status.Ok) registerRedisCall(load<u32>(RETURN_SLOTS), context, handler);
    return status;
  }

  /** EVAL script numkeys keys... args... */
  eval(script: string, keys: string[], args: string[], handler: RedisCallHandler, context: HttpContext | null): Status {
    const command = new Array<string>();
    command.push("EVAL");
    command.push(script);
    command.push(keys.length.toString());
    for (let i = 0; i < keys.length; i++) command.push(keys[i]);
    for (let i = 0; i < args.length; i++) command.push(args[i]);
    return this.command(command, handler, context);
  }
}
