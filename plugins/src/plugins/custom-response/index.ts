// custom-response: answers with a configured status, headers and body, for every
// request or only when the upstream answered given status codes; compatible with
// Higress's custom-response plugin.
import {
  ConfigObject,
  ConfigParser,
  getPluginConfiguration,
  getResponseHeader,
  HeaderPair,
  HeadersAction,
  HttpContext,
  parseJson,
  parseRuleConfig,
  registerRootContext,
  RootContext,
  RuleMatcher,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "custom-response";

class ResponseRule {
  statusCode: u32 = 200;
  headers: HeaderPair[] = [];
  body: string = "";
  /** Exact codes ("429") and patterns ("4xx"), as configured. */
  enableOnStatus: string[] = [];
}

class CustomResponseConfig {
  rules: ResponseRule[] = [];
  /** Sent to every request when no rule waits for a status. */
  defaultRule: ResponseRule | null = null;
  /** enable_on_status value -> rule */
  byStatus: Map<string, ResponseRule> = new Map<string, ResponseRule>();
  statusPatterns: string[] = [];

  ruleForStatus(status: string): ResponseRule | null {
    if (this.byStatus.has(status)) return this.byStatus.get(status);
    for (let i = 0; i < this.statusPatterns.length; i++) {
      const pattern = this.statusPatterns[i];
      if (pattern.length != status.length) continue;
      let match = true;
      for (let j = 0; j < pattern.length; j++) {
        const p = pattern.charCodeAt(j);
        if (p != 0x78 && p != status.charCodeAt(j)) {
          match = false;
          break;
        }
      }
      if (match) return this.byStatus.get(pattern);
    }
    return null;
  }
}

class CustomResponseParser extends ConfigParser<CustomResponseConfig> {
  parseGlobal(c: ConfigObject): CustomResponseConfig | null {
    const config = new CustomResponseConfig();
    const items = c.has("rules") ? c.objectArray("rules") : null;
    if (!c.ok) return null;
    if (items !== null) {
      for (let i = 0; i < items.length; i++) {
        const rule = parseRule(items[i]);
        if (rule === null) return null;
        if (rule.enableOnStatus.length == 0 && config.defaultRule === null) config.defaultRule = rule;
        config.rules.push(rule);
      }
    } else {
      const rule = parseRule(c);
      if (rule === null) return null;
      config.rules.push(rule);
      config.defaultRule = rule;
    }
    for (let i = 0; i < config.rules.length; i++) {
      const rule = config.rules[i];
      for (let j = 0; j < rule.enableOnStatus.length; j++) {
        const status = rule.enableOnStatus[j];
        if (config.byStatus.has(status)) {
          c.fail("enable_on_status " + status + " is used by more than one rule");
          return null;
        }
        config.byStatus.set(status, rule);
        if (status.includes("x")) config.statusPatterns.push(status);
      }
    }
    if (items !== null && config.defaultRule === null && config.byStatus.size == 0) {
      c.fail(c.where("rules") + " has no usable rule");
      return null;
    }
    return config;
  }
}

function parseRule(c: ConfigObject): ResponseRule | null {
  const rule = new ResponseRule();
  const headers = c.stringArray("headers");
  let contentType = "";
  if (headers !== null) {
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i];
      const eq = pair.indexOf("=");
      if (eq < 0) {
        c.fail(c.where("headers") + "[" + i.toString() + "] must be 'name=value', not '" + pair + "'");
        return null;
      }
      const name = pair.substring(0, eq).trim();
      const value = pair.substring(eq + 1).trim();
      if (name.length == 0) {
        c.fail(c.where("headers") + "[" + i.toString() + "] has no header name");
        return null;
      }
      const lower = name.toLowerCase();
      if (lower == "content-type") contentType = value;
      else if (lower != "content-length") rule.headers.push(new HeaderPair(name, value));
    }
  }
  rule.body = c.string("body", "");
  if (contentType.length == 0 && rule.body.length > 0) {
    contentType = parseJson(rule.body).ok ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
  }
  if (contentType.length > 0) rule.headers.push(new HeaderPair("content-type", contentType));
  rule.statusCode = <u32>c.integer("status_code", 200, 100, 599);
  const statuses = c.stringArray("enable_on_status");
  if (statuses !== null) {
    for (let i = 0; i < statuses.length; i++) {
      const status = statuses[i].toLowerCase();
      if (!validStatus(status)) {
        c.fail(c.where("enable_on_status") + "[" + i.toString() + "] must be a status code such as 429 or a pattern"
          + " such as 4xx, not '" + statuses[i] + "'");
        return null;
      }
      rule.enableOnStatus.push(status);
    }
  }
  return c.ok ? rule : null;
}

/** Three characters, digits and x, at least one digit ("429", "4xx", "x0x"). */
function validStatus(status: string): bool {
  if (status.length != 3) return false;
  let digits = 0;
  for (let i = 0; i < 3; i++) {
    const c = status.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c != 0x78) return false;
  }
  return digits > 0;
}

class CustomResponseRoot extends RootContext {
  matcher: RuleMatcher<CustomResponseConfig> | null = null;

  onConfigure(configurationSize: usize): bool {
    const matcher = parseRuleConfig<CustomResponseConfig>(PLUGIN, getPluginConfiguration(), new CustomResponseParser());
    if (matcher === null) return false;
    this.matcher = matcher;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new CustomResponseContext(contextId, this);
  }
}

class CustomResponseContext extends HttpContext {
  config: CustomResponseConfig | null = null;

  constructor(id: u32, public plugin: CustomResponseRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    this.config = config;
    // rules that wait for the upstream's status: let the request through
    if (config.byStatus.size > 0) return HeadersAction.Continue;
    const rule = config.defaultRule;
    if (rule === null) return HeadersAction.Continue;
    this.send(rule);
    return HeadersAction.StopIteration;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const config = this.config;
    if (config === null || config.byStatus.size == 0 || this.localResponseSent) return HeadersAction.Continue;
    const status = getResponseHeader(":status");
    if (status === null) return HeadersAction.Continue;
    const rule = config.ruleForStatus(status);
    if (rule === null) return HeadersAction.Continue;
    this.send(rule);
    return HeadersAction.StopIteration;
  }

  send(rule: ResponseRule): void {
    this.sendLocalResponse(rule.statusCode, rule.body, rule.headers, "custom-response");
  }
}

registerRootContext((id: u32): RootContext => new CustomResponseRoot(id));
