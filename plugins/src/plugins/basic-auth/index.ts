// basic-auth: HTTP Basic authentication (RFC 7617) against configured consumers,
// compatible with Higress's basic-auth plugin (configuration and answers).
import {
  AuthConfig,
  authenticated,
  AuthRoot,
  base64DecodeString,
  checkAllowed,
  ConfigObject,
  ConfigParser,
  denyWithChallenge,
  getRequestHeader,
  HeadersAction,
  HttpContext,
  logWarn,
  needsGlobal,
  readCredentials,
  readGlobalAuth,
  readRequiredAllow,
  registerRootContext,
  RootContext,
} from "../../../sdk";

export * from "../../../sdk/exports";

const PLUGIN = "basic-auth";
/** Longer Authorization values are not decoded (no real credential is this long). */
const MAX_AUTHORIZATION = 16384;

class BasicAuthConfig extends AuthConfig {
  /** "user:password" -> consumer name */
  credentials: Map<string, string> = new Map<string, string>();

  withAllow(allow: string[]): BasicAuthConfig {
    const copy = new BasicAuthConfig();
    copy.credentials = this.credentials;
    return this.scopeCopy(copy, allow);
  }
}

function credentialProblem(credential: string): string {
  return credential.indexOf(":") <= 0 ? "must be 'user:password'" : "";
}

class BasicAuthParser extends ConfigParser<BasicAuthConfig> {
  parseGlobal(c: ConfigObject): BasicAuthConfig | null {
    const config = new BasicAuthConfig();
    readGlobalAuth(c, config);
    const credentials = readCredentials(c, credentialProblem);
    if (credentials === null) return null;
    config.credentials = credentials;
    return config;
  }

  parseRule(c: ConfigObject, global: BasicAuthConfig | null): BasicAuthConfig | null {
    if (global === null) return needsGlobal<BasicAuthConfig>(c, "consumers");
    const allow = readRequiredAllow(c);
    return allow === null ? null : global.withAllow(allow);
  }
}

class BasicAuthRoot extends AuthRoot<BasicAuthConfig> {
  onConfigure(configurationSize: usize): bool {
    return this.configure(PLUGIN, new BasicAuthParser());
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
    const config = this.plugin.authConfig();
    if (config === null) return HeadersAction.Continue;
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
    if (!checkAllowed(PLUGIN, config, name)) {
      return this.deny(403, "basic-auth.unauthorized", "Request denied by Basic Auth check. Unauthorized consumer.");
    }
    authenticated(PLUGIN, name);
    return HeadersAction.Continue;
  }

  badCredential(): HeadersAction {
    return this.deny(401, "basic-auth.bad_credential",
      "Request denied by Basic Auth check. Invalid username and/or password.");
  }

  deny(status: u32, details: string, body: string): HeadersAction {
    return denyWithChallenge(this, "Basic", status, details, body);
  }
}

registerRootContext((id: u32): RootContext => new BasicAuthRoot(id));
