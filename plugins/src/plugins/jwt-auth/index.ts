// jwt-auth: authentication by JWT (RFC 7519) against consumers with inline JWK Sets,
// compatible with Higress's jwt-auth plugin (configuration and answers).
// HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA (Ed25519) signatures;
// exp/nbf/iat with clock skew; the token
// from headers, query parameters or cookies; claims copied to request headers.
import {
  addRequestHeader,
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
  JsonKind,
  JsonValue,
  logWarn,
  needsGlobal,
  pathWithoutQuery,
  queryValue,
  rawQuery,
  decodeQueryComponent,
  readConsumers,
  readGlobalAuth,
  readRequiredAllow,
  registerRootContext,
  removeRequestHeader,
  replaceRequestHeader,
  RootContext,
  currentTimeSeconds,
} from "../../../sdk";
import { checkTimeClaims, claimText, CompactJws, Jwk, jwksFromJson, JwkSet, parseCompactJws, parseJwks, verifyJws } from "../../../crypto";

export * from "../../../sdk/exports";

const PLUGIN = "jwt-auth";
const DEFAULT_CLOCK_SKEW: i64 = 60;

class FromHeader {
  constructor(public name: string, public prefix: string) {}
}

class ClaimToHeader {
  constructor(public claim: string, public header: string, public replace: bool) {}
}

class Consumer {
  name: string = "";
  issuer: string = "";
  jwks: JwkSet = new JwkSet();
  claimsToHeaders: ClaimToHeader[] = [];
  fromHeaders: FromHeader[] = [];
  fromParams: string[] = [];
  fromCookies: string[] = [];
  clockSkew: i64 = DEFAULT_CLOCK_SKEW;
  keepToken: bool = true;
}

class JwtAuthConfig extends AuthConfig {
  consumers: Consumer[] = [];

  withAllow(allow: string[]): JwtAuthConfig {
    const copy = new JwtAuthConfig();
    copy.consumers = this.consumers;
    return this.scopeCopy(copy, allow);
  }
}

function parseConsumer(c: ConfigObject, names: Set<string>): Consumer | null {
  const consumer = new Consumer();
  consumer.name = c.requiredString("name");
  consumer.issuer = c.requiredString("issuer");
  if (!c.ok) return null;
  if (names.has(consumer.name)) {
    c.fail(c.where("name") + ": consumer '" + consumer.name + "' is configured twice");
    return null;
  }
  if (c.has("remote_jwks")) {
    c.fail(c.where("remote_jwks") + " is not supported: give the keys inline in jwks");
    return null;
  }
  const jwksValue = c.raw("jwks");
  if (jwksValue === null) {
    c.fail(c.where("jwks") + " is required");
    return null;
  }
  // a JSON string as Higress documents it; a JSON object is accepted too
  const result = jwksValue.kind == JsonKind.String
    ? parseJwks(jwksValue.asString()!.value)
    : jwksFromJson(jwksValue);
  if (result.set === null) {
    c.fail(c.where("jwks") + " is invalid: " + result.error);
    return null;
  }
  consumer.jwks = result.set!;
  for (let i = 0; i < consumer.jwks.skipped.length; i++) {
    logWarn(PLUGIN + ": " + c.where("jwks") + ": " + consumer.jwks.skipped[i] + "; tokens signed with it are refused");
  }
  const hasHeaders = c.has("from_headers");
  const hasParams = c.has("from_params");
  const hasCookies = c.has("from_cookies");
  if (!hasHeaders && !hasParams && !hasCookies) {
    consumer.fromHeaders = [new FromHeader("authorization", "Bearer ")];
    consumer.fromParams = ["access_token"];
  } else {
    const headers = c.objectArray("from_headers");
    if (headers !== null) {
      for (let i = 0; i < headers.length; i++) {
        const name = headers[i].requiredString("name");
        const prefix = headers[i].string("value_prefix");
        if (!c.ok) return null;
        consumer.fromHeaders.push(new FromHeader(name.toLowerCase(), prefix));
      }
    }
    const params = c.stringArray("from_params");
    const cookies = c.stringArray("from_cookies");
    if (!c.ok) return null;
    if (params !== null) consumer.fromParams = nonEmpty(params);
    if (cookies !== null) consumer.fromCookies = nonEmpty(cookies);
  }
  const claims = c.objectArray("claims_to_headers");
  if (claims !== null) {
    const seen = new Set<string>();
    for (let i = 0; i < claims.length; i++) {
      const claim = claims[i].requiredString("claim");
      const header = claims[i].requiredString("header");
      const replace = claims[i].bool("override", true);
      if (!c.ok) return null;
      const lower = header.toLowerCase();
      if (seen.has(lower)) {
        c.fail(claims[i].where("header") + ": header '" + header + "' is already set by another claim");
        return null;
      }
      seen.add(lower);
      consumer.claimsToHeaders.push(new ClaimToHeader(claim, lower, replace));
    }
  }
  consumer.clockSkew = c.integer("clock_skew_seconds", DEFAULT_CLOCK_SKEW, 0, 315360000000);
  consumer.keepToken = c.bool("keep_token", true);
  if (!c.ok) return null;
  names.add(consumer.name);
  return consumer;
}

function nonEmpty(values: string[]): string[] {
  const result = new Array<string>();
  for (let i = 0; i < values.length; i++) if (values[i].length > 0) result.push(values[i]);
  return result;
}

class JwtAuthParser extends ConfigParser<JwtAuthConfig> {
  parseGlobal(c: ConfigObject): JwtAuthConfig | null {
    const config = new JwtAuthConfig();
    readGlobalAuth(c, config);
    const consumers = readConsumers(c);
    if (consumers === null) return null;
    const names = new Set<string>();
    for (let i = 0; i < consumers.length; i++) {
      const consumer = parseConsumer(consumers[i], names);
      if (consumer === null) return null;
      config.consumers.push(consumer);
    }
    return config;
  }

  parseRule(c: ConfigObject, global: JwtAuthConfig | null): JwtAuthConfig | null {
    if (global === null) return needsGlobal<JwtAuthConfig>(c, "consumers");
    const allow = readRequiredAllow(c);
    if (allow === null) return null;
    for (let i = 0; i < allow.length; i++) {
      let known = false;
      for (let j = 0; j < global.consumers.length; j++) {
        if (global.consumers[j].name == allow[i]) known = true;
      }
      if (!known) logWarn(PLUGIN + ": " + c.where("allow") + " names '" + allow[i] + "', which is not a consumer");
    }
    return global.withAllow(allow);
  }
}

class JwtAuthRoot extends AuthRoot<JwtAuthConfig> {
  onConfigure(configurationSize: usize): bool {
    return this.configure(PLUGIN, new JwtAuthParser());
  }

  createHttpContext(contextId: u32): HttpContext {
    return new JwtAuthContext(contextId, this);
  }
}

// Why a consumer did not authenticate, in increasing order of what the answer reports.
const FAIL_NONE = 0;
const FAIL_MISSING = 1;
const FAIL_VERIFICATION = 2;
const FAIL_EXPIRED = 3;
const FAIL_UNAUTHORIZED = 4;

/** Where a token was found (to remove it when keep_token is false). */
class Found {
  constructor(public token: string, public kind: i32, public name: string) {}
}

const FROM_HEADER = 0;
const FROM_PARAM = 1;
const FROM_COOKIE = 2;

/** The value of cookie `name` as Higress reads it ("" when absent). */
function findCookie(cookies: string, name: string): string {
  const pairs = cookies.split(";");
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i].trim();
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.substring(0, eq);
    if (key == name) {
      if (eq < 0) return "";
      const rest = pair.substring(eq + 1);
      const next = rest.indexOf("=");
      return next < 0 ? rest : rest.substring(0, next);
    }
  }
  return "";
}

function withoutCookie(cookies: string, name: string): string {
  const kept = new Array<string>();
  const pairs = cookies.split(";");
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i].trim();
    if (pair.length == 0) continue;
    const eq = pair.indexOf("=");
    if ((eq < 0 ? pair : pair.substring(0, eq)) == name) continue;
    kept.push(pair);
  }
  return kept.join("; ");
}

/** `path` without the query parameters whose decoded name is `name`. */
function withoutParam(path: string, name: string): string {
  const query = rawQuery(path);
  if (query.length == 0) return path;
  const kept = new Array<string>();
  const pairs = query.split("&");
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const eq = pair.indexOf("=");
    const decoded = decodeQueryComponent(eq < 0 ? pair : pair.substring(0, eq));
    if (decoded !== null && decoded == name) continue;
    kept.push(pair);
  }
  const hash = path.indexOf("#", path.indexOf("?"));
  const fragment = hash < 0 ? "" : path.substring(hash);
  const base = pathWithoutQuery(path);
  return (kept.length > 0 ? base + "?" + kept.join("&") : base) + fragment;
}

class JwtAuthContext extends HttpContext {
  /** The token parsed last in this request and what came of it (consumers often share a source). */
  parsedToken: string | null = null;
  parsedJws: CompactJws | null = null;
  parseError: string = "";

  constructor(id: u32, public plugin: JwtAuthRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const config = this.plugin.authConfig();
    if (config === null) return HeadersAction.Continue;
    const now = <i64>currentTimeSeconds();
    let worst = FAIL_NONE;
    let worstConsumer = "";
    for (let i = 0; i < config.consumers.length; i++) {
      const consumer = config.consumers[i];
      const found = this.extract(consumer);
      let failure = FAIL_NONE;
      if (found === null) {
        failure = FAIL_MISSING;
        logWarn(PLUGIN + ": jwt is missing, consumer: " + consumer.name);
      } else {
        failure = this.verify(consumer, found.token, now);
        if (failure == FAIL_NONE && !checkAllowed(PLUGIN, config, consumer.name)) {
          failure = FAIL_UNAUTHORIZED;
        }
      }
      if (failure == FAIL_NONE) {
        this.authenticated(consumer, changetype<Found>(found));
        return HeadersAction.Continue;
      }
      if (failure > worst) {
        worst = failure;
        worstConsumer = consumer.name;
      }
    }
    if (worst == FAIL_UNAUTHORIZED) {
      return this.deny(403, "jwt-auth.unauthorized_customer", "Request denied by JWT Auth check. Unauthorized consumer.");
    }
    if (worst == FAIL_EXPIRED) {
      return this.deny(401, "jwt-auth.token_expired", "Request denied by JWT Auth check. JWT is expired.");
    }
    if (worst == FAIL_VERIFICATION) {
      return this.deny(401, "jwt-auth.verification_failed", "Request denied by JWT Auth check. JWT verification fails");
    }
    return this.deny(401, "jwt-auth.token_missing", "Request denied by JWT Auth check. JWT is missing.");
  }

  /** The consumer's token from its sources in order: headers, query parameters, cookies. */
  extract(consumer: Consumer): Found | null {
    for (let i = 0; i < consumer.fromHeaders.length; i++) {
      const from = consumer.fromHeaders[i];
      const value = getRequestHeader(from.name);
      if (value === null || value.length == 0) continue;
      // as Higress: a header present without the prefix ends the header search
      if (!value.startsWith(from.prefix)) {
        logWarn(PLUGIN + ": header " + from.name + " has no prefix '" + from.prefix + "'");
        break;
      }
      const token = value.substring(from.prefix.length);
      if (token.length > 0) return new Found(token, FROM_HEADER, from.name);
      break;
    }
    if (consumer.fromParams.length > 0) {
      const path = getRequestHeader(":path");
      if (path !== null) {
        for (let i = 0; i < consumer.fromParams.length; i++) {
          const value = queryValue(path, consumer.fromParams[i]);
          if (value !== null && value.length > 0) return new Found(value, FROM_PARAM, consumer.fromParams[i]);
        }
      }
    }
    if (consumer.fromCookies.length > 0) {
      const cookies = getRequestHeader("cookie");
      if (cookies !== null) {
        for (let i = 0; i < consumer.fromCookies.length; i++) {
          const value = findCookie(cookies, consumer.fromCookies[i]);
          if (value.length > 0) return new Found(value, FROM_COOKIE, consumer.fromCookies[i]);
        }
      }
    }
    return null;
  }

  parse(token: string): CompactJws | null {
    const last = this.parsedToken;
    if (last !== null && last == token) return this.parsedJws;
    const result = parseCompactJws(token);
    this.parsedToken = token;
    this.parsedJws = result.jws;
    this.parseError = result.error;
    return result.jws;
  }

  verify(consumer: Consumer, token: string, now: i64): i32 {
    const jws = this.parse(token);
    if (jws === null) {
      logWarn(PLUGIN + ": jwt parse failed, consumer: " + consumer.name + ", reason: " + this.parseError);
      return FAIL_VERIFICATION;
    }
    // the key named by kid, else the first key (as Higress)
    let key: Jwk = consumer.jwks.keys[0];
    if (jws.kid.length > 0) {
      const byKid = consumer.jwks.firstWithKid(jws.kid);
      if (byKid !== null) key = byKid;
    }
    if (!verifyJws(jws, key)) {
      logWarn(PLUGIN + ": jwt verify failed, consumer: " + consumer.name + ", reason: signature (" + jws.algName + ") does not verify");
      return FAIL_VERIFICATION;
    }
    const iss = jws.payload.get("iss");
    if (iss === null || iss.kind != JsonKind.String || iss.asString()!.value != consumer.issuer) {
      logWarn(PLUGIN + ": jwt verify failed, consumer: " + consumer.name + ", reason: issuer does not equal");
      return FAIL_VERIFICATION;
    }
    const aud = jws.payload.get("aud");
    if (aud !== null && !isAudience(aud)) {
      logWarn(PLUGIN + ": jwt verify failed, consumer: " + consumer.name + ", reason: aud is not a string or an array of strings");
      return FAIL_VERIFICATION;
    }
    const timing = checkTimeClaims(jws.payload, now, consumer.clockSkew, false);
    if (timing.length > 0) {
      logWarn(PLUGIN + ": jwt verify failed, consumer: " + consumer.name + ", reason: " + timing);
      // a date that is not a number fails the claims' decoding in Higress: verification fails
      return timing.endsWith("not a number") ? FAIL_VERIFICATION : FAIL_EXPIRED;
    }
    return FAIL_NONE;
  }

  authenticated(consumer: Consumer, found: Found): void {
    const jws = changetype<CompactJws>(this.parse(found.token));
    for (let i = 0; i < consumer.claimsToHeaders.length; i++) {
      const mapping = consumer.claimsToHeaders[i];
      const value = jws.payload.get(mapping.claim);
      if (value === null) continue;
      const text = claimText(value);
      if (mapping.replace) replaceRequestHeader(mapping.header, text);
      else addRequestHeader(mapping.header, text);
    }
    if (!consumer.keepToken) {
      if (found.kind == FROM_HEADER) {
        removeRequestHeader(found.name);
      } else if (found.kind == FROM_PARAM) {
        const path = getRequestHeader(":path");
        if (path !== null) replaceRequestHeader(":path", withoutParam(path, found.name));
      } else {
        const cookies = getRequestHeader("cookie");
        if (cookies !== null) {
          const rest = withoutCookie(cookies, found.name);
          if (rest.length > 0) replaceRequestHeader("cookie", rest);
          else removeRequestHeader("cookie");
        }
      }
    }
    authenticated(PLUGIN, consumer.name);
  }

  deny(status: u32, details: string, body: string): HeadersAction {
    return denyWithChallenge(this, "JWT", status, details, body);
  }
}

/** "aud" is a string or an array of strings (RFC 7519 §4.1.3). */
function isAudience(value: JsonValue): bool {
  if (value.kind == JsonKind.String) return true;
  const array = value.asArray();
  if (array === null) return false;
  for (let i = 0; i < array.items.length; i++) if (array.items[i].kind != JsonKind.String) return false;
  return true;
}

registerRootContext((id: u32): RootContext => new JwtAuthRoot(id));
