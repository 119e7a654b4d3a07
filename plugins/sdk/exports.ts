// The proxy-wasm exports every plugin needs. A plugin's entry file re-exports
// them:   export * from "../../../sdk/exports";
// Body and trailer callbacks are in exports-body.ts / exports-trailers.ts so a
// plugin that does not read bodies does not export them (a host may then skip
// streaming bodies through the plugin).
//
// Garbage is collected when a callback returns: the SDK runs on AssemblyScript's
// minimal runtime, whose collector must be called when no managed value lives on
// the stack only, which is exactly then. A full collection marks every live object,
// so it runs only every COLLECT_EVERY callbacks, after every configuration, and
// whenever linear memory had to grow since the last one (free blocks ran out).
import {
  dispatchConfigure,
  dispatchContextCreate,
  dispatchDelete,
  dispatchDone,
  dispatchHttpCallResponse,
  dispatchLog,
  dispatchQueueReady,
  dispatchRedisCallResponse,
  dispatchRequestHeaders,
  dispatchResponseHeaders,
  dispatchTick,
  dispatchVmStart,
} from "./context";

// The abort handler asc routes abort() to (`--use abort=sdk/runtime/sdkAbort`).
import "./runtime";
import { collectGarbageNow, maybeCollectGarbage } from "./gc";

export function proxy_abi_version_0_2_1(): void {}

/** The allocator the host uses for everything it returns to the plugin. */
export function malloc(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  dispatchContextCreate(contextId, parentId);
  maybeCollectGarbage();
}

export function proxy_on_vm_start(rootId: u32, vmConfigurationSize: usize): bool {
  const ok = dispatchVmStart(rootId, vmConfigurationSize);
  maybeCollectGarbage();
  return ok;
}

export function proxy_on_configure(rootId: u32, configurationSize: usize): bool {
  const ok = dispatchConfigure(rootId, configurationSize);
  collectGarbageNow();
  return ok;
}

export function proxy_on_tick(rootId: u32): void {
  dispatchTick(rootId);
  maybeCollectGarbage();
}

export function proxy_on_queue_ready(rootId: u32, queueId: u32): void {
  dispatchQueueReady(rootId, queueId);
  maybeCollectGarbage();
}

export function proxy_on_request_headers(contextId: u32, headerCount: u32, endOfStream: bool): u32 {
  const action = dispatchRequestHeaders(contextId, headerCount, endOfStream);
  maybeCollectGarbage();
  return action;
}

export function proxy_on_response_headers(contextId: u32, headerCount: u32, endOfStream: bool): u32 {
  const action = dispatchResponseHeaders(contextId, headerCount, endOfStream);
  maybeCollectGarbage();
  return action;
}

export function proxy_on_log(contextId: u32): void {
  dispatchLog(contextId);
  maybeCollectGarbage();
}

export function proxy_on_done(contextId: u32): bool {
  const done = dispatchDone(contextId);
  maybeCollectGarbage();
  return done;
}

export function proxy_on_delete(contextId: u32): void {
  dispatchDelete(contextId);
  maybeCollectGarbage();
}

export function proxy_on_http_call_response(rootId: u32, token: u32, headerCount: u32, bodySize: u32,
  trailerCount: u32): void {
  dispatchHttpCallResponse(rootId, token, headerCount, bodySize, trailerCount);
  maybeCollectGarbage();
}

export function proxy_on_redis_call_response(rootId: u32, token: u32, status: u32, responseSize: u32): void {
  dispatchRedisCallResponse(rootId, token, status, responseSize);
  maybeCollectGarbage();
}
