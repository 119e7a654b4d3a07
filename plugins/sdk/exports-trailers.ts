// Trailer callbacks, for plugins that read or change trailers:
//   export * from "../../../sdk/exports-trailers";
import { dispatchRequestTrailers, dispatchResponseTrailers } from "./context";
import { maybeCollectGarbage } from "./gc";

export function proxy_on_request_trailers(contextId: u32, trailerCount: u32): u32 {
  const action = dispatchRequestTrailers(contextId, trailerCount);
  maybeCollectGarbage();
  return action;
}

export function proxy_on_response_trailers(contextId: u32, trailerCount: u32): u32 {
  const action = dispatchResponseTrailers(contextId, trailerCount);
  maybeCollectGarbage();
  return action;
}
