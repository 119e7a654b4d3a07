// Constants of the proxy-wasm ABI 0.2.1 (and Higress's buffer type 9).

/** Host call results. */
export enum Status {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  SerializationFailure = 3,
  ParseFailure = 4,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  InternalFailure = 10,
  Unimplemented = 12,
}

/** What proxy_on_request_headers / proxy_on_response_headers / trailers answer. */
export enum HeadersAction {
  /** Go on with the next filter. */
  Continue = 0,
  /**
   * Hold these headers; the body still reaches onRequestBody / onResponseBody, and a
   * Continue from there (or a resume) releases the headers with it (Envoy's meaning).
   */
  StopIteration = 1,
  ContinueAndEndStream = 2,
  /** Hold headers and body (the host buffers the body) until the plugin resumes. */
  StopAllIterationAndBuffer = 3,
  /** Hold headers and body (the host reads no more of it) until the plugin resumes: wait for a call here. */
  StopAllIterationAndWatermark = 4,
}

/** What proxy_on_request_body / proxy_on_response_body answer. */
export enum BodyAction {
  Continue = 0,
  /** Keep collecting; the callback runs again with everything so far. */
  StopIterationAndBuffer = 1,
  StopIterationAndWatermark = 2,
  StopIterationNoBuffer = 3,
}

export enum LogLevel {
  Trace = 0,
  Debug = 1,
  Info = 2,
  Warn = 3,
  Error = 4,
  Critical = 5,
}

export enum MapType {
  RequestHeaders = 0,
  RequestTrailers = 1,
  ResponseHeaders = 2,
  ResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4,
  GrpcReceiveTrailingMetadata = 5,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}

export enum BufferType {
  HttpRequestBody = 0,
  HttpResponseBody = 1,
  DownstreamData = 2,
  UpstreamData = 3,
  HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5,
  VmConfiguration = 6,
  PluginConfiguration = 7,
  CallData = 8,
  /** Higress: the RESP reply of proxy_redis_call. */
  RedisCallResponse = 9,
}

export enum StreamType {
  Request = 0,
  Response = 1,
  Downstream = 2,
  Upstream = 3,
}

export enum MetricType {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
}
