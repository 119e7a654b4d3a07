package io.github.wasmgateway.engine.abi;

import io.github.wasmgateway.engine.AbiVersion;
import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.HeaderMap;
import io.github.wasmgateway.engine.ListHeaderMap;
import io.github.wasmgateway.engine.LocalResponse;
import io.github.wasmgateway.engine.StreamDirection;
import io.github.wasmgateway.engine.host.ForeignFunction;
import io.github.wasmgateway.engine.host.HttpCalloutRequest;
import io.github.wasmgateway.engine.host.HttpCalloutResponse;
import io.github.wasmgateway.engine.host.MetricsSink;
import io.github.wasmgateway.engine.host.PluginLogger;
import io.github.wasmgateway.engine.host.SharedDataStore;
import io.github.wasmgateway.engine.host.SharedQueues;
import io.github.wasmgateway.engine.internal.CallbackData;
import io.github.wasmgateway.engine.internal.PluginVm;
import io.github.wasmgateway.engine.internal.RootContext;
import io.github.wasmgateway.engine.internal.StreamContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proxy-wasm host functions of one VM. Each reads its arguments (unsigned 32-bit
 * pointers and lengths) with bounds checks and answers a status; nothing the guest passes
 * makes it throw, and an exception of a host service is answered as a status too
 * ({@link PluginVm#hostFailure}).
 */
final class ProxyAbi {

	/** One host function: the guest's arguments in, a status out. */
	@FunctionalInterface
	interface Function {

		long call(long[] args);

	}

	private static final byte[] EMPTY = new byte[0];

	private final PluginVm vm;

	private final GuestMemory memory;

	private final GrpcAbi grpc;

	/** Whether the plugin speaks ABI 0.1.0, where some answers differ. */
	private final boolean abi010;

	ProxyAbi(PluginVm vm) {
		this.vm = vm;
		this.memory = new GuestMemory(vm);
		this.grpc = new GrpcAbi(vm, this.memory);
		this.abi010 = vm.core().profile().abiVersion() == AbiVersion.V0_1_0;
	}

	/** See {@link PluginVm#hostFailure}. */
	long hostFailure(String function, RuntimeException error) {
		return this.vm.hostFailure(function, error);
	}

	Function function(String name) {
		return switch (name) {
			case "proxy_log" -> this::log;
			case "proxy_get_log_level" -> this::getLogLevel;
			case "proxy_set_effective_context" ->
				(a) -> this.vm.contexts().setEffective((int) a[0]) ? Status.OK : Status.BAD_ARGUMENT;
			case "proxy_done" -> this::done;
			case "proxy_get_property" -> this::getProperty;
			case "proxy_set_property" -> this::setProperty;
			case "proxy_continue_stream" -> (a) -> continueStream(a[0]);
			case "proxy_close_stream" -> (a) -> closeStream(a[0]);
			case "proxy_continue_request" -> (a) -> continueStream(0);
			case "proxy_continue_response" -> (a) -> continueStream(1);
			case "proxy_clear_route_cache" -> (a) -> Status.OK;
			case "proxy_send_local_response" -> this::sendLocalResponse;
			case "proxy_get_shared_data" -> this::getSharedData;
			case "proxy_set_shared_data" -> this::setSharedData;
			case "proxy_register_shared_queue" -> this::registerQueue;
			case "proxy_resolve_shared_queue" -> this::resolveQueue;
			case "proxy_dequeue_shared_queue" -> this::dequeue;
			case "proxy_enqueue_shared_queue" -> this::enqueue;
			case "proxy_get_header_map_value" -> this::getHeaderValue;
			case "proxy_add_header_map_value" -> (a) -> editHeader(a, Edit.ADD);
			case "proxy_replace_header_map_value" -> (a) -> editHeader(a, Edit.REPLACE);
			case "proxy_remove_header_map_value" -> (a) -> editHeader(a, Edit.REMOVE);
			case "proxy_get_header_map_pairs" -> this::getHeaderPairs;
			case "proxy_set_header_map_pairs" -> this::setHeaderPairs;
			case "proxy_get_header_map_size" -> this::getHeaderMapSize;
			case "proxy_get_buffer_status" -> this::getBufferStatus;
			case "proxy_get_buffer_bytes" -> this::getBufferBytes;
			case "proxy_set_buffer_bytes" -> this::setBufferBytes;
			case "proxy_get_configuration" -> this::getConfiguration;
			case "proxy_http_call" -> this::httpCall;
			case "proxy_set_tick_period_milliseconds" -> (a) -> {
				this.vm.setTickPeriod(GuestMemory.u32(a[0]));
				return Status.OK;
			};
			case "proxy_get_current_time_nanoseconds" ->
				(a) -> this.memory.writeU64(a[0], this.vm.core().services().clock().epochNanos()) ? Status.OK
						: Status.INVALID_MEMORY_ACCESS;
			case "proxy_define_metric" -> this::defineMetric;
			case "proxy_increment_metric" ->
				(a) -> metrics().increment((int) a[0], a[1]) ? Status.OK : Status.NOT_FOUND;
			case "proxy_record_metric" -> (a) -> metrics().record((int) a[0], a[1]) ? Status.OK : Status.NOT_FOUND;
			case "proxy_get_metric" -> this::getMetric;
			case "proxy_call_foreign_function" -> this::callForeignFunction;
			case "proxy_get_status" -> this::getStatus;
			case "proxy_grpc_call" -> this.grpc::call;
			case "proxy_grpc_stream" -> this.grpc::stream;
			case "proxy_grpc_send" -> this.grpc::send;
			case "proxy_grpc_cancel" -> this.grpc::cancel;
			case "proxy_grpc_close" -> this.grpc::close;
			case "proxy_redis_init" -> this::redisInit;
			case "proxy_redis_call" -> this::redisCall;
			default -> null;
		};
	}

	String abortLocation(long[] args) {
		// AssemblyScript: abort(message, fileName, line, column), strings as UTF-16 with
		// a length header
		if (args.length < 4) {
			return "";
		}
		return " (" + assemblyScriptString(args[0]) + " at " + assemblyScriptString(args[1]) + ":" + args[2] + ":"
				+ args[3] + ")";
	}

	private String assemblyScriptString(long pointer) {
		long ptr = GuestMemory.u32(pointer);
		if (ptr < 4 || !this.memory.inBounds(ptr - 4, 4)) {
			return "?";
		}
		long length = GuestMemory.u32(this.memory.memory().readInt((int) ptr - 4));
		byte[] bytes = this.memory.read(ptr, Math.min(length, 512));
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_16LE) : "?";
	}

	// ---- logging

	private long log(long[] a) {
		PluginLogger.Level level = PluginLogger.Level.of((int) a[0]);
		if (level == null) {
			return Status.BAD_ARGUMENT;
		}
		if (!this.memory.inBounds(a[1], a[2])) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		PluginLogger logger = this.vm.core().logger();
		if (logger.isEnabled(level)) {
			logger.log(level, this.memory.readString(a[1], a[2]));
		}
		return Status.OK;
	}

	private long getLogLevel(long[] a) {
		return this.memory.writeU32(a[0], this.vm.core().logger().level().ordinal()) ? Status.OK
				: Status.INVALID_MEMORY_ACCESS;
	}

	// ---- context and stream control

	private long done(long[] a) {
		StreamContext stream = this.vm.contexts().effectiveStream();
		return (stream != null && stream.done()) ? Status.OK : Status.NOT_FOUND;
	}

	private static StreamDirection direction(long type) {
		return (type == 0) ? StreamDirection.REQUEST : (type == 1) ? StreamDirection.RESPONSE : null;
	}

	private long continueStream(long type) {
		StreamDirection direction = direction(type);
		if (direction == null) {
			return (type == 2 || type == 3) ? Status.UNIMPLEMENTED : Status.BAD_ARGUMENT;
		}
		StreamContext stream = this.vm.contexts().effectiveStream();
		if (stream == null) {
			return Status.NOT_FOUND;
		}
		stream.continueStream(direction);
		return Status.OK;
	}

	private long closeStream(long type) {
		StreamDirection direction = direction(type);
		if (direction == null) {
			return (type == 2 || type == 3) ? Status.UNIMPLEMENTED : Status.BAD_ARGUMENT;
		}
		StreamContext stream = this.vm.contexts().effectiveStream();
		if (stream == null) {
			return Status.NOT_FOUND;
		}
		stream.closeStream(direction);
		return Status.OK;
	}

	private long sendLocalResponse(long[] a) {
		StreamContext stream = this.vm.contexts().effectiveStream();
		if (stream == null) {
			return Status.NOT_FOUND;
		}
		byte[] details = this.memory.read(a[1], a[2]);
		byte[] body = this.memory.read(a[3], a[4]);
		byte[] headers = this.memory.read(a[5], a[6]);
		if (details == null || body == null || headers == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		ListHeaderMap map = HeaderPairs.parse(headers);
		if (map == null) {
			return Status.BAD_ARGUMENT;
		}
		List<Map.Entry<String, String>> entries = new ArrayList<>(map.size());
		for (int i = 0; i < map.size(); i++) {
			entries.add(new AbstractMap.SimpleImmutableEntry<>(map.name(i), map.value(i)));
		}
		int status = (int) GuestMemory.u32(a[0]);
		int grpc = (int) a[7];
		stream.sendLocalResponse(new LocalResponse(status, new String(details, StandardCharsets.UTF_8), body, entries,
				(grpc >= 0 && grpc <= 16) ? grpc : -1));
		return Status.OK;
	}

	// ---- properties

	private long getProperty(long[] a) {
		byte[] path = this.memory.read(a[0], a[1]);
		if (path == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		String[] segments = PropertyPath.segments(path);
		byte[] value = property(segments);
		if (value == null) {
			return Status.NOT_FOUND;
		}
		return this.memory.copyOut(value, a[2], a[3]);
	}

	private byte[] property(String[] segments) {
		String key = PropertyPath.join(segments);
		switch (key) {
			case "plugin_name":
				return utf8(this.vm.core().name());
			case "plugin_root_id":
				return utf8(this.vm.core().rootId());
			case "plugin_vm_id":
				return utf8(this.vm.core().vmId());
			default:
		}
		StreamContext stream = this.vm.contexts().effectiveStream();
		if (stream != null) {
			byte[] set = stream.property(key);
			if (set != null) {
				return set;
			}
			return stream.exchange().property(segments);
		}
		return this.vm.contexts().rootProperty(key);
	}

	private long setProperty(long[] a) {
		byte[] path = this.memory.read(a[0], a[1]);
		byte[] value = this.memory.read(a[2], a[3]);
		if (path == null || value == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		String key = PropertyPath.join(PropertyPath.segments(path));
		if (key.equals("wasm_need_rebuild")) {
			this.vm.requestRebuild();
			return Status.OK;
		}
		StreamContext stream = this.vm.contexts().effectiveStream();
		if (stream != null) {
			stream.setProperty(key, value);
		}
		else {
			this.vm.contexts().setRootProperty(key, value);
		}
		return Status.OK;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	// ---- shared data and queues

	private SharedDataStore sharedData() {
		return this.vm.core().sharedData();
	}

	private long getSharedData(long[] a) {
		String key = this.memory.readString(a[0], a[1]);
		if (key == null || !this.memory.inBounds(a[4], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		SharedDataStore.Entry entry = sharedData().get(key);
		if (entry == null) {
			return Status.NOT_FOUND;
		}
		int status = this.memory.copyOut(entry.value(), a[2], a[3]);
		if (status == Status.OK) {
			this.memory.writeU32(a[4], entry.cas());
		}
		return status;
	}

	private long setSharedData(long[] a) {
		String key = this.memory.readString(a[0], a[1]);
		byte[] value = this.memory.read(a[2], a[3]);
		if (key == null || value == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		return sharedData().set(key, value, (int) a[4]) ? Status.OK : Status.CAS_MISMATCH;
	}

	private SharedQueues queues() {
		return this.vm.core().services().sharedQueues();
	}

	private long registerQueue(long[] a) {
		String name = this.memory.readString(a[0], a[1]);
		if (name == null || !this.memory.inBounds(a[2], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		RootContext root = this.vm.contexts().effectiveRoot();
		int[] token = { 0 };
		token[0] = queues().register(this.vm.core().vmId(), name,
				() -> this.vm.post(() -> this.vm.deliverQueueReady(root, token[0])));
		this.memory.writeU32(a[2], token[0]);
		return Status.OK;
	}

	private long resolveQueue(long[] a) {
		String vmId = this.memory.readString(a[0], a[1]);
		String name = this.memory.readString(a[2], a[3]);
		if (vmId == null || name == null || !this.memory.inBounds(a[4], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		int token = queues().resolve(vmId.isEmpty() ? this.vm.core().vmId() : vmId, name);
		if (token == 0) {
			return Status.NOT_FOUND;
		}
		this.memory.writeU32(a[4], token);
		return Status.OK;
	}

	private long dequeue(long[] a) {
		if (!this.memory.inBounds(a[1], 4) || !this.memory.inBounds(a[2], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		byte[] item = queues().dequeue((int) a[0]);
		if (item == null) {
			return Status.NOT_FOUND;
		}
		if (item == SharedQueues.EMPTY) {
			return Status.EMPTY;
		}
		return this.memory.copyOut(item, a[1], a[2]);
	}

	private long enqueue(long[] a) {
		byte[] data = this.memory.read(a[1], a[2]);
		if (data == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		return queues().enqueue((int) a[0], data) ? Status.OK : Status.NOT_FOUND;
	}

	// ---- header maps

	private enum Edit {

		ADD, REPLACE, REMOVE

	}

	/** The map of {@code type} in the effective context, or null. */
	private HeaderMap map(HeaderMapType type) {
		StreamContext stream = this.vm.contexts().effectiveStream();
		CallbackData call = this.vm.callbackData();
		HttpCalloutResponse callout = call.calloutResponse();
		return switch (type) {
			case REQUEST_HEADERS -> (stream != null) ? stream.exchange().requestHeaders() : null;
			case REQUEST_TRAILERS -> (stream != null) ? stream.exchange().requestTrailers() : null;
			case RESPONSE_HEADERS -> (stream != null) ? stream.exchange().responseHeaders() : null;
			case RESPONSE_TRAILERS -> (stream != null) ? stream.exchange().responseTrailers() : null;
			case HTTP_CALL_RESPONSE_HEADERS -> (callout != null) ? callout.headers() : null;
			case HTTP_CALL_RESPONSE_TRAILERS -> (callout != null) ? callout.trailers() : null;
			case GRPC_RECEIVE_INITIAL_METADATA -> call.grpcInitialMetadata();
			case GRPC_RECEIVE_TRAILING_METADATA -> call.grpcTrailingMetadata();
		};
	}

	private long getHeaderValue(long[] a) {
		HeaderMapType type = HeaderMapType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		String key = this.memory.readHeaderName(a[1], a[2]);
		if (key == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		HeaderMap map = map(type);
		String value = (map != null) ? map.get(key) : null;
		if (value == null) {
			// ABI 0.1.0 has no "not found" here: Envoy answers Ok with an empty value
			// (Context::getHeaderMapValue), and Rust SDK 0.1.x panics on any other status
			return this.abi010 ? this.memory.copyOut(EMPTY, a[3], a[4]) : Status.NOT_FOUND;
		}
		return this.memory.copyOut(value, a[3], a[4]);
	}

	private long editHeader(long[] a, Edit edit) {
		HeaderMapType type = HeaderMapType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		String key = this.memory.readHeaderName(a[1], a[2]);
		String value = (edit == Edit.REMOVE) ? "" : this.memory.readString(a[3], a[4]);
		if (key == null || value == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		HeaderMap map = map(type);
		if (map == null || !type.writable()) {
			return (map == null) ? Status.NOT_FOUND : Status.BAD_ARGUMENT;
		}
		switch (edit) {
			case ADD -> map.add(key, value);
			case REPLACE -> map.set(key, value);
			case REMOVE -> map.remove(key);
		}
		return Status.OK;
	}

	private long getHeaderPairs(long[] a) {
		HeaderMapType type = HeaderMapType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		HeaderMap map = map(type);
		if (map == null) {
			return Status.NOT_FOUND;
		}
		byte[] scratch = this.memory.scratch(HeaderPairs.size(map));
		int length = HeaderPairs.write(map, scratch);
		return this.memory.copyOut(scratch, length, a[1], a[2]);
	}

	private long setHeaderPairs(long[] a) {
		HeaderMapType type = HeaderMapType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		byte[] bytes = this.memory.read(a[1], a[2]);
		if (bytes == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		ListHeaderMap pairs = HeaderPairs.parse(bytes);
		if (pairs == null) {
			return Status.BAD_ARGUMENT;
		}
		HeaderMap map = map(type);
		if (map == null || !type.writable()) {
			return (map == null) ? Status.NOT_FOUND : Status.BAD_ARGUMENT;
		}
		map.clear();
		for (int i = 0; i < pairs.size(); i++) {
			map.add(pairs.name(i), pairs.value(i));
		}
		return Status.OK;
	}

	private long getHeaderMapSize(long[] a) {
		HeaderMapType type = HeaderMapType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		HeaderMap map = map(type);
		if (map == null) {
			return Status.NOT_FOUND;
		}
		return this.memory.writeU32(a[1], HeaderPairs.size(map)) ? Status.OK : Status.INVALID_MEMORY_ACCESS;
	}

	// ---- buffers

	/** The buffer of {@code type} in the effective context, or null. */
	private BodyBuffer buffer(BufferType type) {
		StreamContext stream = this.vm.contexts().effectiveStream();
		CallbackData call = this.vm.callbackData();
		return switch (type) {
			case HTTP_REQUEST_BODY -> (stream != null) ? stream.requestBody() : null;
			case HTTP_RESPONSE_BODY -> (stream != null) ? stream.responseBody() : null;
			case HTTP_CALL_RESPONSE_BODY ->
				(call.calloutResponse() != null) ? new ReadOnlyBuffer(call.calloutResponse().body()) : null;
			case VM_CONFIGURATION -> new ReadOnlyBuffer(this.vm.core().vmConfiguration());
			case PLUGIN_CONFIGURATION -> {
				byte[] configuration = call.configuration();
				RootContext root = this.vm.contexts().effectiveRoot();
				if (configuration == null && root != null) {
					configuration = this.vm.rootConfiguration(root);
				}
				yield (configuration != null) ? new ReadOnlyBuffer(configuration) : null;
			}
			case GRPC_RECEIVE_BUFFER -> (call.grpcMessage() != null) ? new ReadOnlyBuffer(call.grpcMessage()) : null;
			case REDIS_CALL_RESPONSE -> (call.redisReply() != null) ? new ReadOnlyBuffer(call.redisReply()) : null;
			// no TCP; CALL_DATA holds the arguments of proxy_on_foreign_function, which
			// this host (like Envoy outside its tests) never calls
			case NETWORK_DOWNSTREAM_DATA, NETWORK_UPSTREAM_DATA, CALL_DATA -> null;
		};
	}

	private long getBufferStatus(long[] a) {
		BufferType type = BufferType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		BodyBuffer buffer = buffer(type);
		if (buffer == null) {
			return Status.NOT_FOUND;
		}
		if (!this.memory.writeU32(a[1], buffer.size()) || !this.memory.writeU32(a[2], 0)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		return Status.OK;
	}

	private long getBufferBytes(long[] a) {
		BufferType type = BufferType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		BodyBuffer buffer = buffer(type);
		if (buffer == null) {
			return Status.NOT_FOUND;
		}
		long start = GuestMemory.u32(a[1]);
		long max = GuestMemory.u32(a[2]);
		int size = buffer.size();
		int length = (int) Math.max(0, Math.min(max, size - start));
		if (start > size) {
			length = 0;
		}
		if (length > GuestMemory.MAX_COPY) {
			return Status.BAD_ARGUMENT;
		}
		byte[] bytes = (length == 0) ? EMPTY : this.memory.scratch(length);
		if (length > 0) {
			buffer.read((int) start, bytes, 0, length);
		}
		return this.memory.copyOut(bytes, length, a[3], a[4]);
	}

	private long setBufferBytes(long[] a) {
		BufferType type = BufferType.of(a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		byte[] data = this.memory.read(a[3], a[4]);
		if (data == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		BodyBuffer buffer = type.writable() ? buffer(type) : null;
		if (buffer == null) {
			return Status.NOT_FOUND;
		}
		long start = Math.min(GuestMemory.u32(a[1]), buffer.size());
		long length = Math.min(GuestMemory.u32(a[2]), buffer.size() - start);
		buffer.replace((int) start, (int) length, data);
		return Status.OK;
	}

	private long getConfiguration(long[] a) {
		// 0.1.0: the VM configuration in proxy_on_vm_start, the plugin's otherwise
		BodyBuffer configuration = this.vm.callbackData().inVmStart() ? buffer(BufferType.VM_CONFIGURATION)
				: buffer(BufferType.PLUGIN_CONFIGURATION);
		if (configuration == null) {
			return Status.NOT_FOUND;
		}
		byte[] bytes = new byte[configuration.size()];
		configuration.read(0, bytes, 0, bytes.length);
		return this.memory.copyOut(bytes, a[0], a[1]);
	}

	// ---- callouts

	private long httpCall(long[] a) {
		String cluster = this.memory.readString(a[0], a[1]);
		byte[] headers = this.memory.read(a[2], a[3]);
		byte[] body = this.memory.read(a[4], a[5]);
		byte[] trailers = this.memory.read(a[6], a[7]);
		if (cluster == null || headers == null || body == null || trailers == null || !this.memory.inBounds(a[9], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		ListHeaderMap headerMap = HeaderPairs.parse(headers);
		ListHeaderMap trailerMap = HeaderPairs.parse(trailers);
		if (headerMap == null || trailerMap == null) {
			return Status.BAD_ARGUMENT;
		}
		// as Envoy: a callout without :method, :path and :authority is refused
		if (headerMap.get(":method") == null || headerMap.get(":path") == null || headerMap.get(":authority") == null) {
			return Status.BAD_ARGUMENT;
		}
		int token = this.vm.contexts().registerCall();
		HttpCalloutRequest request = new HttpCalloutRequest(this.vm.core().name(), cluster, headerMap, body, trailerMap,
				Duration.ofMillis(GuestMemory.u32(a[8])));
		boolean started;
		try {
			started = this.vm.core()
				.services()
				.httpCallouts()
				.dispatch(request, (response) -> this.vm.post(() -> this.vm.deliverHttpCallResponse(token, response)));
		}
		catch (RuntimeException ex) {
			this.vm.contexts().forgetCall(token);
			throw ex;
		}
		if (!started) {
			this.vm.contexts().forgetCall(token);
			return Status.BAD_ARGUMENT;
		}
		this.memory.writeU32(a[9], token);
		return Status.OK;
	}

	/**
	 * {@code proxy_get_status}, as Envoy's {@code Context::getStatus} of the effective
	 * root context: the code of its last gRPC close (or BROKEN_CONNECTION after a failed
	 * callout), 0 before any; the message only inside that callback.
	 */
	private long getStatus(long[] a) {
		RootContext root = this.vm.contexts().effectiveRoot();
		int code = (root != null) ? root.statusCode() : 0;
		String message = (root != null) ? root.statusMessage() : "";
		if (!this.memory.writeU32(a[0], code)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		return this.memory.copyOut(utf8(message), a[1], a[2]);
	}

	// ---- metrics

	private MetricsSink metrics() {
		return this.vm.core().services().metrics();
	}

	private long defineMetric(long[] a) {
		MetricsSink.MetricType type = MetricsSink.MetricType.of((int) a[0]);
		if (type == null) {
			return Status.BAD_ARGUMENT;
		}
		String name = this.memory.readString(a[1], a[2]);
		if (name == null || !this.memory.inBounds(a[3], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		this.memory.writeU32(a[3], this.vm.core().defineMetric(type, name));
		return Status.OK;
	}

	private long getMetric(long[] a) {
		if (!this.memory.inBounds(a[1], 8)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		Long value = metrics().get((int) a[0]);
		if (value == null) {
			return Status.NOT_FOUND;
		}
		this.memory.writeU64(a[1], value);
		return Status.OK;
	}

	// ---- foreign functions

	private long callForeignFunction(long[] a) {
		String name = this.memory.readString(a[0], a[1]);
		byte[] arguments = this.memory.read(a[2], a[3]);
		if (name == null || arguments == null || !this.memory.inBounds(a[4], 4) || !this.memory.inBounds(a[5], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		ForeignFunction function = this.vm.core().services().foreignFunctions().find(name);
		if (function == null) {
			return Status.NOT_FOUND;
		}
		byte[] result = function.call(arguments);
		return (result != null) ? this.memory.copyOut(result, a[4], a[5]) : Status.BAD_ARGUMENT;
	}

	// ---- Higress Redis

	private long redisInit(long[] a) {
		String cluster = this.memory.readString(a[0], a[1]);
		String username = this.memory.readString(a[2], a[3]);
		String password = this.memory.readString(a[4], a[5]);
		if (cluster == null || username == null || password == null) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		boolean known = this.vm.core()
			.services()
			.redis()
			.init(this.vm.core().name(), cluster, username, password, Duration.ofMillis(GuestMemory.u32(a[6])));
		return known ? Status.OK : Status.BAD_ARGUMENT;
	}

	private long redisCall(long[] a) {
		String cluster = this.memory.readString(a[0], a[1]);
		byte[] query = this.memory.read(a[2], a[3]);
		if (cluster == null || query == null || !this.memory.inBounds(a[4], 4)) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		int token = this.vm.contexts().registerCall();
		boolean started;
		try {
			started = this.vm.core()
				.services()
				.redis()
				.call(this.vm.core().name(), cluster, query,
						(status, reply) -> this.vm.post(() -> this.vm.deliverRedisResponse(token, status, reply)));
		}
		catch (RuntimeException ex) {
			this.vm.contexts().forgetCall(token);
			throw ex;
		}
		if (!started) {
			this.vm.contexts().forgetCall(token);
			return Status.BAD_ARGUMENT;
		}
		this.memory.writeU32(a[4], token);
		return Status.OK;
	}

	/** A buffer the plugin may read but not change. */
	private record ReadOnlyBuffer(byte[] bytes) implements BodyBuffer {

		@Override
		public int size() {
			return this.bytes.length;
		}

		@Override
		public void read(int start, byte[] target, int targetOffset, int length) {
			System.arraycopy(this.bytes, start, target, targetOffset, length);
		}

		@Override
		public void replace(int start, int length, byte[] data) {
			throw new UnsupportedOperationException("read-only buffer");
		}

	}

}
