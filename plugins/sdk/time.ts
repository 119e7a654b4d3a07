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

function daysInMonth(year: i64, month: i32): i32 {
  if (month == 2) return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/**
 * Seconds since the epoch of a UTC date and time (proleptic Gregorian calendar, month
 * 1-12), or -1 when a field is out of range (February 30th, hour 24, second 60) or the
 * time is before 1970 (no request carries one). For plugins that read dates from headers.
 */
export function utcSeconds(year: i64, month: i32, day: i32, hour: i32, minute: i32, second: i32): i64 {
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return -1;
  // days from 1970-01-01 (the era arithmetic of a civil-to-days conversion, years from March)
  const y = month <= 2 ? year - 1 : year;
  const era = y / 400;
  const yearOfEra = y - era * 400;
  const dayOfYear = (153 * <i64>((month + 9) % 12) + 2) / 5 + <i64>day - 1;
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  const days = era * 146097 + dayOfEra - 719468;
  return days * 86400 + <i64>hour * 3600 + <i64>minute * 60 + <i64>second;
}
