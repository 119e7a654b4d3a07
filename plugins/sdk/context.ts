// Root and HTTP contexts, and the table that routes each proxy_on_* callback to
// the context it names. A plugin registers a root context factory at start-up
// (top-level code of its entry file, run by `_start`):
//
//   registerRootContext((id: u32): RootContext => new MyRoot(id));
//
// and its root context creates one HTTP context per stream (createHttpContext).
import {
  proxy_close_stream,
  proxy_continue_stream,
  proxy_done,
  proxy_http_call,
  proxy_send_local_response,
  proxy_set_effective_context,
  proxy_set_tick_period_milliseconds,
} from "./abi";
import { getBufferBytes } from "./buffers";
import { getHeader, getHeaders, HeaderPair, serializeHeaders } from "./headers";
import { logError } from "./log";
import { RETURN_SLOTS } from "./memory";
import { getPropertyString } from "./properties";
import { BodyAction, BufferType, HeadersAction, MapType, Status, StreamType } from "./types";

/**
 * One per plugin configuration in each VM: receives the VM and plugin configuration,
 * ticks and queue notifications, and creates the HTTP contexts.
 */
export class RootContext {
  constructor(public readonly id: u32) {}

  /** proxy_on_vm_start: false rejects the VM configuration (getVmConfiguration()). */
  onVmStart(vmConfigurationSize: usize): bool {
    return true;
  }

  /** proxy_on_configure: false rejects the plugin configuration (getPluginConfiguration()). */
  onConfigure(configurationSize: usize): bool {
    return true;
  }

  onTick(): void {}

  onQueueReady(queueId: u32): void {}

  onDone(): bool {
    return true;
  }

  onDelete(): void {}

  /** The context of a new stream; the default one passes everything through. */
  createHttpContext(contextId: u32): HttpContext {
    return new HttpContext(contextId, this);
  }

  /** Asks for onTick every `milliseconds` (0 stops); call it from onConfigure or onTick. */
  setTickPeriod(milliseconds: u32): Status {
    proxy_set_effective_context(this.id);
    return <Status>proxy_set_tick_period_milliseconds(milliseconds);
  }
}

/**
 * One per HTTP stream. Override the phases the plugin takes part in; each answers
 * what the host does next. To pause and decide later (after a callout or Redis
 * reply), return HeadersAction.StopIteration and call resumeRequest() or
 * sendLocalResponse() from the reply handler.
 */
export class HttpContext {
  /** Set once sendLocalResponse succeeded: the client got its answer. */
  localResponseSent: bool = false;

  /** Tokens of callouts and Redis calls in flight for this stream. */
  pendingTokens: u32[] = [];

  constructor(public readonly id: u32, public readonly root: RootContext) {}

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    return HeadersAction.Continue;
  }

  /** Needs `export * from ".../sdk/exports-body"` in the entry file. */
  onRequestBody(bodySize: u32, endOfStream: bool): BodyAction {
    return BodyAction.Continue;
  }

  /** Needs `export * from ".../sdk/exports-trailers"` in the entry file. */
  onRequestTrailers(trailerCount: u32): HeadersAction {
    return HeadersAction.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    return HeadersAction.Continue;
  }

  /** Needs `export * from ".../sdk/exports-body"` in the entry file. */
  onResponseBody(bodySize: u32, endOfStream: bool): BodyAction {
    return BodyAction.Continue;
  }

  /** Needs `export * from ".../sdk/exports-trailers"` in the entry file. */
  onResponseTrailers(trailerCount: u32): HeadersAction {
    return HeadersAction.Continue;
  }

  onLog(): void {}

  onDone(): bool {
    return true;
  }

  onDelete(): void {}

  /** Makes this stream the one host calls act on (needed in reply handlers). */
  activate(): void {
    proxy_set_effective_context(this.id);
  }

  /** Lets a paused request go on. */
  resumeRequest(): Status {
    this.activate();
    return <Status>proxy_continue_stream(<u32>StreamType.Request);
  }

  /** Lets a paused response go on. */
  resumeResponse(): Status {
    this.activate();
    return <Status>proxy_continue_stream(<u32>StreamType.Response);
  }

  /** Resets the stream. */
  closeRequest(): Status {
    this.activate();
    return <Status>proxy_close_stream(<u32>StreamType.Request);
  }

  /**
   * Answers the client with `status`, `body` and extra `headers` instead of the
   * upstream. `details` is the reason the host logs (Envoy's response code details).
   */
  sendLocalResponse(status: u32, body: string, headers: HeaderPair[] = [], details: string = "",
    grpcStatus: i32 = -1): Status {
    return this.sendLocalResponseBytes(status, String.UTF8.encode(body), headers, details, grpcStatus);
  }

  sendLocalResponseBytes(status: u32, body: ArrayBuffer, headers: HeaderPair[] = [], details: string = "",
    grpcStatus: i32 = -1): Status {
    this.activate();
    const detailBytes = String.UTF8.encode(details);
    const headerBytes = serializeHeaders(headers);
    const result = <Status>proxy_send_local_response(status, changetype<usize>(detailBytes),
      <usize>detailBytes.byteLength, changetype<usize>(body), <usize>body.byteLength,
      changetype<usize>(headerBytes), <usize>headerBytes.byteLength, grpcStatus);
    if (result == Status.Ok) this.localResponseSent = true;
    return result;
  }

  /** Lets the host delete a stream whose onDone answered false. */
  done(): Status {
    this.activate();
    return <Status>proxy_done();
  }
}

// ---- registration

class RootFactory {
  constructor(public rootId: string, public create: (id: u32) => RootContext) {}
}

const factories = new Array<RootFactory>();

/**
 * Registers the root context factory of this plugin for `rootId` (the host's
 * `plugin_root_id`; "" serves every root id without a factory of its own).
 */
export function registerRootContext(create: (id: u32) => RootContext, rootId: string = ""): void {
  factories.push(new RootFactory(rootId, create));
}

const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();

export function rootContext(id: u32): RootContext | null {
  return roots.has(id) ? roots.get(id) : null;
}

export function httpContext(id: u32): HttpContext | null {
  return streams.has(id) ? streams.get(id) : null;
}

// ---- dispatch, called by the exports (exports.ts and friends)

export function dispatchContextCreate(contextId: u32, parentId: u32): void {
  if (parentId == 0) {
    let rootId = getPropertyString(["plugin_root_id"]);
    if (rootId === null) rootId = "";
    let chosen: RootFactory | null = null;
    for (let i = 0; i < factories.length; i++) {
      const factory = factories[i];
      if (factory.rootId == rootId) {
        chosen = factory;
        break;
      }
      if (factory.rootId == "" && chosen === null) chosen = factory;
    }
    if (chosen === null) {
      logError("no root context is registered for root id '" + rootId + "'");
      return;
    }
    const create = chosen.create;
    roots.set(contextId, create(contextId));
    return;
  }
  if (!roots.has(parentId)) return;
  const root = roots.get(parentId);
  streams.set(contextId, root.createHttpContext(contextId));
}

export function dispatchVmStart(rootId: u32, size: usize): bool {
  return roots.has(rootId) ? roots.get(rootId).onVmStart(size) : true;
}

export function dispatchConfigure(rootId: u32, size: usize): bool {
  return roots.has(rootId) ? roots.get(rootId).onConfigure(size) : true;
}

export function dispatchTick(rootId: u32): void {
  if (roots.has(rootId)) roots.get(rootId).onTick();
}

export function dispatchQueueReady(rootId: u32, queueId: u32): void {
  if (roots.has(rootId)) roots.get(rootId).onQueueReady(queueId);
}

export function dispatchRequestHeaders(contextId: u32, count: u32, endOfStream: bool): u32 {
  return streams.has(contextId) ? <u32>streams.get(contextId).onRequestHeaders(count, endOfStream) : 0;
}

export function dispatchRequestBody(contextId: u32, size: u32, endOfStream: bool): u32 {
  return streams.has(contextId) ? <u32>streams.get(contextId).onRequestBody(size, endOfStream) : 0;
}

export function dispatchRequestTrailers(contextId: u32, count: u32): u32 {
  return streams.has(contextId) ? <u32>streams.get(contextId).onRequestTrailers(count) : 0;
}

export function dispatchResponseHeaders(contextId: u32, count: u32, endOfStream: bool): u32 {
  return streams.has(contextId) ? <u32>streams.get(contextId).onResponseHeaders(count, endOfStream) : 0;
}

export function dispatchResponseBody(contextId: u32, size: u32, endOfStream: bool): u32 {
  return streams.has(contextId) ? <u32>streams.get(contextId).onResponseBody(size, endOfStream) : 0;
}

export function dispatchResponseTrailers(contextId: u32, count: u32): u32 {
  return streams.has(contextId) ? <u32>streams.get(contextId).onResponseTrailers(count) : 0;
}

export function dispatchLog(contextId: u32): void {
  if (streams.has(contextId)) streams.get(contextId).onLog();
}

export function dispatchDone(contextId: u32): bool {
  if (streams.has(contextId)) return streams.get(contextId).onDone();
  if (roots.has(contextId)) return roots.get(contextId).onDone();
  return true;
}

export function dispatchDelete(contextId: u32): void {
  if (streams.has(contextId)) {
    const stream = streams.get(contextId);
    streams.delete(contextId);
    for (let i = 0; i < stream.pendingTokens.length; i++) {
      const token = stream.pendingTokens[i];
      if (pendingHttpCalls.has(token)) pendingHttpCalls.delete(token);
      if (pendingRedisCalls.has(token)) pendingRedisCalls.delete(token);
    }
    stream.onDelete();
    return;
  }
  if (roots.has(contextId)) {
    const root = roots.get(contextId);
    roots.delete(contextId);
    root.onDelete();
  }
}

// ---- asynchronous replies: HTTP callouts and Redis calls

/** The answer to a callout, read lazily from the host. */
export class HttpCallResponse {
  constructor(public headerCount: u32, public bodySize: u32, public trailerCount: u32) {}

  /** A failed callout (connection refused, timeout, unknown cluster) has no headers. */
  get failed(): bool {
    return this.headerCount == 0;
  }

  /** The :status, or 0 when the call failed. */
  status(): u32 {
    const value = getHeader(MapType.HttpCallResponseHeaders, ":status");
    if (value === null) return 0;
    let status: u32 = 0;
    for (let i = 0; i < value.length && i < 3; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) return 0;
      status = status * 10 + <u32>(c - 48);
    }
    return status;
  }

  header(name: string): string | null {
    return getHeader(MapType.HttpCallResponseHeaders, name);
  }

  headers(): HeaderPair[] {
    return getHeaders(MapType.HttpCallResponseHeaders);
  }

  body(): ArrayBuffer {
    if (this.bodySize == 0) return new ArrayBuffer(0);
    const bytes = getBufferBytes(BufferType.HttpCallResponseBody, 0, this.bodySize);
    return bytes !== null ? bytes : new ArrayBuffer(0);
  }

  bodyString(): string {
    return String.UTF8.decode(this.body());
  }
}

/** Receives one callout's answer (a closure in object form: keep state in fields). */
export abstract class HttpCallHandler {
  abstract onResponse(response: HttpCallResponse): void;
}

/** Receives one Redis reply: status 0 and the raw RESP bytes, or a failure status. */
export abstract class RedisCallHandler {
  abstract onRawReply(status: u32, reply: ArrayBuffer): void;
}

class PendingHttpCall {
  constructor(public contextId: u32, public handler: HttpCallHandler) {}
}

class PendingRedisCall {
  constructor(public contextId: u32, public handler: RedisCallHandler) {}
}

const pendingHttpCalls = new Map<u32, PendingHttpCall>();
const pendingRedisCalls = new Map<u32, PendingRedisCall>();

/**
 * Sends a callout to `cluster` (a cluster the host knows by name). `headers` must
 * carry :method, :path and :authority. The handler runs with `context` active (the
 * stream that asked, or null from a root context). Returns the host's status; on
 * anything but Ok the handler will never run.
 */
export function httpCall(cluster: string, headers: HeaderPair[], body: ArrayBuffer | null, timeoutMilliseconds: u32,
  handler: HttpCallHandler, context: HttpContext | null, trailers: HeaderPair[] = []): Status {
  const clusterBytes = String.UTF8.encode(cluster);
  const headerBytes = serializeHeaders(headers);
  const trailerBytes = serializeHeaders(trailers);
  const bodyBytes = body !== null ? body : new ArrayBuffer(0);
  if (context !== null) context.activate();
  store<u32>(RETURN_SLOTS, 0);
  const status = <Status>proxy_http_call(changetype<usize>(clusterBytes), <usize>clusterBytes.byteLength,
    changetype<usize>(headerBytes), <usize>headerBytes.byteLength, changetype<usize>(bodyBytes),
    <usize>bodyBytes.byteLength, changetype<usize>(trailerBytes), <usize>trailerBytes.byteLength,
    timeoutMilliseconds, RETURN_SLOTS);
  if (status != Status.Ok) return status;
  const token = load<u32>(RETURN_SLOTS);
  pendingHttpCalls.set(token, new PendingHttpCall(context !== null ? context.id : 0, handler));
  if (context !== null) context.pendingTokens.push(token);
  return status;
}

/** Records a Redis call the host accepted (used by redis.ts). */
export function registerRedisCall(token: u32, context: HttpContext | null, handler: RedisCallHandler): void {
  pendingRedisCalls.set(token, new PendingRedisCall(context !== null ? context.id : 0, handler));
  if (context !== null) context.pendingTokens.push(token);
}

function forgetToken(contextId: u32, token: u32): void {
  if (contextId == 0 || !streams.has(contextId)) return;
  const tokens = streams.get(contextId).pendingTokens;
  const at = tokens.indexOf(token);
  if (at >= 0) tokens.splice(at, 1);
}

export function dispatchHttpCallResponse(rootId: u32, token: u32, headerCount: u32, bodySize: u32,
  trailerCount: u32): void {
  if (!pendingHttpCalls.has(token)) return;
  const call = pendingHttpCalls.get(token);
  pendingHttpCalls.delete(token);
  if (call.contextId != 0) {
    if (!streams.has(call.contextId)) return;
    forgetToken(call.contextId, token);
    proxy_set_effective_context(call.contextId);
  }
  call.handler.onResponse(new HttpCallResponse(headerCount, bodySize, trailerCount));
}

export function dispatchRedisCallResponse(rootId: u32, token: u32, status: u32, size: u32): void {
  if (!pendingRedisCalls.has(token)) return;
  const call = pendingRedisCalls.get(token);
  pendingRedisCalls.delete(token);
  if (call.contextId != 0) {
    if (!streams.has(call.contextId)) return;
    forgetToken(call.contextId, token);
    proxy_set_effective_context(call.contextId);
  }
  let reply: ArrayBuffer | null = null;
  if (size > 0) reply = getBufferBytes(BufferType.RedisCallResponse, 0, size);
  call.handler.onRawReply(status, reply !== null ? reply : new ArrayBuffer(0));
}
