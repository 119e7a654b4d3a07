package io.github.wasmgateway.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What this host uses of a serialized {@code envoy.config.core.v3.GrpcService}, the form
 * the C++ SDK sends as {@code grpc_service}: {@code envoy_grpc.cluster_name},
 * {@code envoy_grpc.authority} and {@code initial_metadata}. Other fields (timeout, retry
 * policy, {@code google_grpc}) are read past, as unknown fields are.
 *
 * @param cluster the {@code envoy_grpc} cluster, or null when there is none
 * @param authority the {@code :authority} to send, or null
 * @param initialMetadata metadata sent with every call, in order
 */
record GrpcServiceConfig(String cluster, String authority, List<Map.Entry<String, String>> initialMetadata) {

	private static final int ENVOY_GRPC = 1;

	private static final int INITIAL_METADATA = 5;

	private static final int CLUSTER_NAME = 1;

	private static final int AUTHORITY = 2;

	private static final int KEY = 1;

	private static final int VALUE = 2;

	/**
	 * Decodes the bytes as a GrpcService, as Envoy's {@code ParseFromString} does, or
	 * returns null when they are not one (then they may be a cluster's name).
	 */
	static GrpcServiceConfig decode(byte[] bytes) {
		try {
			CodedInputStream in = CodedInputStream.newInstance(bytes);
			String cluster = null;
			String authority = null;
			List<Map.Entry<String, String>> metadata = new ArrayList<>();
			int tag;
			while ((tag = in.readTag()) != 0) {
				if (tag == lengthDelimited(ENVOY_GRPC)) {
					CodedInputStream envoyGrpc = in.readBytes().newCodedInput();
					int field;
					while ((field = envoyGrpc.readTag()) != 0) {
						if (field == lengthDelimited(CLUSTER_NAME)) {
							cluster = envoyGrpc.readStringRequireUtf8();
						}
						else if (field == lengthDelimited(AUTHORITY)) {
							authority = envoyGrpc.readStringRequireUtf8();
						}
						else {
							skip(envoyGrpc, field);
						}
					}
				}
				else if (tag == lengthDelimited(INITIAL_METADATA)) {
					metadata.add(headerValue(in.readBytes().newCodedInput()));
				}
				else {
					skip(in, tag);
				}
			}
			return new GrpcServiceConfig(cluster, authority, List.copyOf(metadata));
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** An {@code envoy.config.core.v3.HeaderValue}: key and value. */
	private static Map.Entry<String, String> headerValue(CodedInputStream in) throws IOException {
		String key = "";
		String value = "";
		int field;
		while ((field = in.readTag()) != 0) {
			if (field == lengthDelimited(KEY)) {
				key = in.readStringRequireUtf8();
			}
			else if (field == lengthDelimited(VALUE)) {
				value = in.readStringRequireUtf8();
			}
			else {
				skip(in, field);
			}
		}
		return new AbstractMap.SimpleImmutableEntry<>(key, value);
	}

	private static int lengthDelimited(int field) {
		return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
	}

	/** Reads past a field; a stray end of group makes the bytes no message. */
	private static void skip(CodedInputStream in, int tag) throws IOException {
		if (!in.skipField(tag)) {
			throw new IOException("end of a group that never started");
		}
	}

}
