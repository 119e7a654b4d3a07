// The library's only import besides abort: proxy_call_foreign_function (host.ts). These
// tests run the Wasm code, so the "host" here lacks every foreign function and answers
// NOT_FOUND (1), as Envoy does for wasm-gateway's crypto functions. The bindings look the
// import up on globalThis; the plugin tests (plugins/src/test/java) run the host's side.
globalThis.proxy_call_foreign_function = () => 1;
