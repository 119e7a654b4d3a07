// basic-auth: HTTP Basic authentication (RFC 7617) against configured consumers,
// compatible with Higress's basic-auth plugin (configuration and answers).
import {
  base64DecodeString,
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
  registerRootContext,
  replaceRequestHeader,
  RootContext,
  RuleMatcher,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "basic-auth";
const REALM = "MSE Gateway";
const CONSUMER_HEADER = "x-mse-consumer";
/** Longer Authorization values are not decoded (no real credential is this long). */
const MAX_AUTHORIZATION = 16384;

class BasicAuthConfig {
  /** -1 not set, 0 false, 1 true. */
  globalAuth: i32 = -1;
  /** "user:password" -> consumer name */
  credentials: Map<string, string> = new Map<string, string>();
  /** Consumers allowed by a rule; empty in the global part. */
  allow: string[] = [];

  withAllow(allow: string[]): BasicAuthConfig {
    const copy = new BasicAuthConfig();
    copy.globalAuth = this.globalAuth;
    copy.credentials = this.credentials;
    copy.allow = allow;
    return copy;
  }
}

class BasicAuthParser extends ConfigParser<BasicAuthConfig> {
  parseGlobal(c: ConfigObject): BasicAuthConfig | null {
    const config = new BasicAuthConfig();
    if (c.has("global_auth")) config.globalAuth = c.bool("global_auth", false) ? 1 : 0;
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
      if (credential.indexOf(":") <= 0) {
        c.fail(consumer.where("credential") + " must be 'user:password'");
        return null;
      }
      if (config.credentials.has(credential)) {
        c.fail(consumer.where("credential") + " duplicates the credential of consumer '"
          + config.credentials.get(credential) + "'");
        return null;
      }
      config.credentials.set(credential, name);
    }
    return config;
  }

  parseRule(c: ConfigObject, global: BasicAuthConfig | null): BasicAuthConfig | null {
    if (global === null) {
      c.fail(c.path + " needs consumers in the global part of the configuration");
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

class BasicAuthRoot extends RootContext {
  matcher: RuleMatcher<BasicAuthConfig> | null = null;
  ruleSet: bool = false;

  onConfigure(configurationSize: usize): bool {
    const matcher = parseRuleConfig<BasicAuthConfig>(PLUGIN, getPluginConfiguration(), new BasicAuthParser());
    if (matcher === null) return false;
    this.matcher = matcher;
    this.ruleSet = matcher.rules.length > 0;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new BasicAuthContext(contextId, this);
  }
}

class BasicAuthContext extends HttpContext {
  constructor(id: u32, public plugin: BasicAuthRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    const noAllow = config.allow.length == 0;
    if ((config.globalAuth == 0 || (config.globalAuth < 0 && this.plugin.ruleSet)) && noAllow) {
      return HeadersAction.Continue;
    }
    const authorization = getRequestHeader("authorization");
    if (authorization === null || authorization.length < 6 || authorization.substring(0, 6).toLowerCase() != "basic ") {
      return this.deny(401, "basic-auth.no_auth_data",
        "Request denied by Basic Auth check. No Basic Authentication information found.");
    }
    const encoded = authorization.substring(6).trim();
    const credential = encoded.length <= MAX_AUTHORIZATION ? base64DecodeString(encoded) : null;
    if (credential === null || credential.indexOf(":") < 0) {
      logWarn(PLUGIN + ": the Authorization header is not base64 of 'user:password'");
      return this.badCredential();
    }
    if (!config.credentials.has(credential)) {
      logWarn(PLUGIN + ": unknown user or wrong password for user '" + credential.substring(0, credential.indexOf(":")) + "'");
      return this.badCredential();
    }
    const name = config.credentials.get(credential);
    if (!noAllow && !config.allow.includes(name)) {
      logWarn(PLUGIN + ": consumer '" + name + "' is not allowed");
      return this.deny(403, "basic-auth.unauthorized", "Request denied by Basic Auth check. Unauthorized consumer.");
    }
    logInfo(PLUGIN + ": consumer '" + name + "' authenticated");
    replaceRequestHeader(CONSUMER_HEADER, name);
    return HeadersAction.Continue;
  }

  badCredential(): HeadersAction {
    return this.deny(401, "basic-auth.bad_credential",
      "Request denied by Basic Auth check. Invalid username and/or password.");
  }

  deny(status: u32, details: string, body: string): HeadersAction {
    const headers: HeaderPair[] = [new HeaderPair("WWW-Authenticate", "Basic realm=" + REALM)];
    this.sendLocalResponse(status, body, headers, details);
    return HeadersAction.StopIteration;
  }
}

registerRootContext((id: u32): RootContext => new BasicAuthRoot(id));
