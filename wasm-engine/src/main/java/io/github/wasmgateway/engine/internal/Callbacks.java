package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import io.github.wasmgateway.engine.AbiProfile;

/**
 * The guest's callbacks, looked up once per VM; null when the module does not export one.
 * The header callbacks keep the arity the module declares (two or three parameters,
 * whatever its ABI version says).
 */
final class Callbacks {

	final ExportFunction contextCreate;

	final ExportFunction vmStart;

	final ExportFunction configure;

	final ExportFunction requestHeaders;

	final int requestHeadersArity;

	final ExportFunction requestBody;

	final ExportFunction requestTrailers;

	final ExportFunction responseHeaders;

	final int responseHeadersArity;

	final ExportFunction responseBody;

	final ExportFunction responseTrailers;

	final ExportFunction log;

	final ExportFunction done;

	final ExportFunction delete;

	final ExportFunction tick;

	final ExportFunction httpCallResponse;

	final ExportFunction queueReady;

	final ExportFunction redisCallResponse;

	final ExportFunction allocator;

	Callbacks(Instance instance, AbiProfile profile) {
		this.contextCreate = find(instance, profile, "proxy_on_context_create");
		this.vmStart = find(instance, profile, "proxy_on_vm_start");
		this.configure = find(instance, profile, "proxy_on_configure");
		this.requestHeaders = find(instance, profile, "proxy_on_request_headers");
		this.requestHeadersArity = profile.arity("proxy_on_request_headers");
		this.requestBody = find(instance, profile, "proxy_on_request_body");
		this.requestTrailers = find(instance, profile, "proxy_on_request_trailers");
		this.responseHeaders = find(instance, profile, "proxy_on_response_headers");
		this.responseHeadersArity = profile.arity("proxy_on_response_headers");
		this.responseBody = find(instance, profile, "proxy_on_response_body");
		this.responseTrailers = find(instance, profile, "proxy_on_response_trailers");
		this.log = find(instance, profile, "proxy_on_log");
		this.done = find(instance, profile, "proxy_on_done");
		this.delete = find(instance, profile, "proxy_on_delete");
		this.tick = find(instance, profile, "proxy_on_tick");
		this.httpCallResponse = find(instance, profile, "proxy_on_http_call_response");
		this.queueReady = find(instance, profile, "proxy_on_queue_ready");
		this.redisCallResponse = find(instance, profile, "proxy_on_redis_call_response");
		this.allocator = instance.export(profile.allocator());
	}

	private static ExportFunction find(Instance instance, AbiProfile profile, String name) {
		return profile.exports(name) ? instance.export(name) : null;
	}

}
