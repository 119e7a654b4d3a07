// request-block: blocks requests by URL, headers or body content, compatible with
// Higress's request-block plugin.
import {
  BodyAction,
  BufferType,
  BufferVisitor,
  ConfigObject,
  ConfigParser,
  getPluginConfiguration,
  getRequestHeader,
  getRequestHeaders,
  HeadersAction,
  HttpContext,
  parseRuleConfig,
  Regex,
  registerRootContext,
  RootContext,
  RuleMatcher,
  visitBuffer,
} from "../../../sdk";

export * from "../../../sdk/exports";
export * from "../../../sdk/exports-body";

const PLUGIN = "request-block";
/** The body is read in chunks of this size, so a large body never sits whole in the VM. */
const BODY_CHUNK: u32 = 65536;

class RequestBlockConfig {
  blockedCode: u32 = 403;
  blockedMessage: string = "";
  caseSensitive: bool = true;
  blockUrls: string[] = [];
  blockExactUrls: string[] = [];
  blockRegexpUrls: Regex[] = [];
  blockHeaders: string[] = [];
  /** Body patterns as bytes (lower-cased ASCII when not case sensitive). */
  blockBodies: ArrayBuffer[] = [];
  longestBody: u32 = 0;
}

class RequestBlockParser extends ConfigParser<RequestBlockConfig> {
  parseGlobal(c: ConfigObject): RequestBlockConfig | null {
    const config = new RequestBlockConfig();
    config.blockedCode = <u32>c.integer("blocked_code", 403, 100, 599);
    config.blockedMessage = c.string("blocked_message", "");
    config.caseSensitive = c.bool("case_sensitive", true);
    const fold = !config.caseSensitive;
    config.blockUrls = patterns(c, "block_urls", fold);
    config.blockExactUrls = patterns(c, "block_exact_urls", fold);
    config.blockHeaders = patterns(c, "block_headers", fold);
    // Higress's wasm-go reads block_bodies; older versions and wasm-cpp block_bodys
    const bodies = c.has("block_bodies") ? patterns(c, "block_bodies", fold) : patterns(c, "block_bodys", fold);
    for (let i = 0; i < bodies.length; i++) {
      const bytes = String.UTF8.encode(fold ? asciiLowerText(bodies[i]) : bodies[i]);
      config.blockBodies.push(bytes);
      if (<u32>bytes.byteLength > config.longestBody) config.longestBody = <u32>bytes.byteLength;
    }
    const regexps = patterns(c, "block_regexp_urls", false);
    for (let i = 0; i < regexps.length; i++) {
      const compiled = Regex.compile(fold ? "(?i)" + regexps[i] : regexps[i]);
      if (!compiled.ok) {
        c.fail(c.where("block_regexp_urls") + "[" + i.toString() + "] is not a valid regular expression: "
          + compiled.error);
        return null;
      }
      config.blockRegexpUrls.push(compiled.regex!);
    }
    if (!c.ok) return null;
    if (config.blockUrls.length + config.blockExactUrls.length + config.blockRegexpUrls.length
      + config.blockHeaders.length + config.blockBodies.length == 0) {
      c.fail((c.path.length > 0 ? c.path + ": " : "") + "there is no block rule: set block_urls, block_exact_urls,"
        + " block_regexp_urls, block_headers or block_bodies");
      return null;
    }
    return config;
  }
}

/** The non-empty strings of `key`, lower-cased when matching ignores case. */
function patterns(c: ConfigObject, key: string, fold: bool): string[] {
  const values = c.stringArray(key);
  const result = new Array<string>();
  if (values === null) return result;
  for (let i = 0; i < values.length; i++) {
    if (values[i].length > 0) result.push(fold ? values[i].toLowerCase() : values[i]);
  }
  return result;
}

function asciiLowerText(text: string): string {
  const parts = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    parts[i] = String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return parts.join("");
}

class RequestBlockRoot extends RootContext {
  matcher: RuleMatcher<RequestBlockConfig> | null = null;

  onConfigure(configurationSize: usize): bool {
    const matcher = parseRuleConfig<RequestBlockConfig>(PLUGIN, getPluginConfiguration(), new RequestBlockParser());
    if (matcher === null) return false;
    this.matcher = matcher;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new RequestBlockContext(contextId, this);
  }
}

/** Searches body chunks for the configured patterns. */
class BodyScanner extends BufferVisitor {
  found: bool = false;

  constructor(public config: RequestBlockConfig) {
    super();
  }

  visit(pointer: usize, size: u32, offset: u32): bool {
    const patterns = this.config.blockBodies;
    const fold = !this.config.caseSensitive;
    for (let i = 0; i < patterns.length; i++) {
      if (containsBytes(pointer, size, patterns[i], fold)) {
        this.found = true;
        return false;
      }
    }
    return true;
  }
}

function containsBytes(haystack: usize, size: u32, needle: ArrayBuffer, fold: bool): bool {
  const n = <u32>needle.byteLength;
  if (n == 0 || n > size) return false;
  const base = changetype<usize>(needle);
  const first = load<u8>(base);
  const last = size - n;
  for (let i: u32 = 0; i <= last; i++) {
    let b = load<u8>(haystack + <usize>i);
    if (fold && b >= 0x41 && b <= 0x5a) b += 32;
    if (b != first) continue;
    let j: u32 = 1;
    for (; j < n; j++) {
      let x = load<u8>(haystack + <usize>(i + j));
      if (fold && x >= 0x41 && x <= 0x5a) x += 32;
      if (x != load<u8>(base + <usize>j)) break;
    }
    if (j == n) return true;
  }
  return false;
}

class RequestBlockContext extends HttpContext {
  config: RequestBlockConfig | null = null;

  constructor(id: u32, public plugin: RequestBlockRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    this.config = config;
    const fold = !config.caseSensitive;
    if (config.blockUrls.length + config.blockExactUrls.length + config.blockRegexpUrls.length > 0) {
      let url = getRequestHeader(":path");
      if (url === null) url = "";
      if (fold) url = url.toLowerCase();
      if (config.blockExactUrls.includes(url)) return this.block(config, "request-block.url_blocked.exact");
      for (let i = 0; i < config.blockUrls.length; i++) {
        if (url.includes(config.blockUrls[i])) return this.block(config, "request-block.url_blocked.keyword");
      }
      for (let i = 0; i < config.blockRegexpUrls.length; i++) {
        if (config.blockRegexpUrls[i].test(url)) return this.block(config, "request-block.url_blocked.regexp");
      }
    }
    if (config.blockHeaders.length > 0) {
      const headers = getRequestHeaders();
      const lines = new Array<string>(headers.length);
      for (let i = 0; i < headers.length; i++) lines[i] = headers[i].name + "\n" + headers[i].value;
      let text = lines.join("\n");
      if (fold) text = text.toLowerCase();
      for (let i = 0; i < config.blockHeaders.length; i++) {
        if (text.includes(config.blockHeaders[i])) return this.block(config, "request-block.header_blocked");
      }
    }
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): BodyAction {
    const config = this.config;
    if (config === null || config.blockBodies.length == 0 || this.localResponseSent) return BodyAction.Continue;
    // hold the body until it is complete (the host buffers it), then scan it in chunks
    if (!endOfStream) return BodyAction.StopIterationAndBuffer;
    const scanner = new BodyScanner(config);
    const overlap = config.longestBody > 0 ? config.longestBody - 1 : 0;
    visitBuffer(BufferType.HttpRequestBody, bodySize, BODY_CHUNK + overlap, scanner, overlap);
    if (scanner.found) {
      this.block(config, "request-block.body_blocked");
      return BodyAction.StopIterationNoBuffer;
    }
    return BodyAction.Continue;
  }

  block(config: RequestBlockConfig, details: string): HeadersAction {
    this.sendLocalResponse(config.blockedCode, config.blockedMessage, [], details);
    return HeadersAction.StopIteration;
  }
}

registerRootContext((id: u32): RootContext => new RequestBlockRoot(id));
