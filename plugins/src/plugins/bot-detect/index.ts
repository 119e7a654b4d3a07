// bot-detect: blocks crawlers by their User-Agent, compatible with Higress's
// bot-detect plugin: `allow` patterns let a request through, `deny` patterns and
// then the default crawler list block it.
import {
  ConfigObject,
  ConfigParser,
  getPluginConfiguration,
  getRequestHeader,
  HeadersAction,
  HttpContext,
  logDebug,
  parseRuleConfig,
  Regex,
  registerRootContext,
  RootContext,
  RuleMatcher,
} from "../../../sdk";
import { DEFAULT_BOT_PATTERNS } from "./default-patterns";

export * from "../../../sdk/exports";

const PLUGIN = "bot-detect";

/** The default list, compiled once per VM on first use. */
let defaultRules: Regex[] | null = null;

function defaults(): Regex[] {
  let rules = defaultRules;
  if (rules === null) {
    rules = new Array<Regex>();
    for (let i = 0; i < DEFAULT_BOT_PATTERNS.length; i++) {
      const compiled = Regex.compile(DEFAULT_BOT_PATTERNS[i]);
      // the list is fixed and tested: a failure here is a bug, not a configuration error
      if (compiled.ok) rules.push(compiled.regex!);
    }
    defaultRules = rules;
  }
  return rules;
}

class BotDetectConfig {
  blockedCode: u32 = 403;
  blockedMessage: string = "Invalid User-Agent";
  allow: Regex[] = [];
  deny: Regex[] = [];
}

class BotDetectParser extends ConfigParser<BotDetectConfig> {
  parseGlobal(c: ConfigObject): BotDetectConfig | null {
    const config = new BotDetectConfig();
    const code = c.integer("blocked_code", 0, 0, 599);
    config.blockedCode = code == 0 ? 403 : <u32>code;
    if (c.ok && code != 0 && code < 100) c.fail(c.where("blocked_code") + " must be an HTTP status (100-599)");
    const message = c.string("blocked_message", "");
    if (message.length > 0) config.blockedMessage = message;
    config.allow = compileAll(c, "allow");
    config.deny = compileAll(c, "deny");
    return c.ok ? config : null;
  }
}

function compileAll(c: ConfigObject, key: string): Regex[] {
  const result = new Array<Regex>();
  const patterns = c.stringArray(key);
  if (patterns === null) return result;
  for (let i = 0; i < patterns.length; i++) {
    const compiled = Regex.compile(patterns[i]);
    if (!compiled.ok) {
      c.fail(c.where(key) + "[" + i.toString() + "] is not a valid regular expression: " + compiled.error);
      return result;
    }
    result.push(compiled.regex!);
  }
  return result;
}

class BotDetectRoot extends RootContext {
  matcher: RuleMatcher<BotDetectConfig> | null = null;

  onConfigure(configurationSize: usize): bool {
    const matcher = parseRuleConfig<BotDetectConfig>(PLUGIN, getPluginConfiguration(), new BotDetectParser());
    if (matcher === null) return false;
    this.matcher = matcher;
    defaults();
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new BotDetectContext(contextId, this);
  }
}

class BotDetectContext extends HttpContext {
  constructor(id: u32, public plugin: BotDetectRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const matcher = this.plugin.matcher;
    if (matcher === null) return HeadersAction.Continue;
    const config = matcher.match();
    if (config === null) return HeadersAction.Continue;
    const header = getRequestHeader("user-agent");
    const agent = header !== null ? header : "";
    const rule = blockingRule(config, agent);
    if (rule === null) return HeadersAction.Continue;
    logDebug(PLUGIN + ": user-agent '" + agent + "' blocked by " + rule);
    this.sendLocalResponse(config.blockedCode, config.blockedMessage, [], "bot-detect.blocked");
    return HeadersAction.StopIteration;
  }
}

/** The pattern that blocks `agent`, or null when it may pass. An empty User-Agent is blocked. */
function blockingRule(config: BotDetectConfig, agent: string): string | null {
  if (agent.length == 0) return "(empty user-agent)";
  for (let i = 0; i < config.allow.length; i++) {
    if (config.allow[i].test(agent)) return null;
  }
  for (let i = 0; i < config.deny.length; i++) {
    if (config.deny[i].test(agent)) return config.deny[i].pattern;
  }
  const rules = defaults();
  for (let i = 0; i < rules.length; i++) {
    if (rules[i].test(agent)) return "default rule " + i.toString();
  }
  return null;
}

registerRootContext((id: u32): RootContext => new BotDetectRoot(id));
