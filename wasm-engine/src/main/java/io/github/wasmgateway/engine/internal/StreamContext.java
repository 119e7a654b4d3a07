package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ExportFunction;
import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.Decision;
import io.github.wasmgateway.engine.Decision.Flow;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.PluginCallException;
import io.github.wasmgateway.engine.StreamDirection;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP stream in a VM: its context id, what the plugin decided during a callback
 * (continue, local response, reset) and the properties it set. Each phase turns the
 * callback's return code into a {@link Decision} as proxy-wasm-cpp-host's
 * {@code convertVmCallResultTo*Status} and Envoy's filter manager read it; what the
 * plugin decides outside a callback goes to {@link HttpExchange#decided} once the VM is
 * idle (Envoy defers it the same way, {@code addAfterVmCallAction}).
 */
public final class StreamContext {

	final PluginVm vm;

	final int id;

	final RootContext root;

	final HttpExchange exchange;

	private BodyBuffer requestBody;

	private BodyBuffer responseBody;

	private LocalResponse localResponse;

	private boolean localResponseDispatched;

	private boolean inCallback;

	/** Directions the plugin continued or reset inside the running callback. */
	private boolean requestContinued;

	private boolean responseContinued;

	private StreamDirection resetInCallback;

	private boolean finished;

	private boolean deleted;

	private boolean awaitingDone;

	private Map<String, byte[]> properties;

	/** CPU time of the guest calls made for this stream (sampled). */
	private long cpuNanos;

	StreamContext(PluginVm vm, int id, RootContext root, HttpExchange exchange) {
		this.vm = vm;
		this.id = id;
		this.root = root;
		this.exchange = exchange;
	}

	public int id() {
		return this.id;
	}

	public PluginVm vm() {
		return this.vm;
	}

	public HttpExchange exchange() {
		return this.exchange;
	}

	// ---- phases

	public Decision onRequestHeaders(boolean endOfStream) {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.requestHeaders == null) {
			return Flow.CONTINUE;
		}
		try {
			int count = this.exchange.requestHeaders().size();
			long code = (callbacks.requestHeadersArity == 2)
					? call("proxy_on_request_headers", callbacks.requestHeaders, this.id, count)
					: call("proxy_on_request_headers", callbacks.requestHeaders, this.id, count, endOfStream ? 1 : 0);
			return decide(StreamDirection.REQUEST, headersFlow(code));
		}
		catch (PluginCallException ex) {
			return new Decision.Fail(ex);
		}
	}

	public Decision onRequestBody(BodyBuffer body, boolean endOfStream) {
		this.requestBody = body;
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.requestBody == null) {
			return Flow.CONTINUE;
		}
		try {
			long code = call("proxy_on_request_body", callbacks.requestBody, this.id, body.size(), endOfStream ? 1 : 0);
			return decide(StreamDirection.REQUEST, bodyFlow(code));
		}
		catch (PluginCallException ex) {
			return new Decision.Fail(ex);
		}
	}

	public Decision onRequestTrailers() {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.requestTrailers == null) {
			return Flow.CONTINUE;
		}
		try {
			long code = call("proxy_on_request_trailers", callbacks.requestTrailers, this.id,
					size(this.exchange.requestTrailers()));
			return decide(StreamDirection.REQUEST, trailersFlow(code));
		}
		catch (PluginCallException ex) {
			return new Decision.Fail(ex);
		}
	}

	public Decision onResponseHeaders(boolean endOfStream) {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.responseHeaders == null) {
			return Flow.CONTINUE;
		}
		try {
			int count = size(this.exchange.responseHeaders());
			long code = (callbacks.responseHeadersArity == 2)
					? call("proxy_on_response_headers", callbacks.responseHeaders, this.id, count)
					: call("proxy_on_response_headers", callbacks.responseHeaders, this.id, count, endOfStream ? 1 : 0);
			return decide(StreamDirection.RESPONSE, headersFlow(code));
		}
		catch (PluginCallException ex) {
			return new Decision.Fail(ex);
		}
	}

	public Decision onResponseBody(BodyBuffer body, boolean endOfStream) {
		this.responseBody = body;
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.responseBody == null) {
			return Flow.CONTINUE;
		}
		try {
			long code = call("proxy_on_response_body", callbacks.responseBody, this.id, body.size(),
					endOfStream ? 1 : 0);
			return decide(StreamDirection.RESPONSE, bodyFlow(code));
		}
		catch (PluginCallException ex) {
			return new Decision.Fail(ex);
		}
	}

	public Decision onResponseTrailers() {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.responseTrailers == null) {
			return Flow.CONTINUE;
		}
		try {
			long code = call("proxy_on_response_trailers", callbacks.responseTrailers, this.id,
					size(this.exchange.responseTrailers()));
			return decide(StreamDirection.RESPONSE, trailersFlow(code));
		}
		catch (PluginCallException ex) {
			return new Decision.Fail(ex);
		}
	}

	private static int size(HeaderMap map) {
		return (map != null) ? map.size() : 0;
	}

	/**
	 * Ends the stream: {@code proxy_on_log}, {@code proxy_on_done}, then
	 * {@code proxy_on_delete} (deferred until {@code proxy_done} when on_done answers
	 * false). Safe to call more than once, and after a failure.
	 */
	public void finish() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		try {
			if (this.vm.usable() || this.vm.state() == PluginVm.State.RETIRING) {
				Callbacks callbacks = this.vm.callbacks();
				if (callbacks.log != null) {
					call("proxy_on_log", callbacks.log, this.id);
				}
				if (callbacks.done != null && call("proxy_on_done", callbacks.done, this.id) == 0) {
					this.awaitingDone = true;
					return;
				}
				delete();
			}
		}
		finally {
			if (!this.awaitingDone) {
				this.deleted = true;
				this.vm.streamDeleted(this);
			}
		}
	}

	/** {@code proxy_done}: the plugin lets go of a stream it kept after on_done. */
	public boolean done() {
		if (!this.awaitingDone) {
			return false;
		}
		this.awaitingDone = false;
		this.vm.calls().runWhenIdle(() -> {
			try {
				delete();
			}
			finally {
				this.deleted = true;
				this.vm.streamDeleted(this);
			}
		});
		return true;
	}

	private void delete() {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.delete != null && (this.vm.usable() || this.vm.state() == PluginVm.State.RETIRING)) {
			call("proxy_on_delete", callbacks.delete, this.id);
		}
	}

	public boolean deleted() {
		return this.deleted;
	}

	void countCpu(long nanos) {
		this.cpuNanos += nanos;
	}

	public long cpuNanos() {
		return this.cpuNanos;
	}

	// one to three arguments: PluginVm fills a pooled array, so a callback allocates none

	private long call(String callback, ExportFunction function, long a0) {
		enterCallback();
		try {
			return afterCallback(this.vm.calls().invoke(callback, function, a0));
		}
		finally {
			this.inCallback = false;
		}
	}

	private long call(String callback, ExportFunction function, long a0, long a1) {
		enterCallback();
		try {
			return afterCallback(this.vm.calls().invoke(callback, function, a0, a1));
		}
		finally {
			this.inCallback = false;
		}
	}

	private long call(String callback, ExportFunction function, long a0, long a1, long a2) {
		enterCallback();
		try {
			return afterCallback(this.vm.calls().invoke(callback, function, a0, a1, a2));
		}
		finally {
			this.inCallback = false;
		}
	}

	private void enterCallback() {
		this.inCallback = true;
		this.vm.contexts().enterStream(this);
	}

	/**
	 * The callback's answer, read before the deferred work runs: that work may call the
	 * guest again, and a result array is only valid until the next call.
	 */
	private long afterCallback(long[] result) {
		long code = (result != null && result.length > 0) ? result[0] : 0;
		this.vm.calls().drainDeferred();
		return code;
	}

	/**
	 * proxy-wasm-cpp-host's {@code convertVmCallResultToFilterHeadersStatus}, as Envoy
	 * runs it with {@code allow_on_headers_stop_iteration}: 1 stays StopIteration (see
	 * docs/gateway.md); 2 (ContinueAndEndStream) is Continue in Envoy's
	 * {@code convertFilterHeadersStatus}; codes past 4 are StopAllIterationAndWatermark.
	 */
	private static Flow headersFlow(long code) {
		if (code == 0 || code == 2) {
			return Flow.CONTINUE;
		}
		if (code == 1) {
			return Flow.STOP_ITERATION;
		}
		return (code == 3) ? Flow.STOP_ALL_AND_BUFFER : Flow.STOP_ALL_AND_WATERMARK;
	}

	/** {@code convertVmCallResultToFilterDataStatus}: codes past 3 are NoBuffer. */
	private static Flow bodyFlow(long code) {
		if (code == 0) {
			return Flow.CONTINUE;
		}
		return (code == 1 || code == 2) ? Flow.STOP_AND_BUFFER : Flow.STOP_NO_BUFFER;
	}

	/** {@code convertVmCallResultToFilterTrailersStatus}: any code but 0 stops. */
	private static Flow trailersFlow(long code) {
		return (code == 0) ? Flow.CONTINUE : Flow.STOP_ITERATION;
	}

	/**
	 * The callback's decision: a local response or a reset during the callback outranks
	 * its code, a continue during it makes it Continue (Envoy runs the deferred
	 * {@code continueDecoding} right after the callback). A continue of the other
	 * direction goes to the host as a later decision.
	 */
	private Decision decide(StreamDirection direction, Flow flow) {
		boolean continued = (direction == StreamDirection.REQUEST) ? this.requestContinued : this.responseContinued;
		boolean otherContinued = (direction == StreamDirection.REQUEST) ? this.responseContinued
				: this.requestContinued;
		StreamDirection reset = this.resetInCallback;
		this.requestContinued = false;
		this.responseContinued = false;
		this.resetInCallback = null;
		if (otherContinued) {
			later(new Decision.Resume(
					(direction == StreamDirection.REQUEST) ? StreamDirection.RESPONSE : StreamDirection.REQUEST));
		}
		if (this.localResponse != null && !this.localResponseDispatched) {
			this.localResponseDispatched = true;
			return new Decision.Reply(this.localResponse);
		}
		if (reset != null) {
			return new Decision.Reset(reset);
		}
		return continued ? Flow.CONTINUE : flow;
	}

	/** Hands a decision made outside the host's phase call over once the VM is idle. */
	private void later(Decision decision) {
		if (!this.finished) {
			this.vm.calls().runWhenIdle(() -> this.exchange.decided(decision));
		}
	}

	// ---- what the plugin does, from the host functions

	public void sendLocalResponse(LocalResponse response) {
		this.localResponse = response;
		this.localResponseDispatched = false;
		if (!this.inCallback) {
			this.vm.calls().runWhenIdle(this::dispatchAsyncOutcome);
		}
	}

	/** {@code proxy_continue_stream} / {@code proxy_continue_request|response}. */
	public void continueStream(StreamDirection direction) {
		if (!this.inCallback) {
			later(new Decision.Resume(direction));
		}
		else if (direction == StreamDirection.REQUEST) {
			this.requestContinued = true;
		}
		else {
			this.responseContinued = true;
		}
	}

	/** {@code proxy_close_stream}: Envoy resets that direction of the stream. */
	public void closeStream(StreamDirection direction) {
		if (this.inCallback) {
			this.resetInCallback = direction;
		}
		else {
			later(new Decision.Reset(direction));
		}
	}

	/**
	 * The VM failed while this stream was open and not in a callback of its own (it waits
	 * for a callout, a tick or the upstream): the host answers it now.
	 */
	void vmFailed(PluginCallException failure) {
		if (!this.finished && !this.inCallback) {
			this.exchange.decided(new Decision.Fail(failure));
		}
	}

	/** Sends a local response decided outside a callback to the host. */
	void dispatchAsyncOutcome() {
		if (this.localResponse != null && !this.localResponseDispatched && !this.inCallback && !this.finished) {
			this.localResponseDispatched = true;
			this.exchange.decided(new Decision.Reply(this.localResponse));
		}
	}

	public BodyBuffer requestBody() {
		return this.requestBody;
	}

	public BodyBuffer responseBody() {
		return this.responseBody;
	}

	public byte[] property(String key) {
		return (this.properties != null) ? this.properties.get(key) : null;
	}

	public void setProperty(String key, byte[] value) {
		if (this.properties == null) {
			this.properties = new HashMap<>();
		}
		this.properties.put(key, value);
	}

}
