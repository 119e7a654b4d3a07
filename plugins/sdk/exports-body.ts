// Body callbacks, for plugins that read or change bodies:
//   export * from "../../../sdk/exports-body";
import { dispatchRequestBody, dispatchResponseBody } from "./context";
import { maybeCollectGarbage } from "./gc";

export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  const action = dispatchRequestBody(contextId, bodySize, endOfStream);
  maybeCollectGarbage();
  return action;
}

export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  const action = dispatchResponseBody(contextId, bodySize, endOfStream);
  maybeCollectGarbage();
  return action;
}
