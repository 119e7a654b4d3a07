// Higress's rule matcher: a configuration is a global part plus `_rules_`, each
// rule naming where it applies; the first rule that matches the request wins,
// else the global part (if any).
//
//   { ...global..., "_rules_": [
//       { "_match_route_": ["r1"], ... },
//       { "_match_domain_": ["*.example.com", "prefix*", "exact"], ... },
//       { "_match_service_": ["svc", "svc:8080"], ... },
//       { "_match_route_prefix_": ["api-"], ... } ] }
//
// Routes and services come from the properties `route_name` and `cluster_name`,
// domains from `:authority` without its port.
//
// Higress's older form `matchRules` (the rules of a WasmPlugin resource, which some of
// its plugin documentation still shows) is read as `_rules_`: `ingress` names routes,
// `domain` domains, `service` services, and a rule's fields are inline or under `config`.
import { ConfigObject, Problems } from "./config";
import { getRequestHeader } from "./headers";
import { parseJson } from "./json";
import { logError, logWarn } from "./log";
import { getPropertyString } from "./properties";

export const RULES_KEY = "_rules_";
export const MATCH_ROUTE_KEY = "_match_route_";
export const MATCH_DOMAIN_KEY = "_match_domain_";
export const MATCH_SERVICE_KEY = "_match_service_";
export const MATCH_ROUTE_PREFIX_KEY = "_match_route_prefix_";
export const MATCH_CONSUMER_KEY = "_match_consumer_";
export const MATCH_RULES_KEY = "matchRules";

/**
 * How a plugin reads its configuration. `parseGlobal` reads the global part (or the
 * whole configuration when there are no rules); `parseRule` reads one rule, with
 * the parsed global part (null when there is none). Report problems with
 * `config.fail(...)` (or the typed getters); a returned value is ignored once a
 * problem was recorded.
 */
export abstract class ConfigParser<T> {
  abstract parseGlobal(config: ConfigObject): T | null;

  parseRule(config: ConfigObject, global: T | null): T | null {
    return this.parseGlobal(config);
  }
}

class DomainPattern {
  /** 0 exact, 1 suffix (`*.example.com`), 2 prefix (`api.*`). */
  constructor(public kind: i32, public text: string) {}

  matches(host: string): bool {
    if (this.kind == 1) return host.endsWith(this.text);
    if (this.kind == 2) return host.startsWith(this.text);
    return host == this.text;
  }
}

/** One rule: where it applies and its parsed configuration. */
export class Rule<T> {
  routes: string[] = [];
  domains: DomainPattern[] = [];
  services: string[] = [];
  routePrefixes: string[] = [];
  consumers: string[] = [];

  constructor(public readonly config: T) {}

  matches(request: MatchInput): bool {
    if (this.routes.length > 0) {
      if (!this.routes.includes(request.route)) return false;
      return this.services.length == 0 || serviceMatches(this.services, request.service);
    }
    if (this.domains.length > 0) {
      for (let i = 0; i < this.domains.length; i++) {
        if (this.domains[i].matches(request.host)) return true;
      }
      return false;
    }
    if (this.services.length > 0) return serviceMatches(this.services, request.service);
    for (let i = 0; i < this.routePrefixes.length; i++) {
      if (request.route.startsWith(this.routePrefixes[i])) {
        if (this.consumers.length == 0) return true;
        const consumer = getRequestHeader("x-mse-consumer");
        return consumer !== null && this.consumers.includes(consumer);
      }
    }
    return false;
  }
}

/** What a request is matched on, read once per request. */
export class MatchInput {
  constructor(public route: string, public service: string, public host: string) {}

  /** From the current stream: route_name, cluster_name and :authority. */
  static current(): MatchInput {
    const route = getPropertyString(["route_name"]);
    const service = getPropertyString(["cluster_name"]);
    const authority = getRequestHeader(":authority");
    return new MatchInput(route !== null ? route : "", service !== null ? service : "",
      stripPort(authority !== null ? authority.toLowerCase() : ""));
  }
}

/** `host:port` -> `host`; `[v6]:port` -> `[v6]`. */
export function stripPort(authority: string): string {
  const colon = authority.lastIndexOf(":");
  if (colon < 0) return authority;
  const bracket = authority.lastIndexOf("]");
  if (bracket > colon) return authority;
  return authority.substring(0, colon);
}

/**
 * A configured service matches Envoy/Higress cluster names `outbound|port|subset|fqdn`
 * by fqdn (`svc`) or fqdn and port (`svc:8080`); any other cluster name matches when
 * equal to the configured name, or to it without a `:port`.
 */
function serviceMatches(services: string[], cluster: string): bool {
  if (cluster.length == 0) return false;
  const parts = cluster.split("|");
  for (let i = 0; i < services.length; i++) {
    const configured = services[i];
    if (parts.length == 4) {
      const colon = configured.lastIndexOf(":");
      if (colon >= 0 && parts[3] == configured.substring(0, colon) && parts[1] == configured.substring(colon + 1)) return true;
      if (parts[3] == configured) return true;
    } else {
      if (cluster == configured) return true;
      if (stripPort(cluster) == configured) return true;
    }
  }
  return false;
}

export class RuleMatcher<T> {
  rules: Rule<T>[] = [];
  global: T | null = null;

  get hasGlobal(): bool {
    return this.global !== null;
  }

  /** The configuration for the current request: first matching rule, else global, else null. */
  match(): T | null {
    if (this.rules.length == 0) return this.global;
    return this.matchInput(MatchInput.current());
  }

  matchInput(request: MatchInput): T | null {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      if (rule.matches(request)) return rule.config;
    }
    return this.global;
  }
}

/**
 * Parses a configuration text with `parser`. On a problem, logs
 * `<plugin>: configuration refused: <reason>` at ERROR and returns null, so that
 * onConfigure can return false. An empty configuration is `{}`.
 */
export function parseRuleConfig<T>(pluginName: string, text: string, parser: ConfigParser<T>): RuleMatcher<T> | null {
  const problems = new Problems();
  const matcher = buildMatcher<T>(pluginName, text, parser, problems);
  if (matcher === null || !problems.ok) {
    logError(pluginName + ": configuration refused: " + problems.message);
    return null;
  }
  return matcher;
}

function buildMatcher<T>(pluginName: string, text: string, parser: ConfigParser<T>, problems: Problems): RuleMatcher<T> | null {
  let trimmed = text.trim();
  if (trimmed.length == 0) trimmed = "{}";
  const parsed = parseJson(trimmed);
  if (!parsed.ok) {
    problems.fail(parsed.error);
    return null;
  }
  const json = parsed.value!.asObject();
  if (json === null) {
    problems.fail("the configuration must be a JSON object, not " + parsed.value!.typeName());
    return null;
  }
  const matcher = new RuleMatcher<T>();
  const root = new ConfigObject(json, problems);
  const legacy = root.has(MATCH_RULES_KEY);
  if (legacy && root.has(RULES_KEY)) {
    problems.fail(RULES_KEY + " and " + MATCH_RULES_KEY + " cannot both be given");
    return null;
  }
  const rules = root.objectArray(legacy ? MATCH_RULES_KEY : RULES_KEY);
  if (!problems.ok) return null;
  let otherKeys = 0;
  for (let i = 0; i < json.keys.length; i++) {
    if (json.keys[i] != RULES_KEY && json.keys[i] != MATCH_RULES_KEY) otherKeys++;
  }
  if (otherKeys > 0 || rules === null) {
    // As Higress: with rules, a global part that does not parse is left out (logged);
    // without rules it is the whole configuration and its problem refuses it.
    const globalProblems = new Problems();
    const global = parser.parseGlobal(new ConfigObject(json, globalProblems));
    if (globalProblems.ok && global !== null) {
      matcher.global = global;
    } else if (rules === null || rules.length == 0) {
      problems.fail(globalProblems.ok ? "the configuration was not accepted" : globalProblems.message);
      return null;
    } else {
      logWarn(pluginName + ": the global part of the configuration is ignored, only _rules_ apply: "
        + globalProblems.message);
    }
  }
  if (rules === null) return matcher;
  if (rules.length == 0 && matcher.global === null) {
    problems.fail("_rules_ is empty and there is no global configuration");
    return null;
  }
  for (let i = 0; i < rules.length; i++) {
    const ruleJson = rules[i];
    const routes = matchList(ruleJson, legacy ? "ingress" : MATCH_ROUTE_KEY);
    const domains = matchList(ruleJson, legacy ? "domain" : MATCH_DOMAIN_KEY);
    const services = matchList(ruleJson, legacy ? "service" : MATCH_SERVICE_KEY);
    const prefixes = matchList(ruleJson, MATCH_ROUTE_PREFIX_KEY);
    const consumers = matchList(ruleJson, MATCH_CONSUMER_KEY);
    if (!problems.ok) return null;
    if (routes.length + domains.length + services.length + prefixes.length == 0) {
      problems.fail(ruleJson.path + (legacy
        ? " needs at least one of 'ingress', 'domain' and 'service'"
        : " needs at least one of '_match_route_', '_match_domain_', '_match_service_' and '_match_route_prefix_'"));
      return null;
    }
    if (legacy && ruleJson.bool("configDisable", false)) {
      problems.fail(ruleJson.where("configDisable") + " is not supported: leave the rule out instead");
      return null;
    }
    const nested = legacy ? ruleJson.object("config") : null;
    if (!problems.ok) return null;
    const config = parser.parseRule(nested !== null ? nested : ruleJson, matcher.global);
    if (!problems.ok) return null;
    if (config === null) {
      problems.fail(ruleJson.path + " was not accepted");
      return null;
    }
    const rule = new Rule<T>(config);
    rule.routes = routes;
    rule.services = services;
    rule.routePrefixes = prefixes;
    rule.consumers = consumers;
    for (let j = 0; j < domains.length; j++) {
      const domain = domains[j].toLowerCase();
      if (domain.startsWith("*")) rule.domains.push(new DomainPattern(1, domain.substring(1)));
      else if (domain.endsWith("*")) rule.domains.push(new DomainPattern(2, domain.substring(0, domain.length - 1)));
      else rule.domains.push(new DomainPattern(0, domain));
    }
    matcher.rules.push(rule);
  }
  return matcher;
}

/** The non-empty strings of a match key (missing: empty list). */
function matchList(rule: ConfigObject, key: string): string[] {
  const values = rule.stringArray(key);
  const result = new Array<string>();
  if (values === null) return result;
  for (let i = 0; i < values.length; i++) {
    if (values[i].length > 0) result.push(values[i]);
  }
  return result;
}
