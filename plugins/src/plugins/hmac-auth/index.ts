// hmac-auth: Higress's hmac-auth (its wasm-cpp plugin extensions/hmac_auth), the
// signature scheme of Alibaba Cloud's API gateway: the client names its key in
// X-Ca-Key and sends in X-Ca-Signature the base64 HMAC-SHA256 (or HMAC-SHA1, by
// X-Ca-Signature-Method) of a string built from the method, Accept, Content-MD5,
// Content-Type, Date, the headers X-Ca-Signature-Headers lists, the path and the
// sorted query and form parameters (string-to-sign.ts). With date_offset, the Date
// header (or X-Ca-Timestamp) must be that close to now; a Content-MD5 header must match
// the body. Configuration, answers and checks follow Higress; README.md lists the
// differences.
import {
  AuthConfig,
  AuthRoot,
  BodyAction,
  BufferType,
  ConfigObject,
  ConfigParser,
  FeedingVisitor,
  currentTimeSeconds,
  getBufferBytes,
  getRequestHeader,
  HeaderPair,
  HeadersAction,
  HttpContext,
  logDebug,
  logEnabled,
  LogLevel,
  logWarn,
  needsGlobal,
  readGlobalAuth,
  registerRootContext,
  RootContext,
  setConsumer,
  visitBuffer,
} from "../../../sdk";
import { base64Encode, constantTimeEqualStrings, HashAlgorithm, Hmac, Md5 } from "../../../crypto";
import { parseHttpDate, parseTimestamp } from "./http-date";
import { addParams, appendPathAndParameters, Bytes, Param, pathAndQuery, signedHeaderLines } from "./string-to-sign";

export * from "../../../sdk/exports";
export * from "../../../sdk/exports-body";

const PLUGIN = "hmac-auth";
/** Higress's limit for a body it reads (Content-MD5 or form parameters): 32 MiB. */
const MAX_BODY: u32 = 32 * 1024 * 1024;
const BODY_CHUNK: u32 = 65536;
/** Longest string to sign shown in X-Ca-Error-Message (a response header must stay small). */
const MAX_SHOWN: i32 = 4096;
/** Longest date_offset accepted: ten thousand years. */
const MAX_DATE_OFFSET: i64 = 315360000000;

class Credential {
  /** The secret's UTF-8 bytes (the HMAC key), encoded once. */
  secretBytes: Uint8Array;

  /** `name` is "" for an entry of the older `credentials` list (no consumer header). */
  constructor(public key: string, public secret: string, public name: string) {
    this.secretBytes = Uint8Array.wrap(String.UTF8.encode(secret));
  }
}

class HmacAuthConfig extends AuthConfig {
  /** Whether this configuration comes from a _rules_ entry (which authenticates, allow or not). */
  isRule: bool = false;
  credentials: Map<string, Credential> = new Map<string, Credential>();
  /** Seconds; checked when > 0. */
  dateOffset: i64 = 0;

  scoped(): bool {
    return this.isRule;
  }

  forRule(allow: string[]): HmacAuthConfig {
    const copy = new HmacAuthConfig();
    copy.isRule = true;
    copy.credentials = this.credentials;
    copy.dateOffset = this.dateOffset;
    return this.scopeCopy(copy, allow);
  }
}

/** `consumers` ({key, secret, name}) or the older `credentials` ({key, secret}), one of them. */
function readCredentials(c: ConfigObject, config: HmacAuthConfig): void {
  if (c.has("consumers") && c.has("credentials")) {
    c.fail("consumers and credentials cannot both be given");
    return;
  }
  const named = c.has("consumers");
  const field = named ? "consumers" : "credentials";
  const items = c.objectArray(field);
  if (!c.ok) return;
  if (items === null || items.length == 0) {
    c.fail(items === null ? "consumers is required" : field + " must not be empty");
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const key = item.requiredString("key");
    const secret = item.requiredString("secret");
    const name = named ? item.requiredString("name") : "";
    if (!c.ok) return;
    if (config.credentials.has(key)) {
      c.fail(item.where("key") + ": duplicate key '" + key + "'");
      return;
    }
    config.credentials.set(key, new Credential(key, secret, name));
  }
}

function readDateOffset(c: ConfigObject, fallback: i64): i64 {
  return c.integer("date_offset", fallback, i64.MIN_VALUE, MAX_DATE_OFFSET);
}

class HmacAuthParser extends ConfigParser<HmacAuthConfig> {
  parseGlobal(c: ConfigObject): HmacAuthConfig | null {
    const config = new HmacAuthConfig();
    readGlobalAuth(c, config);
    readCredentials(c, config);
    config.dateOffset = readDateOffset(c, 0);
    return c.ok ? config : null;
  }

  /**
   * A rule with its own consumers (or credentials) authenticates against them; any
   * other rule needs `allow` (empty: every consumer) and the global consumers.
   */
  parseRule(c: ConfigObject, global: HmacAuthConfig | null): HmacAuthConfig | null {
    const allow = c.stringArray("allow");
    if (!c.ok) return null;
    if (c.has("consumers") || c.has("credentials")) {
      const local = new HmacAuthConfig();
      readCredentials(c, local);
      local.dateOffset = readDateOffset(c, 0);
      if (!c.ok) return null;
      if (global !== null) local.globalAuth = global.globalAuth;
      return local.forRule(allow !== null ? allow : []);
    }
    if (allow === null) {
      c.fail(c.where("allow") + " is required (or consumers of the rule's own)");
      return null;
    }
    if (global === null) return needsGlobal<HmacAuthConfig>(c, "consumers");
    const config = global.forRule(allow);
    config.dateOffset = readDateOffset(c, global.dateOffset);
    const names = global.credentials.values();
    for (let i = 0; i < allow.length; i++) {
      let known = false;
      for (let j = 0; j < names.length; j++) if (names[j].name == allow[i]) known = true;
      if (!known) logWarn(PLUGIN + ": " + c.where("allow") + ": consumer '" + allow[i] + "' is not in the consumers list");
    }
    return c.ok ? config : null;
  }
}

class HmacAuthRoot extends AuthRoot<HmacAuthConfig> {
  onConfigure(configurationSize: usize): bool {
    return this.configure(PLUGIN, new HmacAuthParser());
  }

  /**
   * Higress's wasm-cpp rule matcher: without _rules_ every request is authenticated
   * (global_auth false too); with rules, only requests a rule matches, unless
   * global_auth is true.
   */
  skips(config: HmacAuthConfig): bool {
    return !config.scoped() && this.ruleSet && config.globalAuth != 1;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new HmacAuthContext(contextId, this);
  }
}

class HmacAuthContext extends HttpContext {
  config: HmacAuthConfig | null = null;
  credential: Credential | null = null;
  /** Set when the body must match Content-MD5. */
  contentMd5: string = "";
  /** Set when the signature covers form parameters of the body: it is checked at the end of the body. */
  formBody: bool = false;

  constructor(id: u32, public plugin: HmacAuthRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const config = this.plugin.authConfig();
    if (config === null) return HeadersAction.Continue;
    const key = getRequestHeader("x-ca-key");
    if (key === null || key.length == 0 || !config.credentials.has(key)) {
      return this.deny(401, "Invalid Key", "invalid_key", key === null || key.length == 0 ? "no x-ca-key" : "unknown x-ca-key '" + key + "'");
    }
    const credential = config.credentials.get(key);
    if (config.allow.length > 0 && !config.allows(credential.name)) {
      const who = credential.name.length > 0 ? "consumer '" + credential.name + "'" : "key '" + key + "' (no consumer name)";
      return this.deny(403, "Unauthorized Consumer", "unauthorized_consumer", who + " is not allowed");
    }
    this.config = config;
    this.credential = credential;
    const md5 = getRequestHeader("content-md5");
    if (md5 !== null && md5.length > 0) this.contentMd5 = md5;
    const contentType = getRequestHeader("content-type");
    this.formBody = contentType !== null && contentType.toLowerCase().includes("application/x-www-form-urlencoded");
    if (!this.formBody && !this.verify(null)) return HeadersAction.StopIteration;
    if (endOfStream) {
      // no body: the checks it was waited for fail or pass now
      if (this.contentMd5.length > 0) return this.deny(400, "Invalid Content-MD5", "invalid_content_md5", "Content-MD5 without a body");
      if (this.formBody && !this.verify(new Uint8Array(0))) return HeadersAction.StopIteration;
    }
    // named now: the headers go on before a body check ends (as in Higress, which names the consumer first)
    if (credential.name.length > 0) setConsumer(credential.name);
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): BodyAction {
    if ((this.contentMd5.length == 0 && !this.formBody) || this.localResponseSent) return BodyAction.Continue;
    if (bodySize > MAX_BODY) {
      this.deny(413, "Request Body Too Large", "body_too_large", "body over 32 MiB");
      return BodyAction.StopIterationNoBuffer;
    }
    if (!endOfStream) return BodyAction.StopIterationAndBuffer;
    if (this.contentMd5.length > 0) {
      const visitor = new FeedingVisitor<Md5>(new Md5());
      visitBuffer(BufferType.HttpRequestBody, bodySize, BODY_CHUNK, visitor);
      if (bodySize == 0 || base64Encode(visitor.sink.digest()) != this.contentMd5) {
        this.deny(400, "Invalid Content-MD5", "invalid_content_md5", "the body does not match Content-MD5");
        return BodyAction.StopIterationNoBuffer;
      }
      this.contentMd5 = "";
    }
    if (this.formBody) {
      this.formBody = false;
      const body = getBufferBytes(BufferType.HttpRequestBody, 0, bodySize);
      if (!this.verify(body !== null ? Uint8Array.wrap(body) : new Uint8Array(0))) return BodyAction.StopIterationNoBuffer;
    }
    return BodyAction.Continue;
  }

  /**
   * Checks the signature (and date_offset) with the query's parameters and, for a form
   * body, those of `formBody`; answers the client and returns false when they fail.
   */
  verify(formBody: Uint8Array | null): bool {
    const config = changetype<HmacAuthConfig>(this.config);
    const credential = changetype<Credential>(this.credential);
    const signature = getRequestHeader("x-ca-signature");
    if (signature === null || signature.length == 0) {
      this.deny(401, "Empty Signature", "empty_signature", "no x-ca-signature");
      return false;
    }
    if (config.dateOffset > 0) {
      const problem = this.dateProblem(config.dateOffset);
      if (problem.length > 0) {
        this.deny(400, "Invalid Date", "invalid_date", problem);
        return false;
      }
    }
    const method = getRequestHeader("x-ca-signature-method");
    const sha1 = method !== null && method == "HmacSHA1";
    const toSign = signedHeaderLines();
    const params = new Array<Param>();
    const rawPath = getRequestHeader(":path");
    const path = pathAndQuery(Uint8Array.wrap(String.UTF8.encode(rawPath !== null ? rawPath : "")), params);
    if (formBody !== null) addParams(params, formBody, 0);
    appendPathAndParameters(toSign, path, params);
    const mac = new Hmac(sha1 ? HashAlgorithm.SHA1 : HashAlgorithm.SHA256, credential.secretBytes);
    mac.update(toSign.view());
    if (!constantTimeEqualStrings(base64Encode(mac.digest()), signature)) {
      let shown = String.UTF8.decode(toSign.view().slice().buffer).replaceAll("\n", "#");
      if (shown.length > MAX_SHOWN) shown = shown.substring(0, MAX_SHOWN) + "...";
      this.deny(400, "Invalid Signature", "invalid_signature", "the signature does not match, string to sign: " + shown,
        [new HeaderPair("x-ca-error-message", "Server StringToSign:`" + shown + "`")]);
      return false;
    }
    // DEBUG, as Higress's failures (it logs nothing for a success); asked first, as every accepted request passes here
    if (logEnabled(LogLevel.Debug)) {
      logDebug(PLUGIN + ": " + (credential.name.length > 0 ? "consumer '" + credential.name + "'" : "key '" + credential.key + "'")
        + " authenticated");
    }
    return true;
  }

  /** Why the Date header (or, without it, X-Ca-Timestamp) is not within `offset` seconds of now ("" when it is). */
  dateProblem(offset: i64): string {
    const date = getRequestHeader("date");
    let seconds: i64;
    if (date !== null && date.length > 0) {
      seconds = parseHttpDate(date);
      if (seconds < 0) return "Date '" + date + "' is not an HTTP date";
    } else {
      const timestamp = getRequestHeader("x-ca-timestamp");
      const parsed = parseTimestamp(timestamp !== null ? timestamp : "");
      if (parsed === null) return "no Date, and X-Ca-Timestamp '" + (timestamp !== null ? timestamp : "") + "' is not a number";
      seconds = parsed.value;
    }
    let difference = <i64>currentTimeSeconds() - seconds;
    if (difference < 0) difference = -difference;
    if (difference > offset) return "the request time is " + difference.toString() + " s away from now, over date_offset";
    return "";
  }

  /** Answers `status` with Higress's text `body`; logs why at DEBUG (as Higress). */
  deny(status: u32, body: string, detail: string, why: string, headers: HeaderPair[] = []): HeadersAction {
    logDebug(PLUGIN + ": request denied (" + status.toString() + " " + body + "): " + why);
    this.sendLocalResponse(status, body, headers, PLUGIN + "." + detail);
    return HeadersAction.StopIteration;
  }
}

registerRootContext((id: u32): RootContext => new HmacAuthRoot(id));
