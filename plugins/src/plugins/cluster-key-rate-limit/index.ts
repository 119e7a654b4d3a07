// cluster-key-rate-limit: rate limits shared by every gateway instance, counted in
// Redis (fixed windows), compatible with Higress's cluster-key-rate-limit plugin:
// same configuration, same Redis keys and script semantics, same answers.
// When Redis cannot be reached or answers something unexpected, the request is
// let through and the problem logged.
import {
  ConfigObject,
  ConfigParser,
  getPluginConfiguration,
  getPropertyString,
  getRequestHeader,
  HeaderPair,
  HeadersAction,
  HttpContext,
  formatIp,
  IpRange,
  logError,
  logWarn,
  parseIp,
  parseRuleConfig,
  queryValue,
  redisClusterName,
  RedisClient,
  RedisReplyHandler,
  Regex,
  registerRootContext,
  replaceResponseHeader,
  RespType,
  RespValue,
  RootContext,
  RuleMatcher,
  Status,
  stripAddressPort,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "cluster-key-rate-limit";
const KEY_PREFIX = "higress-cluster-key-rate-limit";
const CONSUMER_HEADER = "x-mse-consumer";

// KEYS[1] counter; ARGV[1] limit, ARGV[2] window in seconds.
// Answers {limit, remaining, seconds until reset}; remaining < 0 means over the limit.
const FIXED_WINDOW_SCRIPT = `
local ttl = redis.call('ttl', KEYS[1])
if ttl < 0 then
  redis.call('set', KEYS[1], ARGV[1] - 1, 'EX', ARGV[2])
  return {ARGV[1], ARGV[1] - 1, ARGV[2]}
end
return {ARGV[1], redis.call('incrby', KEYS[1], -1), ttl}
`;

const WINDOWS: string[] = ["query_per_second", "query_per_minute", "query_per_hour", "query_per_day"];
const WINDOW_SECONDS: i64[] = [1, 60, 3600, 86400];

const LIMIT_TYPES: string[] = [
  "limit_by_header", "limit_by_param", "limit_by_consumer", "limit_by_cookie",
  "limit_by_per_header", "limit_by_per_param", "limit_by_per_consumer", "limit_by_per_cookie", "limit_by_per_ip",
];

/** One limit_keys entry: exact key, "*" (any), "regexp:..." or an IP range, with its rate. */
class LimitKey {
  key: string = "";
  any: bool = false;
  regex: Regex | null = null;
  range: IpRange | null = null;
  count: i64 = 0;
  window: i64 = 0;
}

class RuleItem {
  /** One of LIMIT_TYPES. */
  type: string = "";
  /** Header, parameter or cookie name; x-mse-consumer for consumers; the IP source for per_ip. */
  key: string = "";
  perValue: bool = false;
  ipFromHeader: string = "";
  keys: LimitKey[] = [];
}

class ClusterRateLimitConfig {
  ruleName: string = "";
  globalCount: i64 = 0;
  globalWindow: i64 = 0;
  items: RuleItem[] = [];
  showQuotaHeaders: bool = false;
  rejectedCode: u32 = 429;
  rejectedMessage: string = "Too many requests";
  redis: RedisClient = new RedisClient("");
}

/** The first query_per_* of `c`: [count, window seconds], or count 0 when none. */
function readRate(c: ConfigObject): i64[] {
  for (let w = 0; w < WINDOWS.length; w++) {
    if (c.has(WINDOWS[w])) {
      const count = c.integer(WINDOWS[w], 0, 1, 1_000_000_000_000);
      return [count, WINDOW_SECONDS[w]];
    }
  }
  return [0, 0];
}

class ClusterRateLimitParser extends ConfigParser<ClusterRateLimitConfig> {
  parseGlobal(c: ConfigObject): ClusterRateLimitConfig | null {
    const config = new ClusterRateLimitConfig();
    const redis = c.object("redis");
    if (!c.ok) return null;
    if (redis === null) {
      c.fail(c.where("redis") + " is required");
      return null;
    }
    const service = redis.requiredString("service_name");
    const defaultPort: i64 = service.endsWith(".static") ? 80 : 6379;
    const port = redis.integer("service_port", defaultPort, 1, 65535);
    const username = redis.string("username", "");
    const password = redis.string("password", "");
    const timeout = redis.integer("timeout", 1000, 1, 600000);
    const database = redis.integer("database", 0, 0, 1000);
    config.ruleName = c.requiredString("rule_name");
    config.showQuotaHeaders = c.bool("show_limit_quota_header", false);
    config.rejectedCode = <u32>c.integer("rejected_code", 429, 100, 599);
    config.rejectedMessage = c.string("rejected_msg", "Too many requests");
    if (!c.ok) return null;

    const hasGlobal = c.has("global_threshold");
    const hasItems = c.has("rule_items");
    if (hasGlobal == hasItems) {
      c.fail((c.path.length > 0 ? c.path + ": " : "") + "exactly one of global_threshold and rule_items must be set");
      return null;
    }
    if (hasGlobal) {
      const threshold = c.object("global_threshold");
      if (threshold === null) return null;
      const rate = readRate(threshold);
      if (!c.ok) return null;
      if (rate[0] == 0) {
        c.fail(threshold.path + " needs one of query_per_second, query_per_minute, query_per_hour and query_per_day");
        return null;
      }
      config.globalCount = rate[0];
      config.globalWindow = rate[1];
    } else {
      const items = c.objectArray("rule_items");
      if (items === null) return null;
      if (items.length == 0) {
        c.fail(c.where("rule_items") + " must not be empty");
        return null;
      }
      for (let i = 0; i < items.length; i++) {
        const item = parseItem(items[i]);
        if (item === null) return null;
        config.items.push(item);
      }
    }

    config.redis = new RedisClient(redisClusterName(service, port, database));
    const status = config.redis.init(username, password, <u32>timeout);
    if (status != Status.Ok) {
      c.fail(c.where("redis") + ": the gateway knows no Redis cluster '" + config.redis.cluster
        + "' (proxy_redis_init answered status " + (<i32>status).toString() + "); check service_name and service_port");
      return null;
    }
    return config;
  }
}

function parseItem(c: ConfigObject): RuleItem | null {
  const item = new RuleItem();
  let types = 0;
  for (let t = 0; t < LIMIT_TYPES.length; t++) {
    if (!c.has(LIMIT_TYPES[t])) continue;
    const type = LIMIT_TYPES[t];
    const value = c.string(type, "");
    if (type == "limit_by_consumer" || type == "limit_by_per_consumer") {
      item.key = CONSUMER_HEADER;
    } else if (value.length == 0) {
      continue; // an empty name counts as not set, as Higress reads it
    } else {
      item.key = value;
    }
    item.type = type;
    types++;
  }
  if (!c.ok) return null;
  if (types != 1) {
    c.fail(c.path + " needs exactly one of " + LIMIT_TYPES.join(", "));
    return null;
  }
  item.perValue = item.type.startsWith("limit_by_per_");
  if (item.type == "limit_by_per_ip") {
    if (item.key.startsWith("from-header-") && item.key.length > 12) {
      item.ipFromHeader = item.key.substring(12);
    } else if (item.key != "from-remote-addr") {
      c.fail(c.where("limit_by_per_ip") + " must be 'from-header-<header name>' or 'from-remote-addr'");
      return null;
    }
  }
  const keys = c.objectArray("limit_keys");
  if (!c.ok) return null;
  if (keys === null || keys.length == 0) {
    c.fail(c.where("limit_keys") + (keys === null ? " is required" : " must not be empty"));
    return null;
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const limit = new LimitKey();
    limit.key = k.requiredString("key");
    if (!c.ok) return null;
    if (item.type == "limit_by_per_ip") {
      limit.range = IpRange.parse(limit.key);
      if (limit.range === null) {
        c.fail(k.where("key") + " must be an IP address or range (1.2.3.0/24), not '" + limit.key + "'");
        return null;
      }
    } else if (item.perValue) {
      if (limit.key == "*") {
        limit.any = true;
      } else if (limit.key.startsWith("regexp:")) {
        const compiled = Regex.compile(limit.key.substring(7));
        if (!compiled.ok) {
          c.fail(k.where("key") + " is not a valid regular expression: " + compiled.error);
          return null;
        }
        limit.regex = compiled.regex;
      } else {
        c.fail(k.where("key") + " of " + item.type + " must be '*' or start with 'regexp:'");
        return null;
      }
    }
    const rate = readRate(k);
    if (!c.ok) return null;
    if (rate[0] == 0) {
      c.fail(k.path + " needs one of query_per_second, query_per_minute, query_per_hour and query_per_day");
      return null;
    }
    limit.count = rate[0];
    limit.window = rate[1];
    item.keys.push(limit);
  }
  return item;
}

class ClusterRateLimitRoot extends RootContext {
  matcher: RuleMatcher<ClusterRateLimitConfig> | null = null;

  onConfigure(configurationSize: usize): bool {
    const matcher = parseRuleConfig<ClusterRateLimitConfig>(PLUGIN, getPluginConfiguration(), new ClusterRateLimitParser());
    if (matcher === null) return false;
    this.matcher = matcher;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new ClusterRateLimitContext(contextId, this);
  }
}

/** The value of cookie `name` in a Cookie header, or null. */
function cookieValue(header: string, name: string): string | null {
  const parts = header.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i].trim();
    const eq = part.indexOf("=");
    if (eq > 0 && part.substring(0, eq).trim() == name) return part.substring(eq + 1).trim();
  }
  return null;
}

/** Which counter a request counts against. */
class Hit {
  constructor(public redisKey: string, public count: i64, public window: i64) {}
}

class ClusterRateLimitContext extends HttpContext {
  config: ClusterRateLimitConfig | null = null;
  /** From the Redis reply, for the response headers; limit < 0 when none. */
  limit: i64 = -1;
  remaining: i64 = 0;

  constructor(id: u32, public plugin: ClusterRateLimitRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    this.config = config;
    const hit = this.findHit(config);
    if (hit === null) return HeadersAction.Continue;
    const status = config.redis.eval(FIXED_WINDOW_SCRIPT, [hit.redisKey], [hit.count.toString(), hit.window.toString()],
      new LimitReply(this), this);
    if (status != Status.Ok) {
      logError(PLUGIN + ": Redis call to '" + config.redis.cluster + "' failed (status " + (<i32>status).toString()
        + "); the request is let through");
      return HeadersAction.Continue;
    }
    // hold the body too until Redis answers (StopIteration would let a body release the request)
    return HeadersAction.StopAllIterationAndWatermark;
  }

  findHit(config: ClusterRateLimitConfig): Hit | null {
    if (config.globalCount > 0) {
      return new Hit(KEY_PREFIX + ":" + config.ruleName + ":global_threshold:" + config.globalWindow.toString() + ":"
        + config.globalCount.toString(), config.globalCount, config.globalWindow);
    }
    for (let i = 0; i < config.items.length; i++) {
      const item = config.items[i];
      const value = this.valueOf(item);
      if (value === null) continue;
      const limit = this.limitFor(item, value);
      if (limit === null) continue;
      // one counter per client address, whatever way it was written (as Higress: net.IP.String())
      let counted = value;
      if (item.type == "limit_by_per_ip") counted = formatIp(parseIp(value)!);
      return new Hit(KEY_PREFIX + ":" + config.ruleName + ":" + item.type + ":" + limit.window.toString() + ":"
        + limit.count.toString() + ":" + item.key + ":" + counted, limit.count, limit.window);
    }
    return null;
  }

  /** The request's value for a rule item (header, parameter, consumer, cookie, client IP), or null. */
  valueOf(item: RuleItem): string | null {
    const type = item.type;
    if (type == "limit_by_param" || type == "limit_by_per_param") {
      const path = getRequestHeader(":path");
      return path !== null ? queryValue(path, item.key) : null;
    }
    if (type == "limit_by_cookie" || type == "limit_by_per_cookie") {
      const cookie = getRequestHeader("cookie");
      if (cookie === null) return null;
      const value = cookieValue(cookie, item.key);
      return value !== null && value.length > 0 ? value : null;
    }
    if (type == "limit_by_per_ip") {
      let address: string | null = null;
      if (item.ipFromHeader.length > 0) {
        const header = getRequestHeader(item.ipFromHeader);
        if (header !== null) address = header.split(",")[0].trim();
      } else {
        const source = getPropertyString(["source", "address"]);
        if (source !== null) address = stripAddressPort(source);
      }
      return address;
    }
    // headers and consumers (x-mse-consumer)
    return getRequestHeader(item.key);
  }

  limitFor(item: RuleItem, value: string): LimitKey | null {
    if (item.type == "limit_by_per_ip") {
      const ip = parseIp(value);
      if (ip === null) {
        logWarn(PLUGIN + ": '" + value + "' is not an IP address");
        return null;
      }
      for (let i = 0; i < item.keys.length; i++) {
        if (item.keys[i].range!.contains(ip)) return item.keys[i];
      }
      return null;
    }
    for (let i = 0; i < item.keys.length; i++) {
      const limit = item.keys[i];
      if (item.perValue) {
        if (limit.any) return limit;
        const regex = limit.regex;
        if (regex !== null && regex.test(value)) return limit;
      } else if (limit.key == value) {
        return limit;
      }
    }
    return null;
  }

  onLimitReply(status: u32, reply: RespValue | null): void {
    const config = this.config!;
    if (status != 0 || reply === null || reply.type != RespType.Array || reply.items.length != 3) {
      logError(PLUGIN + ": Redis '" + config.redis.cluster + "' failed or answered unexpectedly ("
        + (status != 0 ? "status " + status.toString() : reply === null ? "no RESP reply" : reply.describe())
        + "); the request is let through");
      this.resumeRequest();
      return;
    }
    const count = reply.items[0].asInteger(-1);
    const remaining = reply.items[1].asInteger(0);
    const reset = reply.items[2].asInteger(0);
    if (remaining < 0) {
      const headers: HeaderPair[] = [new HeaderPair("X-RateLimit-Reset", reset.toString())];
      if (config.showQuotaHeaders) {
        headers.push(new HeaderPair("X-RateLimit-Limit", count.toString()));
        headers.push(new HeaderPair("X-RateLimit-Remaining", "0"));
      }
      this.sendLocalResponse(config.rejectedCode, config.rejectedMessage, headers, "cluster-key-rate-limit.rejected");
      return;
    }
    this.limit = count;
    this.remaining = remaining;
    this.resumeRequest();
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const config = this.config;
    if (config !== null && config.showQuotaHeaders && this.limit >= 0) {
      replaceResponseHeader("X-RateLimit-Limit", this.limit.toString());
      replaceResponseHeader("X-RateLimit-Remaining", this.remaining.toString());
    }
    return HeadersAction.Continue;
  }
}

class LimitReply extends RedisReplyHandler {
  constructor(public context: ClusterRateLimitContext) {
    super();
  }

  onReply(status: u32, reply: RespValue | null): void {
    this.context.onLimitReply(status, reply);
  }
}

registerRootContext((id: u32): RootContext => new ClusterRateLimitRoot(id));
