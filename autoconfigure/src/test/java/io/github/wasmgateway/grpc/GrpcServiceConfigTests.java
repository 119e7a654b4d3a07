package io.github.wasmgateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Reading the serialized {@code envoy.config.core.v3.GrpcService} a plugin may pass as
 * its gRPC target, as Envoy's {@code ParseFromString} would.
 */
class GrpcServiceConfigTests {

	@Test
	void envoyGrpcGivesTheClusterAndAuthority() throws IOException {
		byte[] envoyGrpc = message((out) -> {
			out.writeString(1, "ext-authz");
			out.writeString(2, "authz.internal");
			// skip_envoy_headers, which this host does not use
			out.writeBool(5, true);
		});
		GrpcServiceConfig config = GrpcServiceConfig.decode(message((out) -> {
			out.writeBytes(1, ByteString.copyFrom(envoyGrpc));
			// timeout: a Duration of 2 s, read past
			out.writeBytes(3, ByteString.copyFrom(message((duration) -> duration.writeInt64(1, 2))));
		}));
		assertThat(config.cluster()).isEqualTo("ext-authz");
		assertThat(config.authority()).isEqualTo("authz.internal");
		assertThat(config.initialMetadata()).isEmpty();
	}

	@Test
	void initialMetadataKeepsItsOrder() throws IOException {
		GrpcServiceConfig config = GrpcServiceConfig.decode(message((out) -> {
			out.writeBytes(5, ByteString.copyFrom(message((header) -> {
				header.writeString(1, "x-a");
				header.writeString(2, "1");
			})));
			out.writeBytes(5, ByteString.copyFrom(message((header) -> {
				header.writeString(1, "x-b");
				header.writeString(2, "2");
			})));
		}));
		assertThat(config.cluster()).isNull();
		assertThat(config.initialMetadata()).containsExactly(entry("x-a", "1"), entry("x-b", "2"));
	}

	@Test
	void googleGrpcAloneNamesNoCluster() throws IOException {
		GrpcServiceConfig config = GrpcServiceConfig.decode(message((out) -> out.writeBytes(2,
				ByteString.copyFrom(message((google) -> google.writeString(1, "dns:///authz:443"))))));
		assertThat(config).isNotNull();
		assertThat(config.cluster()).isNull();
	}

	@Test
	void noBytesAreAnEmptyGrpcService() {
		GrpcServiceConfig config = GrpcServiceConfig.decode(new byte[0]);
		assertThat(config.cluster()).isNull();
	}

	@Test
	void clusterNamesAreNoGrpcService() {
		for (String name : new String[] { "grpc-echo", "upstream", "outbound|50051||echo.default.svc.cluster.local" }) {
			assertThat(GrpcServiceConfig.decode(name.getBytes(StandardCharsets.UTF_8))).as(name).isNull();
		}
	}

	@Test
	void truncatedOrMalformedBytesAreNoGrpcService() throws IOException {
		byte[] whole = message((out) -> out.writeBytes(1,
				ByteString.copyFrom(message((envoyGrpc) -> envoyGrpc.writeString(1, "ext-authz")))));
		byte[] truncated = new byte[whole.length - 2];
		System.arraycopy(whole, 0, truncated, 0, truncated.length);
		assertThat(GrpcServiceConfig.decode(truncated)).isNull();
		// a cluster name that is not UTF-8, as proto3 strings must be
		assertThat(GrpcServiceConfig.decode(new byte[] { 0x0a, 0x03, 0x0a, 0x01, (byte) 0xff })).isNull();
		// the end of a group that never started
		assertThat(GrpcServiceConfig.decode(new byte[] { 0x0c })).isNull();
	}

	interface Writer {

		void write(CodedOutputStream out) throws IOException;

	}

	static byte[] message(Writer writer) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		writer.write(out);
		out.flush();
		return bytes.toByteArray();
	}

}
