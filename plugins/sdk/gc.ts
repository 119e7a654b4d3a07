// When the plugin collects garbage (see exports.ts). The minimal runtime's
// collector may only run when no managed value lives on the stack only: as a
// callback returns.
/** Callbacks between two collections when memory does not grow (a handful of requests). */
const COLLECT_EVERY: i32 = 64;
let callbacksSinceCollect: i32 = 0;
let pagesAtCollect: i32 = 0;

/** Collects garbage when it is time (see above); called as each callback returns. */
export function maybeCollectGarbage(): void {
  callbacksSinceCollect++;
  if (callbacksSinceCollect >= COLLECT_EVERY || memory.size() > pagesAtCollect) collectGarbageNow();
}

export function collectGarbageNow(): void {
  __collect();
  callbacksSinceCollect = 0;
  pagesAtCollect = memory.size();
}

