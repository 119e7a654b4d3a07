// key-auth: authentication by API key from a request header or query parameter,
// compatible with Higress's key-auth plugin (configuration and answers).
import {
  AuthConfig,
  authenticated,
  AuthRoot,
  checkAllowed,
  ConfigObject,
  ConfigParser,
  denyWithChallenge,
  getRequestHeader,
  HeadersAction,
  HttpContext,
  logWarn,
  needsGlobal,
  queryValues,
  readCredentials,
  readGlobalAuth,
  readRequiredAllow,
  registerRootContext,
  RootContext,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "key-auth";

class KeyAuthConfig extends AuthConfig {
  keys: string[] = [];
  inQuery: bool = true;
  inHeader: bool = true;
  /** credential -> consumer name */
  credentials: Map<string, string> = new Map<string, string>();

  withAllow(allow: string[]): KeyAuthConfig {
    const copy = new KeyAuthConfig();
    copy.keys = this.keys;
    copy.inQuery = this.inQuery;
    copy.inHeader = this.inHeader;
    copy.credentials = this.credentials;
    return this.scopeCopy(copy, allow);
  }
}

class KeyAuthParser extends ConfigParser<KeyAuthConfig> {
  parseGlobal(c: ConfigObject): KeyAuthConfig | null {
    const config = new KeyAuthConfig();
    readGlobalAuth(c, config);
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
    const credentials = readCredentials(c);
    if (credentials === null) return null;
    config.credentials = credentials;
    return config;
  }

  parseRule(c: ConfigObject, global: KeyAuthConfig | null): KeyAuthConfig | null {
    if (global === null) return needsGlobal<KeyAuthConfig>(c, "keys and consumers");
    const allow = readRequiredAllow(c);
    return allow === null ? null : global.withAllow(allow);
  }
}

class KeyAuthRoot extends AuthRoot<KeyAuthConfig> {
  onConfigure(configurationSize: usize): bool {
    return this.configure(PLUGIN, new KeyAuthParser());
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
    // global_auth false, or unset with rules configured: only routes/domains with a rule authenticate
    const config = this.plugin.authConfig();
    if (config === null) return HeadersAction.Continue;
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
    if (!checkAllowed(PLUGIN, config, name)) {
      return this.deny(403, "key-auth.unauthorized", "Request denied by Key Auth check. Unauthorized consumer.");
    }
    authenticated(PLUGIN, name);
    return HeadersAction.Continue;
  }

  deny(status: u32, details: string, body: string): HeadersAction {
    return denyWithChallenge(this, "Key", status, details, body);
  }
}

registerRootContext((id: u32): RootContext => new KeyAuthRoot(id));
