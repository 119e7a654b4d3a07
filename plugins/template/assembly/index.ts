// my-plugin: a proxy-wasm plugin on wasm-gateway's AssemblyScript SDK. It adds a
// request header to every request and refuses the paths under a prefix:
//
//   { "header": "x-my-plugin", "value": "hello", "deny_prefix": "/private" }
//
// and, as every plugin on the SDK, takes Higress's _rules_ (per route, domain, service).
import {
  ConfigObject,
  ConfigParser,
  getPluginConfiguration,
  getRequestHeader,
  HeadersAction,
  HttpContext,
  parseRuleConfig,
  registerRootContext,
  replaceRequestHeader,
  RootContext,
  RuleMatcher,
} from "@wasm-gateway/sdk";

// the proxy_on_* callbacks the host calls
export * from "@wasm-gateway/sdk/exports";

const PLUGIN = "my-plugin";

class Config {
  header: string = "x-my-plugin";
  value: string = "hello";
  denyPrefix: string = "";
}

class Parser extends ConfigParser<Config> {
  parseGlobal(c: ConfigObject): Config | null {
    const config = new Config();
    config.header = c.string("header", config.header).toLowerCase();
    config.value = c.string("value", config.value);
    config.denyPrefix = c.string("deny_prefix", "");
    if (config.header.length == 0) c.fail(c.where("header") + " must not be empty");
    if (config.denyPrefix.length > 0 && !config.denyPrefix.startsWith("/")) {
      c.fail(c.where("deny_prefix") + " must start with '/'");
    }
    return c.ok ? config : null;
  }
}

class MyRoot extends RootContext {
  matcher: RuleMatcher<Config> | null = null;

  onConfigure(configurationSize: usize): bool {
    // a malformed configuration is refused (logged: "my-plugin: configuration refused: <reason>")
    const matcher = parseRuleConfig<Config>(PLUGIN, getPluginConfiguration(), new Parser());
    if (matcher === null) return false;
    this.matcher = matcher;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext {
    return new MyContext(contextId, this);
  }
}

class MyContext extends HttpContext {
  constructor(id: u32, public plugin: MyRoot) {
    super(id, plugin);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    const config = this.plugin.matcher!.match();
    if (config === null) return HeadersAction.Continue;
    const path = getRequestHeader(":path");
    if (config.denyPrefix.length > 0 && path !== null && path.startsWith(config.denyPrefix)) {
      this.sendLocalResponse(403, "denied by " + PLUGIN, [], PLUGIN + ".denied");
      return HeadersAction.StopIteration;
    }
    replaceRequestHeader(config.header, config.value);
    return HeadersAction.Continue;
  }
}

registerRootContext((id: u32): RootContext => new MyRoot(id));
