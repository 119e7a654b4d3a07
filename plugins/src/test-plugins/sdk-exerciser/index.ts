// sdk-exerciser: a test plugin (not shipped) that drives SDK features from request
// headers, so that Java tests can check them through the engine. One operation per
// request, named by `x-op`; inputs in other x-* headers; results added to the request
// headers (x-result, ...) unless said otherwise.
import {
  base64Decode,
  base64Encode,
  BodyAction,
  BufferType,
  Counter,
  currentTimeNanos,
  decodeResp,
  formatIp,
  Gauge,
  getBufferBytes,
  getPluginConfiguration,
  getPropertyString,
  getRequestHeader,
  getSharedData,
  HeaderPair,
  HeadersAction,
  httpCall,
  HttpCallHandler,
  HttpCallResponse,
  HttpContext,
  IpRange,
  logInfo,
  parseIp,
  parseJson,
  queryValues,
  randomBytes,
  RedisClient,
  RedisReplyHandler,
  Regex,
  registerRootContext,
  replaceBuffer,
  replaceRequestHeader,
  RespValue,
  RootContext,
  setPropertyString,
  setSharedData,
  Status,
} from "../../../sdk";

export * from "../../../sdk/exports";
export * from "../../../sdk/exports-body";

const ticks = new Counter("exerciser_ticks");
const requests = new Counter("exerciser_requests");
const lastLength = new Gauge("exerciser_last_path_length");

function unescape(text: string): string {
  return text.replaceAll("\\r", "\r").replaceAll("\\n", "\n");
}

class ExerciserRoot extends RootContext {
  onConfigure(size: usize): bool {
    const text = getPluginConfiguration();
    if (text == "tick") this.setTickPeriod(100);
    if (text == "refuse") return false;
    return true;
  }

  onTick(): void {
    ticks.increment();
  }

  createHttpContext(contextId: u32): HttpContext {
    return new ExerciserContext(contextId, this);
  }
}

class CalloutReply extends HttpCallHandler {
  constructor(public context: ExerciserContext) {
    super();
  }

  onResponse(response: HttpCallResponse): void {
    if (response.failed) {
      this.context.sendLocalResponse(502, "callout failed");
      return;
    }
    replaceRequestHeader("x-callout-status", response.status().toString());
    replaceRequestHeader("x-callout-body", response.bodyString());
    const echoed = response.header("x-echo");
    if (echoed !== null) replaceRequestHeader("x-callout-echo", echoed);
    this.context.resumeRequest();
  }
}

class RedisReply extends RedisReplyHandler {
  constructor(public context: ExerciserContext) {
    super();
  }

  onReply(status: u32, reply: RespValue | null): void {
    replaceRequestHeader("x-redis", reply !== null ? reply.describe() : "failed " + status.toString());
    this.context.resumeRequest();
  }
}

class ExerciserContext extends HttpContext {
  op: string = "";

  onRequestHeaders(headerCount: u32, endOfStream: bool): HeadersAction {
    requests.increment();
    const path = getRequestHeader(":path");
    lastLength.set(path !== null ? path.length : -1);
    const op = getRequestHeader("x-op");
    if (op === null) return HeadersAction.Continue;
    this.op = op;
    const input = getRequestHeader("x-input");
    const text = input !== null ? input : "";
    if (op == "json") {
      const parsed = parseJson(text);
      result(parsed.ok ? parsed.value!.stringify() : "error: " + parsed.error);
    } else if (op == "resp") {
      const value = decodeResp(String.UTF8.encode(unescape(text)));
      result(value !== null ? value.describe() : "invalid");
    } else if (op == "base64-decode") {
      const bytes = base64Decode(text);
      result(bytes !== null ? String.UTF8.decode(bytes) : "invalid");
    } else if (op == "base64-encode") {
      result(base64Encode(String.UTF8.encode(text)));
    } else if (op == "regex") {
      const compiled = Regex.compile(text);
      const subject = getRequestHeader("x-subject");
      if (!compiled.ok) result("error: " + compiled.error);
      else result(compiled.regex!.test(subject !== null ? subject : "") ? "match" : "no match");
    } else if (op == "query") {
      const values = queryValues(path !== null ? path : "", text);
      result(values.join("|"));
    } else if (op == "ip") {
      const ip = parseIp(text);
      const range = getRequestHeader("x-range");
      if (ip === null) {
        result("invalid");
      } else if (range !== null) {
        const parsed = IpRange.parse(range);
        result(parsed === null ? "bad range" : parsed.contains(ip) ? "in " + formatIp(ip) : "out " + formatIp(ip));
      } else {
        result(formatIp(ip));
      }
    } else if (op == "property") {
      setPropertyString(["exerciser", "value"], text);
      const back = getPropertyString(["exerciser", "value"]);
      const route = getPropertyString(["route_name"]);
      result((back !== null ? back : "(none)") + "|" + (route !== null ? route : "(none)"));
    } else if (op == "shared") {
      const key = "exerciser:" + text;
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = getSharedData(key);
        const value = current.value;
        const count = current.found && value !== null ? parseI32(String.UTF8.decode(value)) : 0;
        const status = setSharedData(key, String.UTF8.encode((count + 1).toString()), current.found ? current.cas : 0);
        if (status == Status.Ok) {
          result((count + 1).toString());
          break;
        }
      }
    } else if (op == "random") {
      const bytes = randomBytes(parseI32(text));
      result(bytes !== null ? base64Encode(bytes.buffer) : "failed");
    } else if (op == "time") {
      result(currentTimeNanos().toString());
    } else if (op == "log") {
      logInfo("exerciser says " + text);
    } else if (op == "callout") {
      const cluster = getRequestHeader("x-cluster");
      const headers = [new HeaderPair(":method", "POST"), new HeaderPair(":path", "/callout"),
        new HeaderPair(":authority", "upstream"), new HeaderPair("x-echo", text)];
      const status = httpCall(cluster !== null ? cluster : "", headers, String.UTF8.encode("ping"), 1000,
        new CalloutReply(this), this);
      if (status != Status.Ok) {
        result("callout refused " + (<i32>status).toString());
        return HeadersAction.Continue;
      }
      return HeadersAction.StopIteration;
    } else if (op == "redis") {
      const client = new RedisClient(text);
      const init = client.init("", "", 1000);
      if (init != Status.Ok) {
        result("init " + (<i32>init).toString());
        return HeadersAction.Continue;
      }
      const args = getRequestHeader("x-args");
      const status = client.command((args !== null ? args : "PING").split(" "), new RedisReply(this), this);
      if (status != Status.Ok) {
        result("call " + (<i32>status).toString());
        return HeadersAction.Continue;
      }
      return HeadersAction.StopIteration;
    } else if (op == "abort") {
      const empty = new Array<string>();
      result(empty[3]); // index out of range: abort, logged, then a trap
    } else if (op == "deny") {
      this.sendLocalResponse(418, "teapot", [new HeaderPair("x-why", text)], "exerciser.deny");
      return HeadersAction.StopIteration;
    } else if (op != "upper-body") {
      result("unknown op");
    }
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): BodyAction {
    if (this.op != "upper-body") return BodyAction.Continue;
    if (!endOfStream) return BodyAction.StopIterationAndBuffer;
    const body = getBufferBytes(BufferType.HttpRequestBody, 0, bodySize);
    if (body === null) return BodyAction.Continue;
    replaceBuffer(BufferType.HttpRequestBody, String.UTF8.encode(String.UTF8.decode(body).toUpperCase() + "!"));
    return BodyAction.Continue;
  }
}

function result(text: string): void {
  replaceRequestHeader("x-result", text.replaceAll("\r", "\\r").replaceAll("\n", "\\n"));
}

function parseI32(text: string): i32 {
  let value = 0;
  for (let i = 0; i < text.length; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

registerRootContext((id: u32): RootContext => new ExerciserRoot(id));
