// Logging through proxy_log: each line goes to the host's logger of this plugin.
import { proxy_get_log_level, proxy_log } from "./abi";
import { RETURN_SLOTS } from "./memory";
import { LogLevel, Status } from "./types";

export function logAt(level: LogLevel, message: string): void {
  const bytes = String.UTF8.encode(message);
  proxy_log(<u32>level, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** The host's lowest enabled level (Trace when the host does not say). */
export function logLevel(): LogLevel {
  store<u32>(RETURN_SLOTS, 0);
  if (proxy_get_log_level(RETURN_SLOTS) != Status.Ok) return LogLevel.Trace;
  return <LogLevel>load<u32>(RETURN_SLOTS);
}

/** Whether a message at `level` would be written: build expensive messages only then. */
export function logEnabled(level: LogLevel): bool {
  return level >= logLevel();
}

export function logTrace(message: string): void {
  logAt(LogLevel.Trace, message);
}

export function logDebug(message: string): void {
  logAt(LogLevel.Debug, message);
}

export function logInfo(message: string): void {
  logAt(LogLevel.Info, message);
}

export function logWarn(message: string): void {
  logAt(LogLevel.Warn, message);
}

export function logError(message: string): void {
  logAt(LogLevel.Error, message);
}

export function logCritical(message: string): void {
  logAt(LogLevel.Critical, message);
}
