// key-rate-limit: limits requests per key value (from a header or a query
// parameter) on this gateway, compatible with Higress's key-rate-limit plugin.
// Counters live in shared data, so every worker VM of the plugin shares them.
import {
  ConfigObject,
  ConfigParser,
  currentTimeNanos,
  fnv1aHex,
  getPluginConfiguration,
  getRequestHeader,
  getSharedData,
  HeaderPair,
  HeadersAction,
  HttpContext,
  logWarn,
  parseRuleConfig,
  queryValue,
  registerRootContext,
  RootContext,
  RuleMatcher,
  setSharedData,
  Status,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "key-rate-limit";
const SECOND: u64 = 1_000_000_000;
/** Tries of the read-modify-write on shared data when other VMs write concurrently. */
const MAX_CAS_RETRIES = 20;

const WINDOWS: string[] = ["query_per_second", "query_per_minute", "query_per_hour", "query_per_day"];
const WINDOW_NANOS: u64[] = [SECOND, 60 * SECOND, 3600 * SECOND, 86400 * SECOND];

class LimitItem {
  constructor(public key: string, public limit: u64, public windowNanos: u64) {}
}

class KeyRateLimitConfig {
  /** Prefix of this configuration's counters in shared data. */
  id: string = "";
  limitByHeader: string = "";
  limitByParam: string = "";
  limits: Map<string, LimitItem> = new Map<string, LimitItem>();
}

class KeyRateLimitParser extends ConfigParser<KeyRateLimitConfig> {
  count: i32 = 0;

  constructor(public prefix: string) {
    super();
  }

  parseGlobal(c: ConfigObject): KeyRateLimitConfig | null {
    const config = new KeyRateLimitConfig();
    config.id = PLUGIN + ":" + this.prefix + ":" + (this.count++).toString() + ":";
    const items = c.objectArray("limit_keys");
    if (!c.ok) return null;
    if (items === null || items.length == 0) {
      c.fail(c.where("limit_keys") + (items === null ? " is required" : " must not be empty"));
      return null;
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const key = item.requiredString("key");
      if (!c.ok) return null;
      if (config.limits.has(key)) {
        c.fail(item.where("key") + " '" + key + "' is configured twice");
        return null;
      }
      let limit: i64 = 0;
      let window: u64 = 0;
      for (let w = 0; w < WINDOWS.length && limit == 0; w++) {
        if (item.has(WINDOWS[w])) {
          limit = item.integer(WINDOWS[w], 0, 1, 1_000_000_000_000);
          window = WINDOW_NANOS[w];
        }
      }
      if (!c.ok) return null;
      if (limit == 0) {
        c.fail(item.path + " needs one of query_per_second, query_per_minute, query_per_hour and query_per_day");
        return null;
      }
      config.limits.set(key, new LimitItem(key, <u64>limit, window));
    }
    config.limitByHeader = c.string("limit_by_header", "");
    config.limitByParam = c.string("limit_by_param", "");
    if (!c.ok) return null;
    if ((config.limitByHeader.length == 0) == (config.limitByParam.length == 0)) {
      c.fail((c.path.length > 0 ? c.path + ": " : "") + "exactly one of limit_by_header and limit_by_param must be set");
      return null;
    }
    return config;
  }
}

class KeyRateLimitRoot extends RootContext {
  matcher: RuleMatcher<KeyRateLimitConfig> | null = null;

  onConfigure(configurationSize: usize): bool {
    const text = getPluginConfiguration();
    // counters are keyed by the configuration, so two configurations never share them
    const matcher = parseRuleConfig<KeyRateLimitConfig>(PLUGIN, text, new KeyRateLimitParser(fnv1aHex(text)));
    if (matcher === null) return false;
    this.matcher = matcher;
    const global = matcher.global;
    if (global !== null) createCounters(global);
    for (let i = 0; i < matcher.rules.length; i++) createCounters(matcher.rules[i].config);
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new KeyRateLimitContext(contextId, this);
  }
}

/** The outcome of taking a token: allowed or not, and seconds until the window resets. */
class Take {
  constructor(public allowed: bool, public remaining: u64, public resetSeconds: u64) {}
}

/**
 * Creates the configured keys' counters before any request is counted. The ABI has no
 * create-if-absent (a write with cas 0 is unconditional), so two VMs creating a counter
 * for their first requests at once could lose a count; the host configures a plugin once
 * before it takes traffic, so creating counters here closes that race.
 */
function createCounters(config: KeyRateLimitConfig): void {
  const items = config.limits.values();
  for (let i = 0; i < items.length; i++) {
    const counterKey = config.id + items[i].key;
    if (!getSharedData(counterKey).found) setSharedData(counterKey, counter(items[i].limit, currentTimeNanos()), 0);
  }
}

function counter(tokens: u64, start: u64): ArrayBuffer {
  const value = new ArrayBuffer(16);
  store<u64>(changetype<usize>(value), tokens);
  store<u64>(changetype<usize>(value) + 8, start);
  return value;
}

/**
 * Fixed window per key in shared data: 16 bytes, tokens left and window start (ns),
 * updated with compare-and-swap so concurrent VMs never lose an update.
 */
function take(counterKey: string, item: LimitItem): Take {
  for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
    const now = currentTimeNanos();
    const current = getSharedData(counterKey);
    let tokens = item.limit;
    let start = now;
    const value = current.value;
    if (current.found && value !== null && value.byteLength == 16) {
      const storedTokens = load<u64>(changetype<usize>(value));
      const storedStart = load<u64>(changetype<usize>(value) + 8);
      if (now >= storedStart && now - storedStart < item.windowNanos) {
        tokens = storedTokens;
        start = storedStart;
      } else if (now >= storedStart) {
        // a new window, aligned to the first one
        start = now - (now - storedStart) % item.windowNanos;
      }
    }
    const reset = (start + item.windowNanos - now + SECOND - 1) / SECOND;
    if (tokens == 0) return new Take(false, 0, reset);
    // a counter missing here was removed from shared data after configuration; recreating
    // it with cas 0 is the only write the ABI offers
    const status = setSharedData(counterKey, counter(tokens - 1, start), current.found ? current.cas : 0);
    if (status == Status.Ok) return new Take(true, tokens - 1, reset);
    if (status != Status.CasMismatch) {
      logWarn(PLUGIN + ": shared data refused the counter update (status " + (<i32>status).toString()
        + "); the request is let through");
      return new Take(true, tokens, reset);
    }
  }
  logWarn(PLUGIN + ": the counter of a key kept changing under concurrent updates; the request is let through");
  return new Take(true, 0, 0);
}

class KeyRateLimitContext extends HttpContext {
  constructor(id: u32, public plugin: KeyRateLimitRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    let key: string | null = null;
    if (config.limitByHeader.length > 0) {
      key = getRequestHeader(config.limitByHeader);
    } else {
      const path = getRequestHeader(":path");
      if (path !== null) key = queryValue(path, config.limitByParam);
    }
    if (key === null || !config.limits.has(key)) return HeadersAction.Continue;
    const item = config.limits.get(key);
    const taken = take(config.id + key, item);
    if (taken.allowed) return HeadersAction.Continue;
    const headers: HeaderPair[] = [
      new HeaderPair("x-ratelimit-limit", item.limit.toString()),
      new HeaderPair("x-ratelimit-remaining", "0"),
      new HeaderPair("x-ratelimit-reset", taken.resetSeconds.toString()),
    ];
    this.sendLocalResponse(429, "Too many requests,rate_limited\n", headers, "key-rate-limit.rate_limited");
    return HeadersAction.StopIteration;
  }
}

registerRootContext((id: u32): RootContext => new KeyRateLimitRoot(id));
