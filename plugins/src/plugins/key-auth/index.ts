// key-auth: authentication by API key from a request header or query parameter,
// compatible with Higress's key-auth plugin (configuration and answers).
import {
  ConfigObject,
  ConfigParser,
  getPluginConfiguration,
  getRequestHeader,
  HeaderPair,
  HeadersAction,
  HttpContext,
  logInfo,
  logWarn,
  parseRuleConfig,
  queryValues,
  registerRootContext,
  replaceRequestHeader,
  RootContext,
  RuleMatcher,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "key-auth";
const REALM = "MSE Gateway";
const CONSUMER_HEADER = "x-mse-consumer";

class KeyAuthConfig {
  /** -1 not set, 0 false, 1 true. */
  globalAuth: i32 = -1;
  keys: string[] = [];
  inQuery: bool = true;
  inHeader: bool = true;
  /** credential -> consumer name */
  credentials: Map<string, string> = new Map<string, string>();
  /** Consumers allowed by a rule; empty in the global part. */
  allow: string[] = [];

  withAllow(allow: string[]): KeyAuthConfig {
    const copy = new KeyAuthConfig();
    copy.globalAuth = this.globalAuth;
    copy.keys = this.keys;
    copy.inQuery = this.inQuery;
    copy.inHeader = this.inHeader;
    copy.credentials = this.credentials;
    copy.allow = allow;
    return copy;
  }
}

class KeyAuthParser extends ConfigParser<KeyAuthConfig> {
  parseGlobal(c: ConfigObject): KeyAuthConfig | null {
    const config = new KeyAuthConfig();
    if (c.has("global_auth")) config.globalAuth = c.bool("global_auth", false) ? 1 : 0;
    const keys = c.stringArray("keys");
    if (!c.ok) return null;
    if (keys === null) {
      c.fail("keys is required");
      return null;
    }
    if (keys.length == 0) {
      c.fail("keys must not be empty");
      return null;
    }
    for (let i = 0; i < keys.length; i++) {
      if (keys[i].length == 0) {
        c.fail("keys[" + i.toString() + "] must not be empty");
        return null;
      }
    }
    config.keys = keys;
    config.inQuery = c.bool("in_query", true);
    config.inHeader = c.bool("in_header", true);
    if (c.ok && !config.inQuery && !config.inHeader) {
      c.fail("at least one of in_query and in_header must be true");
      return null;
    }
    const consumers = c.objectArray("consumers");
    if (!c.ok) return null;
    if (consumers === null) {
      c.fail("consumers is required");
      return null;
    }
    if (consumers.length == 0) {
      c.fail("consumers must not be empty");
      return null;
    }
    for (let i = 0; i < consumers.length; i++) {
      const consumer = consumers[i];
      const name = consumer.requiredString("name");
      const credential = consumer.requiredString("credential");
      if (!c.ok) return null;
      if (config.credentials.has(credential)) {
        c.fail(consumer.where("credential") + " duplicates the credential of consumer '"
          + config.credentials.get(credential) + "'");
        return null;
      }
      config.credentials.set(credential, name);
    }
    return config;
  }

  parseRule(c: ConfigObject, global: KeyAuthConfig | null): KeyAuthConfig | null {
    if (global === null) {
      c.fail(c.path + " needs keys and consumers in the global part of the configuration");
      return null;
    }
    const allow = c.stringArray("allow");
    if (!c.ok) return null;
    if (allow === null) {
      c.fail(c.where("allow") + " is required");
      return null;
    }
    if (allow.length == 0) {
      c.fail(c.where("allow") + " must not be empty");
      return null;
    }
    return global.withAllow(allow);
  }
}

class KeyAuthRoot extends RootContext {
  matcher: RuleMatcher<KeyAuthConfig> | null = null;
  /** Whether any _rules_ entry exists (Higress: the plugin is then enabled per route/domain). */
  ruleSet: bool = false;

  onConfigure(configurationSize: usize): bool {
    const matcher = parseRuleConfig<KeyAuthConfig>(PLUGIN, getPluginConfiguration(), new KeyAuthParser());
    if (matcher === null) return false;
    this.matcher = matcher;
    this.ruleSet = matcher.rules.length > 0;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new KeyAuthContext(contextId, this);
  }
}

class KeyAuthContext extends HttpContext {
  constructor(id: u32, public plugin: KeyAuthRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    const noAllow = config.allow.length == 0;
    const ruleSet = this.plugin.ruleSet;
    // global_auth false, or unset with rules configured: only routes/domains with a rule authenticate
    if ((config.globalAuth == 0 || (config.globalAuth < 0 && ruleSet)) && noAllow) {
      return HeadersAction.Continue;
    }
    const tokens = new Array<string>();
    if (config.inHeader) {
      for (let i = 0; i < config.keys.length; i++) {
        const value = getRequestHeader(config.keys[i]);
        if (value !== null && value.length > 0 && !tokens.includes(value)) tokens.push(value);
      }
    }
    if (config.inQuery) {
      const path = getRequestHeader(":path");
      if (path !== null) {
        for (let i = 0; i < config.keys.length; i++) {
          const values = queryValues(path, config.keys[i]);
          for (let j = 0; j < values.length; j++) {
            if (values[j].length > 0 && !tokens.includes(values[j])) tokens.push(values[j]);
          }
        }
      }
    }
    if (tokens.length > 1) {
      return this.deny(401, "key-auth.multi_key",
        "Request denied by Key Auth check. Multi Key Authentication information found.");
    }
    if (tokens.length == 0) {
      return this.deny(401, "key-auth.no_key",
        "Request denied by Key Auth check. No Key Authentication information found.");
    }
    const token = tokens[0];
    if (!config.credentials.has(token)) {
      logWarn(PLUGIN + ": credential is not configured");
      return this.deny(401, "key-auth.invalid_key", "Request denied by Key Auth check. Invalid API key.");
    }
    const name = config.credentials.get(token);
    if (!noAllow && !config.allow.includes(name)) {
      logWarn(PLUGIN + ": consumer '" + name + "' is not allowed");
      return this.deny(403, "key-auth.unauthorized", "Request denied by Key Auth check. Unauthorized consumer.");
    }
    logInfo(PLUGIN + ": consumer '" + name + "' authenticated");
    // replace, not add: a client must not be able to pass its own consumer header along
    replaceRequestHeader(CONSUMER_HEADER, name);
    return HeadersAction.Continue;
  }

  deny(status: u32, details: string, body: string): HeadersAction {
    const headers: HeaderPair[] = [new HeaderPair("WWW-Authenticate", "Key realm=" + REALM)];
    this.sendLocalResponse(status, body, headers, details);
    return HeadersAction.StopIteration;
  }
}

registerRootContext((id: u32): RootContext => new KeyAuthRoot(id));
