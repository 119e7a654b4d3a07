// Time from the host's clock (tests inject theirs).
import { proxy_get_current_time_nanoseconds } from "./abi";
import { RETURN_SLOTS } from "./memory";

/** Wall-clock time in nanoseconds since the epoch. */
export function currentTimeNanos(): u64 {
  store<u64>(RETURN_SLOTS, 0);
  proxy_get_current_time_nanoseconds(RETURN_SLOTS);
  return load<u64>(RETURN_SLOTS);
}

export function currentTimeMillis(): u64 {
  return currentTimeNanos() / 1_000_000;
}

export function currentTimeSeconds(): u64 {
  return currentTimeNanos() / 1_000_000_000;
}
