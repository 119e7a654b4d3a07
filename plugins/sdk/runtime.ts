// AssemblyScript's abort() (failed assertion, index out of range, out of memory)
// is routed here by `asc --use abort=sdk/runtime/sdkAbort`: the plugin imports no
// env.abort; the reason is logged with proxy_log at CRITICAL, then the call traps,
// and the host's containment reports it with the Wasm stack.
import { proxy_log } from "./abi";
import { LogLevel } from "./types";

export function sdkAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "plugin aborted: " + (message !== null ? message : "abort");
  if (fileName !== null) {
    text += " (" + fileName + ":" + line.toString() + ":" + column.toString() + ")";
  }
  const bytes = String.UTF8.encode(text);
  proxy_log(<u32>LogLevel.Critical, changetype<usize>(bytes), <usize>bytes.byteLength);
  unreachable();
}
