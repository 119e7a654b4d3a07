// hmac-auth-apisix: HMAC request signatures (draft-cavage-http-signatures, as Apache APISIX
// and Higress's wasm-go hmac-auth define them), compatible with Higress's plugin
// (configuration and answers).
//
//   Authorization: Signature keyId="ak",algorithm="hmac-sha256",
//                  headers="@request-target date digest",signature="<base64>"
//
// The signing string is keyId, then one line per listed header ("@request-target" is
// "<method> <path>", any other "<name>: <value>", absent headers skipped), each line
// ending in "\n". The Date header is checked against clock_skew; with
// validate_request_body the body must match "Digest: SHA-256=<base64 of SHA-256>".
import {
  AuthConfig,
  authenticated,
  AuthRoot,
  BodyAction,
  BufferType,
  ConfigObject,
  ConfigParser,
  FeedingVisitor,
  currentTimeSeconds,
  equalsIgnoreCase,
  getRequestHeader,
  HeadersAction,
  HttpContext,
  logWarn,
  needsGlobal,
  quoteJson,
  readConsumers,
  readGlobalAuth,
  registerRootContext,
  removeRequestHeader,
  RootContext,
  sendJson,
  setConsumer,
  utcSeconds,
  visitBuffer,
} from "../../../sdk";
import { base64Encode, constantTimeEqualStrings, HashAlgorithm, Hmac, Sha256 } from "../../../crypto";

export * from "../../../sdk/exports";
export * from "../../../sdk/exports-body";

const PLUGIN = "hmac-auth-apisix";
const ALGORITHMS = ["hmac-sha1", "hmac-sha256", "hmac-sha512"];
const DEFAULT_CLOCK_SKEW: i64 = 300;
/** Longer Authorization values are refused before parsing. */
const MAX_AUTHORIZATION = 16384;
const BODY_CHUNK: u32 = 65536;

class Consumer {
  constructor(public name: string, public accessKey: string, public secretKey: string) {}
}

class HmacAuthApisixConfig extends AuthConfig {
  /** Whether this configuration comes from a _rules_ entry. */
  isRule: bool = false;
  consumers: Consumer[] = [];
  allowedAlgorithms: string[] = ALGORITHMS;
  clockSkew: i64 = DEFAULT_CLOCK_SKEW;
  signedHeaders: string[] = [];
  validateRequestBody: bool = false;
  hideCredentials: bool = false;
  anonymousConsumer: string = "";

  /** A rule authenticates whether or not it allows consumers. */
  scoped(): bool {
    return this.isRule;
  }

  copy(): HmacAuthApisixConfig {
    const c = new HmacAuthApisixConfig();
    c.isRule = this.isRule;
    c.consumers = this.consumers;
    c.allowedAlgorithms = this.allowedAlgorithms;
    c.clockSkew = this.clockSkew;
    c.signedHeaders = this.signedHeaders;
    c.validateRequestBody = this.validateRequestBody;
    c.hideCredentials = this.hideCredentials;
    c.anonymousConsumer = this.anonymousConsumer;
    return this.scopeCopy(c, this.allow);
  }

  consumer(accessKey: string): Consumer | null {
    for (let i = 0; i < this.consumers.length; i++) {
      if (this.consumers[i].accessKey == accessKey) return this.consumers[i];
    }
    return null;
  }
}

/** Reads the options a rule may override too. */
function parseOptions(c: ConfigObject, config: HmacAuthApisixConfig): void {
  const algorithms = c.stringArray("allowed_algorithms");
  if (algorithms !== null && algorithms.length > 0) {
    for (let i = 0; i < algorithms.length; i++) {
      if (!ALGORITHMS.includes(algorithms[i])) {
        c.fail(c.where("allowed_algorithms") + ": invalid algorithm '" + algorithms[i]
          + "'; must be one of hmac-sha1, hmac-sha256, hmac-sha512");
        return;
      }
    }
    config.allowedAlgorithms = algorithms;
  }
  config.clockSkew = c.integer("clock_skew", config.clockSkew, 0, 315360000000);
  const signed = c.stringArray("signed_headers");
  if (signed !== null) config.signedHeaders = signed;
  config.validateRequestBody = c.bool("validate_request_body", config.validateRequestBody);
  config.hideCredentials = c.bool("hide_credentials", config.hideCredentials);
  config.anonymousConsumer = c.string("anonymous_consumer", config.anonymousConsumer);
}

class HmacAuthApisixParser extends ConfigParser<HmacAuthApisixConfig> {
  parseGlobal(c: ConfigObject): HmacAuthApisixConfig | null {
    const config = new HmacAuthApisixConfig();
    readGlobalAuth(c, config);
    const consumers = readConsumers(c);
    if (consumers === null) return null;
    for (let i = 0; i < consumers.length; i++) {
      const item = consumers[i];
      const accessKey = item.requiredString("access_key");
      const secretKey = item.requiredString("secret_key");
      let name = item.string("name");
      if (!c.ok) return null;
      if (name.length == 0) name = accessKey;
      if (config.consumer(accessKey) !== null) {
        c.fail(item.where("access_key") + ": duplicate consumer access_key '" + accessKey + "'");
        return null;
      }
      config.consumers.push(new Consumer(name, accessKey, secretKey));
    }
    parseOptions(c, config);
    if (!c.ok) return null;
    return config;
  }

  parseRule(c: ConfigObject, global: HmacAuthApisixConfig | null): HmacAuthApisixConfig | null {
    if (global === null) return needsGlobal<HmacAuthApisixConfig>(c, "consumers");
    const config = global.copy();
    config.isRule = true;
    parseOptions(c, config);
    const allow = c.stringArray("allow");
    if (!c.ok) return null;
    if (allow !== null) {
      config.allow = allow;
      for (let i = 0; i < allow.length; i++) {
        let known = false;
        for (let j = 0; j < global.consumers.length; j++) if (global.consumers[j].name == allow[i]) known = true;
        if (!known) logWarn(PLUGIN + ": allowed consumer name '" + allow[i] + "' is not in the consumers list");
      }
    }
    return config;
  }
}

class HmacAuthApisixRoot extends AuthRoot<HmacAuthApisixConfig> {
  onConfigure(configurationSize: usize): bool {
    return this.configure(PLUGIN, new HmacAuthApisixParser());
  }

  createHttpContext(contextId: u32): HttpContext {
    return new HmacAuthApisixContext(contextId, this);
  }
}

/** The fields of an Authorization: Signature header. */
class HmacParams {
  keyId: string = "";
  algorithm: string = "";
  signature: string = "";
  headers: string[] = [];
  consumer: Consumer | null = null;
}

function isWordChar(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

/**
 * Every key="value" of `text`, as Go's regexp `(\w+)="([^"]*)"` finds them (leftmost
 * matches, left to right), in linear time; a later repeat of a key wins.
 */
function parseFields(text: string, params: HmacParams): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isWordChar(text.charCodeAt(j))) j++;
    // a match must start here: the whole word (no shorter one can end in '=')
    if (j + 1 >= n || text.charCodeAt(j) != 0x3d || text.charCodeAt(j + 1) != 0x22) {
      i = j;
      continue;
    }
    const close = text.indexOf("\"", j + 2);
    if (close < 0) return; // no later match can close either
    const key = text.substring(i, j);
    const value = text.substring(j + 2, close);
    if (key == "keyId") params.keyId = value;
    else if (key == "algorithm") params.algorithm = value;
    else if (key == "signature") params.signature = value;
    else if (key == "headers") params.headers = value.length > 0 ? value.split(" ") : [];
    i = close + 1;
  }
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function digits(text: string, at: i32, count: i32): i32 {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const c = text.charCodeAt(at + k);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * Seconds since the epoch of an RFC 1123 date in GMT, "Mon, 02 Jan 2006 15:04:05 GMT"
 * (Go's layout, what curl and `date` send), or -1. RFC 1123 lets the day and the hour
 * have one digit ("Mon, 2 Jan 2006 5:04:05 GMT", what Java's RFC_1123_DATE_TIME sends on
 * the first nine days of a month): both are accepted.
 */
function parseGmtDate(text: string): i64 {
  if (text.length < 27 || text.length > 29) return -1;
  if (!DAYS.includes(text.substring(0, 3)) || text.substring(3, 5) != ", ") return -1;
  let at = 5;
  const dayDigits = text.charCodeAt(at + 1) == 0x20 ? 1 : 2;
  const day = digits(text, at, dayDigits);
  at += dayDigits;
  if (day < 1 || text.charCodeAt(at) != 0x20) return -1;
  const month = MONTHS.indexOf(text.substring(at + 1, at + 4)) + 1;
  at += 4;
  if (month < 1 || text.charCodeAt(at) != 0x20) return -1;
  const year = digits(text, at + 1, 4);
  at += 5;
  if (year < 0 || text.charCodeAt(at) != 0x20) return -1;
  at += 1;
  const hourDigits = text.charCodeAt(at + 1) == 0x3a ? 1 : 2;
  const hour = digits(text, at, hourDigits);
  at += hourDigits;
  if (hour < 0 || hour > 23 || text.charCodeAt(at) != 0x3a) return -1;
  const minute = digits(text, at + 1, 2);
  if (minute < 0 || minute > 59 || text.charCodeAt(at + 3) != 0x3a) return -1;
  const second = digits(text, at + 4, 2);
  if (second < 0 || second > 59 || text.substring(at + 6) != " GMT") return -1;
  return utcSeconds(year, month, day, hour, minute, second);
}

/**
 * Whether the signature's `headers` list names `header`, in any case (header names are
 * case-insensitive; Higress's documented example configures `X-Custom-Header-A` and signs
 * `x-custom-header-a`).
 */
function signs(headers: string[], header: string): bool {
  for (let i = 0; i < headers.length; i++) {
    if (equalsIgnoreCase(headers[i], header)) return true;
  }
  return false;
}

function hashOf(algorithm: string): i32 {
  if (algorithm == "hmac-sha1") return HashAlgorithm.SHA1;
  if (algorithm == "hmac-sha256") return HashAlgorithm.SHA256;
  if (algorithm == "hmac-sha512") return HashAlgorithm.SHA512;
  return -1;
}

class HmacAuthApisixContext extends HttpContext {
  /** Set when the body must match the Digest header before the request goes on. */
  checkBody: bool = false;

  constructor(id: u32, public plugin: HmacAuthApisixRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    // global_auth false, or unset with rules configured: only routes/domains with a rule authenticate
    const config = this.plugin.authConfig();
    if (config === null) return HeadersAction.Continue;
    const params = new HmacParams();
    const problem = this.retrieveFields(config, params);
    if (problem.length > 0) {
      if (config.anonymousConsumer.length > 0) {
        setConsumer(config.anonymousConsumer);
        return HeadersAction.Continue;
      }
      return this.deny(problem);
    }
    const consumer = changetype<Consumer>(params.consumer);
    if (!config.allows(consumer.name)) {
      return this.deny("consumer '" + consumer.name + "' is not allowed");
    }
    if (config.clockSkew > 0) {
      const date = getRequestHeader("date");
      if (date === null || date.length == 0) return this.deny("Date header missing. failed to validate clock skew");
      const seconds = parseGmtDate(date);
      if (seconds < 0) return this.deny("Invalid GMT format time");
      let diff = <i64>currentTimeSeconds() - seconds;
      if (diff < 0) diff = -diff;
      if (diff > config.clockSkew) return this.deny("Clock skew exceeded");
    }
    if (!config.allowedAlgorithms.includes(params.algorithm)) return this.deny("Invalid algorithm");
    if (config.signedHeaders.length > 0) {
      if (params.headers.length == 0) return this.deny("headers missing");
      for (let i = 0; i < config.signedHeaders.length; i++) {
        if (!signs(params.headers, config.signedHeaders[i])) {
          return this.deny("expected header \"" + config.signedHeaders[i] + "\" missing in signing");
        }
      }
    }
    const hash = hashOf(params.algorithm);
    if (hash < 0) return this.deny("unsupported algorithm: " + params.algorithm);
    const mac = new Hmac(<HashAlgorithm>hash, Uint8Array.wrap(String.UTF8.encode(consumer.secretKey)));
    mac.updateString(this.signingString(params));
    const expected = base64Encode(mac.digest());
    if (!constantTimeEqualStrings(params.signature, expected)) {
      logWarn(PLUGIN + ": signature validation failed, algorithm: " + params.algorithm + ", consumer: " + consumer.name);
      return this.deny("Invalid signature");
    }
    authenticated(PLUGIN, consumer.name);
    if (config.hideCredentials) removeRequestHeader("authorization");
    if (config.validateRequestBody && !endOfStream) this.checkBody = true;
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): BodyAction {
    if (!this.checkBody || this.localResponseSent) return BodyAction.Continue;
    if (!endOfStream) return BodyAction.StopIterationAndBuffer;
    this.checkBody = false;
    const given = getRequestHeader("digest");
    if (given === null || given.length == 0) {
      this.deny("Invalid digest");
      return BodyAction.StopIterationNoBuffer;
    }
    const visitor = new FeedingVisitor<Sha256>(new Sha256());
    visitBuffer(BufferType.HttpRequestBody, bodySize, BODY_CHUNK, visitor);
    const digest = "SHA-256=" + base64Encode(visitor.sink.digest());
    if (!constantTimeEqualStrings(digest, given)) {
      logWarn(PLUGIN + ": request body digest validation failed, body size " + bodySize.toString() + " bytes");
      this.deny("Invalid digest");
      return BodyAction.StopIterationNoBuffer;
    }
    return BodyAction.Continue;
  }

  /** Fills `params` from the Authorization header; answers the problem ("" when none). */
  retrieveFields(config: HmacAuthApisixConfig, params: HmacParams): string {
    const auth = getRequestHeader("authorization");
    if (auth === null) return "missing Authorization header";
    if (!auth.startsWith("Signature ")) return "Authorization header does not start with 'Signature '";
    if (auth.length > MAX_AUTHORIZATION) return "keyId or signature missing";
    parseFields(auth.substring(10), params);
    if (params.keyId.length == 0 || params.signature.length == 0) return "keyId or signature missing";
    if (params.algorithm.length == 0) return "algorithm missing";
    const consumer = config.consumer(params.keyId);
    if (consumer === null) return "Invalid keyId";
    params.consumer = consumer;
    return "";
  }

  signingString(params: HmacParams): string {
    const items = new Array<string>();
    items.push(params.keyId);
    let method = getRequestHeader(":method");
    if (method === null) method = "GET";
    let path = getRequestHeader(":path");
    if (path === null || path.length == 0) path = "/";
    for (let i = 0; i < params.headers.length; i++) {
      const name = params.headers[i];
      if (name == "@request-target") {
        items.push(method + " " + path);
      } else if (name.length > 0) {
        const value = getRequestHeader(name.toLowerCase());
        if (value !== null) items.push(name + ": " + value);
      }
    }
    return items.join("\n") + "\n";
  }

  deny(message: string): HeadersAction {
    logWarn(PLUGIN + ": request denied: " + message);
    const body = "{\"message\":" + quoteJson("client request can't be validated: " + message) + "}";
    sendJson(this, 401, body, "hmac-auth-apisix.denied");
    return HeadersAction.StopIteration;
  }
}

registerRootContext((id: u32): RootContext => new HmacAuthApisixRoot(id));
