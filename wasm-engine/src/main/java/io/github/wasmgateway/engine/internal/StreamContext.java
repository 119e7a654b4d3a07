package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.ExportFunction;
import io.github.wasmgateway.engine.Action;
import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.HttpExchange;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.StreamDirection;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP stream in a VM: its context id, the phases it went through, what the plugin
 * decided during a callback (continue, local response) and the properties it set.
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

	private boolean requestContinued;

	private boolean responseContinued;

	private boolean requestPaused;

	private boolean responsePaused;

	private boolean finished;

	private boolean deleted;

	private boolean awaitingDone;

	private Map<String, byte[]> properties;

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

	public Action onRequestHeaders(boolean endOfStream) {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.requestHeaders == null) {
			return Action.CONTINUE;
		}
		int count = this.exchange.requestHeaders().size();
		long code = (callbacks.requestHeadersArity == 2)
				? call("proxy_on_request_headers", callbacks.requestHeaders, this.id, count)
				: call("proxy_on_request_headers", callbacks.requestHeaders, this.id, count, endOfStream ? 1 : 0);
		return outcome(StreamDirection.REQUEST, headerAction(code));
	}

	public Action onRequestBody(BodyBuffer body, boolean endOfStream) {
		this.requestBody = body;
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.requestBody == null) {
			return Action.CONTINUE;
		}
		long code = call("proxy_on_request_body", callbacks.requestBody, this.id, body.size(), endOfStream ? 1 : 0);
		return outcome(StreamDirection.REQUEST, bodyAction(code));
	}

	public Action onRequestTrailers() {
		Callbacks callbacks = this.vm.callbacks();
		HeaderMap trailers = this.exchange.requestTrailers();
		if (callbacks.requestTrailers == null) {
			return Action.CONTINUE;
		}
		long code = call("proxy_on_request_trailers", callbacks.requestTrailers, this.id,
				(trailers != null) ? trailers.size() : 0);
		return outcome(StreamDirection.REQUEST, headerAction(code));
	}

	public Action onResponseHeaders(boolean endOfStream) {
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.responseHeaders == null) {
			return Action.CONTINUE;
		}
		HeaderMap headers = this.exchange.responseHeaders();
		int count = (headers != null) ? headers.size() : 0;
		long code = (callbacks.responseHeadersArity == 2)
				? call("proxy_on_response_headers", callbacks.responseHeaders, this.id, count)
				: call("proxy_on_response_headers", callbacks.responseHeaders, this.id, count, endOfStream ? 1 : 0);
		return outcome(StreamDirection.RESPONSE, headerAction(code));
	}

	public Action onResponseBody(BodyBuffer body, boolean endOfStream) {
		this.responseBody = body;
		Callbacks callbacks = this.vm.callbacks();
		if (callbacks.responseBody == null) {
			return Action.CONTINUE;
		}
		long code = call("proxy_on_response_body", callbacks.responseBody, this.id, body.size(), endOfStream ? 1 : 0);
		return outcome(StreamDirection.RESPONSE, bodyAction(code));
	}

	public Action onResponseTrailers() {
		Callbacks callbacks = this.vm.callbacks();
		HeaderMap trailers = this.exchange.responseTrailers();
		if (callbacks.responseTrailers == null) {
			return Action.CONTINUE;
		}
		long code = call("proxy_on_response_trailers", callbacks.responseTrailers, this.id,
				(trailers != null) ? trailers.size() : 0);
		return outcome(StreamDirection.RESPONSE, headerAction(code));
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

	/** Envoy's header codes: 0 Continue, 2 ContinueAndEndStream; 1, 3, 4 stop. */
	private static Action headerAction(long code) {
		return (code == 0 || code == 2) ? Action.CONTINUE : Action.PAUSE;
	}

	/** Body codes: 0 Continue; 1 and 2 buffer; 3 StopIterationNoBuffer. */
	private static Action bodyAction(long code) {
		if (code == 0) {
			return Action.CONTINUE;
		}
		return (code == 1 || code == 2) ? Action.BUFFER : Action.PAUSE;
	}

	private Action outcome(StreamDirection direction, Action decided) {
		if (this.localResponse != null && !this.localResponseDispatched) {
			this.localResponseDispatched = true;
			return Action.LOCAL_RESPONSE;
		}
		boolean continued;
		if (direction == StreamDirection.REQUEST) {
			continued = this.requestContinued;
			this.requestContinued = false;
		}
		else {
			continued = this.responseContinued;
			this.responseContinued = false;
		}
		if (decided == Action.CONTINUE || continued) {
			setPaused(direction, false);
			return Action.CONTINUE;
		}
		setPaused(direction, decided == Action.PAUSE);
		return decided;
	}

	private void setPaused(StreamDirection direction, boolean paused) {
		if (direction == StreamDirection.REQUEST) {
			this.requestPaused = paused;
		}
		else {
			this.responsePaused = paused;
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

	public LocalResponse localResponse() {
		return this.localResponse;
	}

	/** {@code proxy_continue_stream} / {@code proxy_continue_request|response}. */
	public void continueStream(StreamDirection direction) {
		if (this.inCallback) {
			if (direction == StreamDirection.REQUEST) {
				this.requestContinued = true;
			}
			else {
				this.responseContinued = true;
			}
			return;
		}
		boolean paused = (direction == StreamDirection.REQUEST) ? this.requestPaused : this.responsePaused;
		setPaused(direction, false);
		if (paused || !this.finished) {
			this.exchange.resume(direction);
		}
	}

	public void closeStream(StreamDirection direction) {
		this.exchange.close(direction);
	}

	/**
	 * The VM failed while this stream was open and not in a callback of its own (it waits
	 * for a callout, a tick or the upstream): the host answers it now.
	 */
	void vmFailed(io.github.wasmgateway.engine.PluginCallException failure) {
		if (!this.finished && !this.inCallback) {
			this.exchange.failed(failure);
		}
	}

	/** Sends a local response decided outside a callback to the host. */
	void dispatchAsyncOutcome() {
		if (this.localResponse != null && !this.localResponseDispatched && !this.inCallback) {
			this.localResponseDispatched = true;
			this.exchange.respond(this.localResponse);
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
