// oauth: an OAuth 2.0 client-credentials token endpoint issuing JWT access tokens
// (RFC 9068), and verification of those tokens on every other request; compatible
// with Higress's oauth plugin (configuration and answers). Tokens are HS256 signed
// with the client's secret, as Higress does, or (an extension) RS256/384/512 or
// HS384/512 with `signing_algorithm`, RSA with the gateway's key `signing_key`.
import {
  AuthConfig,
  AuthRoot,
  BodyAction,
  BufferType,
  ConfigObject,
  ConfigParser,
  currentTimeNanos,
  fillRandom,
  getBufferString,
  getPropertyString,
  getRequestHeader,
  HeaderPair,
  HeadersAction,
  HttpContext,
  JsonKind,
  logDebug,
  logEnabled,
  LogLevel,
  logError,
  logInfo,
  logWarn,
  needsGlobal,
  parseJson,
  pathWithoutQuery,
  queryValue,
  quoteJson,
  readConsumers,
  readGlobalAuth,
  registerRootContext,
  removeRequestHeader,
  RootContext,
  RuleMatcher,
  sendJson,
  setConsumer,
} from "../../../sdk";
import {
  checkTimeClaims,
  constantTimeEqualStrings,
  isEcAlgorithm,
  isRsaAlgorithm,
  joseHeader,
  JwsAlgorithm,
  jwsAlgorithm,
  parseCompactJws,
  rsaPrivateKeyFromJwkJson,
  RsaPrivateKey,
  signJwsHmac,
  signJwsRsa,
  toHex,
  utf8Bytes,
  verifyJwsHmac,
  verifyJwsRsa,
} from "../../../crypto";

export * from "../../../sdk/exports";
export * from "../../../sdk/exports-body";

const PLUGIN = "oauth";
const CLIENT_CREDENTIALS = "client_credentials";
const DEFAULT_AUDIENCE = "default";
/** RFC 9068 §2.1 (Higress writes the long form). */
const TOKEN_TYPE = "application/at+jwt";
/** Longer token-request bodies are refused. */
const MAX_FORM_BODY: u32 = 65536;

class Consumer {
  /** The client secret's UTF-8 bytes (the HS* key), encoded once. */
  secretBytes: Uint8Array;

  constructor(public name: string, public clientId: string, public clientSecret: string) {
    this.secretBytes = utf8Bytes(clientSecret);
  }
}

class OAuthConfig extends AuthConfig {
  consumers: Map<string, Consumer> = new Map<string, Consumer>();
  issuer: string = "Higress-Gateway";
  authPath: string = "/oauth2/token";
  globalCredentials: bool = true;
  authHeaderName: string = "authorization";
  tokenTtl: i64 = 7200;
  clockSkew: i64 = 60;
  keepToken: bool = true;
  algorithm: JwsAlgorithm = JwsAlgorithm.HS256;
  signingKey: RsaPrivateKey | null = null;
  keyId: string = "";

  withAllow(allow: string[]): OAuthConfig {
    const c = new OAuthConfig();
    c.consumers = this.consumers;
    c.issuer = this.issuer;
    c.authPath = this.authPath;
    c.globalCredentials = this.globalCredentials;
    c.authHeaderName = this.authHeaderName;
    c.tokenTtl = this.tokenTtl;
    c.clockSkew = this.clockSkew;
    c.keepToken = this.keepToken;
    c.algorithm = this.algorithm;
    c.signingKey = this.signingKey;
    c.keyId = this.keyId;
    return this.scopeCopy(c, allow);
  }
}

class OAuthParser extends ConfigParser<OAuthConfig> {
  parseGlobal(c: ConfigObject): OAuthConfig | null {
    const config = new OAuthConfig();
    const consumers = readConsumers(c);
    if (consumers === null) return null;
    const names = new Set<string>();
    for (let i = 0; i < consumers.length; i++) {
      const item = consumers[i];
      const name = item.requiredString("name");
      const clientId = item.requiredString("client_id");
      const clientSecret = item.requiredString("client_secret");
      if (!c.ok) return null;
      if (names.has(name)) {
        c.fail(item.where("name") + ": duplicate name '" + name + "'");
        return null;
      }
      if (config.consumers.has(clientId)) {
        c.fail(item.where("client_id") + ": duplicate consumer client_id '" + clientId + "'");
        return null;
      }
      names.add(name);
      config.consumers.set(clientId, new Consumer(name, clientId, clientSecret));
    }
    config.issuer = c.string("issuer", config.issuer);
    config.authPath = c.string("auth_path", config.authPath);
    config.globalCredentials = c.bool("global_credentials", true);
    config.authHeaderName = c.string("auth_header_name", "Authorization").toLowerCase();
    config.tokenTtl = c.integer("token_ttl", 7200, 1, 315360000000);
    config.clockSkew = c.integer("clock_skew_seconds", 60, 0, 315360000000);
    config.keepToken = c.bool("keep_token", true);
    readGlobalAuth(c, config);
    if (!c.ok) return null;
    if (config.authPath.length == 0) {
      c.fail("auth_path must not be empty");
      return null;
    }
    if (config.authHeaderName.length == 0) {
      c.fail("auth_header_name must not be empty");
      return null;
    }
    const algorithm = c.string("signing_algorithm", "HS256");
    if (!c.ok) return null;
    config.algorithm = jwsAlgorithm(algorithm);
    // ES256/384 are verified elsewhere (jwt-auth) but not signed: this plugin issues tokens
    if (config.algorithm == JwsAlgorithm.None || isEcAlgorithm(config.algorithm)) {
      c.fail("signing_algorithm must be one of HS256, HS384, HS512, RS256, RS384, RS512, not '" + algorithm + "'");
      return null;
    }
    if (isRsaAlgorithm(config.algorithm)) {
      const value = c.raw("signing_key");
      if (value === null) {
        c.fail("signing_key (an RSA private JWK) is required with signing_algorithm " + algorithm);
        return null;
      }
      let jwk = value.asObject();
      if (value.kind == JsonKind.String) {
        const parsed = parseJson(value.asString()!.value);
        jwk = parsed.ok ? parsed.value!.asObject() : null;
      }
      if (jwk === null) {
        c.fail("signing_key must be an RSA private JWK (a JSON object or its text)");
        return null;
      }
      const problem = [""];
      const key = rsaPrivateKeyFromJwkJson(jwk, problem);
      if (key === null) {
        c.fail("signing_key is not a usable RSA private key: " + problem[0]);
        return null;
      }
      if (key.publicKey.bits < 2048) {
        c.fail("signing_key must have at least 2048 bits (RFC 7518 §3.3), not " + key.publicKey.bits.toString());
        return null;
      }
      config.signingKey = key;
      const kid = jwk.get("kid");
      if (kid !== null && kid.kind == JsonKind.String) config.keyId = kid.asString()!.value;
    } else if (c.has("signing_key")) {
      c.fail("signing_key is only used with an RS signing_algorithm; HS tokens are signed with the client secret");
      return null;
    }
    return config;
  }

  parseRule(c: ConfigObject, global: OAuthConfig | null): OAuthConfig | null {
    if (global === null) return needsGlobal<OAuthConfig>(c, "consumers");
    const allow = c.stringArray("allow");
    if (!c.ok) return null;
    return global.withAllow(allow !== null ? allow : []);
  }
}

class OAuthRoot extends AuthRoot<OAuthConfig> {
  onConfigure(configurationSize: usize): bool {
    return this.configure(PLUGIN, new OAuthParser());
  }

  /** Whether a rule allows consumers (Higress: the plugin is then enabled per route/domain). */
  rulesSet(matcher: RuleMatcher<OAuthConfig>): bool {
    for (let i = 0; i < matcher.rules.length; i++) {
      if (matcher.rules[i].config.allow.length > 0) return true;
    }
    return false;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new OAuthContext(contextId, this);
  }
}

/** A version 4 (random) UUID, RFC 9562 §5.4, from 16 random bytes (which it changes). */
function uuidV4(bytes: Uint8Array): string {
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
    + hex.substring(16, 20) + "-" + hex.substring(20);
}

class OAuthContext extends HttpContext {
  config: OAuthConfig | null = null;
  /** A POST to the token endpoint: the form is in the body. */
  tokenRequest: bool = false;

  constructor(id: u32, public plugin: OAuthRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const config = this.plugin.match();
    if (config === null) return HeadersAction.Continue;
    this.config = config;
    let path = getRequestHeader(":path");
    if (path === null) path = "";
    const method = getRequestHeader(":method");
    if (pathWithoutQuery(path).endsWith(config.authPath) && (method == "GET" || method == "POST")) {
      if (method == "GET") {
        this.issue(config, path);
        return HeadersAction.StopIteration;
      }
      const contentType = getRequestHeader("content-type");
      if (contentType === null || !contentType.toLowerCase().includes("application/x-www-form-urlencoded")) {
        this.answerError(400, "Invalid or unsupported content-type");
        return HeadersAction.StopIteration;
      }
      if (endOfStream) {
        this.answerError(400, "Authorize parameters are missing");
        return HeadersAction.StopIteration;
      }
      this.tokenRequest = true;
      return HeadersAction.Continue;
    }
    return this.authenticate(config);
  }

  onRequestBody(bodySize: u32, endOfStream: bool): BodyAction {
    if (!this.tokenRequest || this.localResponseSent) return BodyAction.Continue;
    if (bodySize > MAX_FORM_BODY) {
      this.tokenRequest = false;
      this.answerError(400, "Authorize parameters are too long");
      return BodyAction.StopIterationNoBuffer;
    }
    if (!endOfStream) return BodyAction.StopIterationAndBuffer;
    this.tokenRequest = false;
    const body = bodySize > 0 ? getBufferString(BufferType.HttpRequestBody, 0, bodySize) : null;
    if (body === null || body.length == 0) {
      this.answerError(400, "Authorize parameters are missing");
    } else {
      this.issue(changetype<OAuthConfig>(this.config), "?" + body);
    }
    return BodyAction.StopIterationNoBuffer;
  }

  /** Answers the token request whose parameters are the query of `query`. */
  issue(config: OAuthConfig, query: string): void {
    const grantType = queryValue(query, "grant_type");
    const clientId = queryValue(query, "client_id");
    const clientSecret = queryValue(query, "client_secret");
    if (grantType === null || grantType.length == 0) {
      this.answerError(400, "grant_type is missing");
      return;
    }
    if (grantType != CLIENT_CREDENTIALS) {
      this.answerError(400, "grant type " + grantType + " is not supported.");
      return;
    }
    if (clientId === null || clientId.length == 0) {
      this.answerError(400, "client_id is missing");
      return;
    }
    if (!config.consumers.has(clientId)) {
      this.answerError(400, "invalid client_id or client_secret");
      return;
    }
    const consumer = config.consumers.get(clientId);
    if (clientSecret === null || !constantTimeEqualStrings(clientSecret, consumer.clientSecret)) {
      this.answerError(400, "invalid client_id or client_secret");
      return;
    }
    let audience = DEFAULT_AUDIENCE;
    if (!config.globalCredentials) {
      const route = getPropertyString(["route_name"]);
      audience = route !== null ? route : "";
    }
    // jti: 122 random bits from the host (WASI random_get), so no two tokens share one,
    // whichever VM or gateway instance issued them; never a predictable stand-in
    const random = new Uint8Array(16);
    const errno = fillRandom(random);
    if (errno != 0) {
      logError(PLUGIN + ": no token issued to consumer '" + consumer.name + "': the host's random_get failed (WASI errno "
        + errno.toString() + ")");
      this.answer(500, "token id generation failed", "oauth.internal_error");
      return;
    }
    const now = <i64>(currentTimeNanos() / 1_000_000_000);
    // claims in the order Higress's JSON encoder writes them (sorted)
    const claims = "{\"aud\":" + quoteJson(audience)
      + ",\"client_id\":" + quoteJson(consumer.clientId)
      + ",\"exp\":" + (now + config.tokenTtl).toString()
      + ",\"iat\":" + now.toString()
      + ",\"iss\":" + quoteJson(config.issuer)
      + ",\"jti\":" + quoteJson(uuidV4(random))
      + ",\"sub\":" + quoteJson(consumer.name) + "}";
    const header = joseHeader(config.algorithm, TOKEN_TYPE, config.keyId);
    let token: string | null;
    if (isRsaAlgorithm(config.algorithm)) {
      token = signJwsRsa(config.algorithm, changetype<RsaPrivateKey>(config.signingKey), header, claims);
    } else {
      token = signJwsHmac(config.algorithm, consumer.secretBytes, header, claims);
    }
    if (token === null) {
      this.answerError(400, "jwt sign failed");
      return;
    }
    logInfo(PLUGIN + ": issued a token to consumer '" + consumer.name + "'");
    const body = "{\"token_type\":\"bearer\",\"access_token\":" + quoteJson(token)
      + ",\"expires_in\":" + config.tokenTtl.toString() + "}";
    this.sendLocalResponse(200, body, [
      new HeaderPair("Content-Type", "application/json"),
      new HeaderPair("Cache-Control", "no-store"),
    ], "oauth.token_issued");
  }

  authenticate(config: OAuthConfig): HeadersAction {
    if (this.plugin.skips(config)) return HeadersAction.Continue;
    const auth = getRequestHeader(config.authHeaderName);
    if (auth === null) return this.unauthorized("missing " + config.authHeaderName + " header");
    const at = auth.indexOf("Bearer ");
    if (at < 0) return this.unauthorized("not a bearer token");
    const parsed = parseCompactJws(auth.substring(at + 7));
    if (parsed.jws === null) return this.unauthorized("malformed token: " + parsed.error);
    const jws = parsed.jws!;
    const clientIdValue = jws.payload.get("client_id");
    if (clientIdValue === null || clientIdValue.kind != JsonKind.String) return this.unauthorized("no client_id");
    const clientId = clientIdValue.asString()!.value;
    if (!config.consumers.has(clientId)) return this.unauthorized("unknown client_id");
    const consumer = config.consumers.get(clientId);
    if (jws.alg != config.algorithm) return this.unauthorized("unexpected signing algorithm " + jws.algName);
    const valid = isRsaAlgorithm(config.algorithm)
      ? verifyJwsRsa(jws, changetype<RsaPrivateKey>(config.signingKey).publicKey)
      : verifyJwsHmac(jws, consumer.secretBytes);
    if (!valid) return this.unauthorized("signature does not verify");
    if (jws.typ != "at+jwt" && jws.typ != "application/at+jwt") return this.unauthorized("typ is not at+jwt");
    const iss = jws.payload.get("iss");
    if (iss === null || iss.kind != JsonKind.String || iss.asString()!.value != config.issuer) {
      return this.unauthorized("wrong issuer");
    }
    const timing = checkTimeClaims(jws.payload, <i64>(currentTimeNanos() / 1_000_000_000), config.clockSkew, true);
    if (timing.length > 0) return this.unauthorized(timing);
    // authenticated; what follows answers 403
    if (!config.globalCredentials) {
      const aud = jws.payload.get("aud");
      let route = getPropertyString(["route_name"]);
      if (route === null) route = "";
      if (aud === null || aud.kind != JsonKind.String || aud.asString()!.value != route) {
        return this.forbidden("the token was issued for another route");
      }
    }
    if (!config.allows(consumer.name)) {
      return this.forbidden("consumer '" + consumer.name + "' is not allowed");
    }
    if (!config.keepToken) removeRequestHeader(config.authHeaderName);
    if (logEnabled(LogLevel.Debug)) logDebug(PLUGIN + ": consumer '" + consumer.name + "' authenticated");
    setConsumer(consumer.name);
    return HeadersAction.Continue;
  }

  unauthorized(reason: string): HeadersAction {
    logWarn(PLUGIN + ": invalid token: " + reason);
    this.answer(401, "Invalid Jwt token: " + reason, "oauth.invalid_token");
    return HeadersAction.StopIteration;
  }

  forbidden(reason: string): HeadersAction {
    logWarn(PLUGIN + ": access denied: " + reason);
    this.answer(403, "Access Denied: " + reason, "oauth.access_denied");
    return HeadersAction.StopIteration;
  }

  answerError(status: u32, message: string): void {
    this.answer(status, message, "oauth.bad_token_request");
  }

  /** Higress's answer body: {"code":<status>,"msg":"..."}. */
  answer(status: u32, message: string, details: string): void {
    const body = "{\"code\":" + status.toString() + ",\"msg\":" + quoteJson(message) + "}";
    sendJson(this, status, body, details);
  }
}

registerRootContext((id: u32): RootContext => new OAuthRoot(id));
