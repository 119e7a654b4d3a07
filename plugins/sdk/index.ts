// wasm-gateway's AssemblyScript SDK for proxy-wasm 0.2.1 plugins (with Higress's
// Redis calls and rule matcher). Import everything from here:
//
//   import { RootContext, HttpContext, registerRootContext, ... } from "../../../sdk";
//
// and re-export the callbacks from the plugin's entry file:
//
//   export * from "../../../sdk/exports";
//
// See docs/plugins/sdk-guide.md.
export * from "./types";
export * from "./log";
export * from "./memory";
export * from "./headers";
export * from "./buffers";
export * from "./properties";
export * from "./shared";
export * from "./metrics";
export * from "./time";
export * from "./random";
export * from "./context";
export * from "./json";
export * from "./config";
export * from "./matcher";
export * from "./redis";
export * from "./url";
export * from "./base64";
export * from "./strings";
export * from "./regex";
export * from "./net";
export * from "./auth";
