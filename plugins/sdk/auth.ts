// What the authentication plugins (key-auth, basic-auth, hmac-auth, jwt-auth, oauth)
// share, as Higress's auth plugins behave: the `consumers` list, `allow` in `_rules_`,
// `global_auth`, the consumer header and the answers.
//
//   class MyConfig extends AuthConfig { ... }           // globalAuth, allow
//   class MyParser extends ConfigParser<MyConfig> {
//     parseGlobal(c) { readGlobalAuth(c, config); const consumers = readConsumers(c); ... }
//     parseRule(c, global) {
//       if (global === null) return needsGlobal<MyConfig>(c, "consumers");
//       const allow = readRequiredAllow(c); ...
//     }
//   }
//   class MyRoot extends AuthRoot<MyConfig> {
//     onConfigure(size: usize): bool { return this.configure("my-auth", new MyParser()); }
//   }
//   // per request
//   const config = this.plugin.authConfig();      // null: nothing to authenticate
//   ... checkAllowed(PLUGIN, config, name) ... authenticated(PLUGIN, name);
//
// sdk/index.ts exports this module to every plugin: keep it free of module-level
// constants and of subclasses that override SDK methods (a ConfigParser subclass, say),
// which would change the binaries of plugins that do not authenticate.
import { ConfigObject } from "./config";
import { getPluginConfiguration } from "./buffers";
import { HttpContext, RootContext } from "./context";
import { HeaderPair, replaceRequestHeader } from "./headers";
import { logEnabled, logInfo, logWarn } from "./log";
import { ConfigParser, parseRuleConfig, RuleMatcher } from "./matcher";
import { HeadersAction, LogLevel } from "./types";

/** The part of the configuration every authentication plugin has. */
export class AuthConfig {
  /** global_auth: -1 not set, 0 false, 1 true. */
  globalAuth: i32 = -1;
  /** Consumers allowed by a rule; empty in the global part. */
  allow: string[] = [];

  /**
   * Whether this configuration authenticates even where global_auth leaves requests
   * alone: by default, when it allows consumers (a rule).
   */
  scoped(): bool {
    return this.allow.length > 0;
  }

  /** Whether consumer `name` may pass: no `allow`, or `allow` names it. */
  allows(name: string): bool {
    return this.allow.length == 0 || this.allow.includes(name);
  }

  /** Copies globalAuth to `copy`, gives it `allow` and answers it (for a rule's copy). */
  scopeCopy<T extends AuthConfig>(copy: T, allow: string[]): T {
    copy.globalAuth = this.globalAuth;
    copy.allow = allow;
    return copy;
  }
}

/**
 * For a rule without a global part to extend: fails with
 * `<path> needs <what> in the global part of the configuration` and answers null.
 */
export function needsGlobal<T>(c: ConfigObject, what: string): T | null {
  c.fail(c.path + " needs " + what + " in the global part of the configuration");
  return null;
}

/** Reads `global_auth` into `config` when it is given. */
export function readGlobalAuth(c: ConfigObject, config: AuthConfig): void {
  if (c.has("global_auth")) config.globalAuth = c.bool("global_auth", false) ? 1 : 0;
}

/** The `consumers` array; null (with the problem recorded) when missing, empty or malformed. */
export function readConsumers(c: ConfigObject): ConfigObject[] | null {
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
  return consumers;
}

/**
 * The consumers `{"name", "credential"}` as credential -> name; null (with the problem
 * recorded) on a malformed consumer or a duplicate credential. `check`, when given,
 * answers what is wrong with a credential ("" when nothing), reported as
 * `consumers[i].credential <problem>`.
 */
export function readCredentials(c: ConfigObject, check: ((credential: string) => string) | null = null): Map<string, string> | null {
  const consumers = readConsumers(c);
  if (consumers === null) return null;
  const credentials = new Map<string, string>();
  for (let i = 0; i < consumers.length; i++) {
    const consumer = consumers[i];
    const name = consumer.requiredString("name");
    const credential = consumer.requiredString("credential");
    if (!c.ok) return null;
    if (check !== null) {
      const problem = check(credential);
      if (problem.length > 0) {
        c.fail(consumer.where("credential") + " " + problem);
        return null;
      }
    }
    if (credentials.has(credential)) {
      c.fail(consumer.where("credential") + " duplicates the credential of consumer '"
        + credentials.get(credential) + "'");
      return null;
    }
    credentials.set(credential, name);
  }
  return credentials;
}

/** A rule's `allow`, which must be a non-empty array; null (with the problem recorded) else. */
export function readRequiredAllow(c: ConfigObject): string[] | null {
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
  return allow;
}

/**
 * The root context of an authentication plugin: its rule matcher and whether
 * `global_auth` unset leaves requests outside the rules alone (Higress: when rules are
 * configured).
 */
export class AuthRoot<T extends AuthConfig> extends RootContext {
  matcher: RuleMatcher<T> | null = null;
  /** Whether rules are configured (Higress: the plugin is then enabled per route/domain). */
  ruleSet: bool = false;

  /** Parses the plugin configuration; false (logged) when it is refused. */
  configure(plugin: string, parser: ConfigParser<T>): bool {
    const matcher = parseRuleConfig<T>(plugin, getPluginConfiguration(), parser);
    if (matcher === null) return false;
    this.matcher = matcher;
    this.ruleSet = this.rulesSet(matcher);
    return true;
  }

  /** What sets `ruleSet`: by default, any `_rules_` entry. */
  rulesSet(matcher: RuleMatcher<T>): bool {
    return matcher.rules.length > 0;
  }

  /** The configuration for the current request, or null. */
  match(): T | null {
    const matcher = this.matcher;
    if (matcher === null) return null;
    return matcher.match();
  }

  /**
   * Whether `config` leaves the request alone: global_auth false, or unset with rules
   * configured, outside a rule that allows consumers.
   */
  skips(config: T): bool {
    return !config.scoped() && (config.globalAuth == 0 || (config.globalAuth < 0 && this.ruleSet));
  }

  /** The configuration to authenticate the current request with; null: let it pass. */
  authConfig(): T | null {
    const config = this.match();
    if (config === null || this.skips(config)) return null;
    return config;
  }
}

/**
 * Sets the consumer header `x-mse-consumer` (Higress's X-Mse-Consumer): replace, not
 * add, so that a client cannot pass its own along. (No module constant: plugins
 * without authentication would carry it.)
 */
export function setConsumer(name: string): void {
  replaceRequestHeader("x-mse-consumer", name);
}

/** Logs `<plugin>: consumer '<name>' authenticated` (INFO) and sets the consumer header. */
export function authenticated(plugin: string, name: string): void {
  // asked first: every accepted request passes here, and the message costs more than the question
  if (logEnabled(LogLevel.Info)) logInfo(plugin + ": consumer '" + name + "' authenticated");
  setConsumer(name);
}

/** Whether `config` allows consumer `name`; logs `<plugin>: consumer '<name>' is not allowed` (WARN) when not. */
export function checkAllowed(plugin: string, config: AuthConfig, name: string): bool {
  if (config.allows(name)) return true;
  logWarn(plugin + ": consumer '" + name + "' is not allowed");
  return false;
}

/**
 * Answers `status` with `body` and the challenge `WWW-Authenticate: <scheme> realm=MSE Gateway`
 * (Higress's realm); returns StopIteration.
 */
export function denyWithChallenge(context: HttpContext, scheme: string, status: u32, details: string, body: string): HeadersAction {
  // the realm is written here, not as a module constant, so that plugins without auth carry no copy
  const headers: HeaderPair[] = [new HeaderPair("WWW-Authenticate", scheme + " realm=MSE Gateway")];
  context.sendLocalResponse(status, body, headers, details);
  return HeadersAction.StopIteration;
}

/** Answers `status` with the JSON `body` (Content-Type: application/json). */
export function sendJson(context: HttpContext, status: u32, body: string, details: string): void {
  context.sendLocalResponse(status, body, [new HeaderPair("Content-Type", "application/json")], details);
}
