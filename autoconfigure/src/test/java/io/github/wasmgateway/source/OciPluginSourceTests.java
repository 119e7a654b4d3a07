package io.github.wasmgateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins pulled from a real registry (the CNCF distribution server) that the test starts
 * on a free loopback port and pushes images to.
 */
class OciPluginSourceTests {

	private static final byte[] PLUGIN = SourceTestSupport.fixture("go-profile");

	private static final byte[] OTHER_PLUGIN = SourceTestSupport.fixture("tinygo-profile");

	@TempDir
	Path directory;

	@Test
	void pullsWasmArtifactByTag() throws Exception {
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			String digest = new ImagePusher(registry, "plugins/demo", null).pushWasmArtifact("v1", PLUGIN);
			FetchedBinary fetched = sources().fetch("demo", "oci://" + registry.host() + "/plugins/demo:v1", null);
			assertThat(fetched.bytes()).isEqualTo(PLUGIN);
			assertThat(fetched.version()).isEqualTo(digest);
			assertThat(fetched.fromLocalCopy()).isFalse();
		}
	}

	@Test
	void pullsDockerImageWhoseLayerHoldsPluginWasm() throws Exception {
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			new ImagePusher(registry, "plugins/docker", null).pushDockerImage("v1", "plugin.wasm", PLUGIN);
			new ImagePusher(registry, "plugins/nested", null).pushDockerImage("v1", "./opt/plugin.wasm", PLUGIN);
			new ImagePusher(registry, "plugins/oci", null).pushOciImage("v1", PLUGIN);
			PluginSources sources = sources();
			assertThat(sources.fetch("a", "oci://" + registry.host() + "/plugins/docker:v1", null).bytes())
				.isEqualTo(PLUGIN);
			assertThat(sources.fetch("b", "oci://" + registry.host() + "/plugins/nested:v1", null).bytes())
				.isEqualTo(PLUGIN);
			assertThat(sources.fetch("c", "oci://" + registry.host() + "/plugins/oci:v1", null).bytes())
				.isEqualTo(PLUGIN);
		}
	}

	@Test
	void digestPinsTheImageWhileTheTagMoves() throws Exception {
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			ImagePusher pusher = new ImagePusher(registry, "plugins/demo", null);
			String first = pusher.pushWasmArtifact("stable", PLUGIN);
			PluginSources sources = sources();
			String byTag = "oci://" + registry.host() + "/plugins/demo:stable";
			String byDigest = "oci://" + registry.host() + "/plugins/demo@" + first;
			assertThat(sources.fetch("tagged", byTag, null).version()).isEqualTo(first);
			String second = pusher.pushWasmArtifact("stable", OTHER_PLUGIN);
			FetchedBinary moved = sources.fetch("tagged", byTag, null);
			assertThat(moved.version()).isEqualTo(second);
			assertThat(moved.bytes()).isEqualTo(OTHER_PLUGIN);
			FetchedBinary pinned = sources.fetch("pinned", byDigest, null);
			assertThat(pinned.version()).isEqualTo(first);
			assertThat(pinned.bytes()).isEqualTo(PLUGIN);
		}
	}

	@Test
	void refusesAWrongPinAnUnknownTagAndAnImageWithoutPlugin() throws Exception {
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			ImagePusher pusher = new ImagePusher(registry, "plugins/demo", null);
			pusher.pushWasmArtifact("v1", PLUGIN);
			pusher.pushImageWithoutPlugin("text");
			PluginSources sources = sources();
			String location = "oci://" + registry.host() + "/plugins/demo:v1";
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> sources.fetch("demo", location, Sha256.hex(OTHER_PLUGIN)))
				.withMessageContaining("not the pinned " + Sha256.hex(OTHER_PLUGIN));
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> sources.fetch("demo", "oci://" + registry.host() + "/plugins/demo:v9", null))
				.withMessageContaining("the registry has no plugins/demo v9");
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> sources.fetch("demo", "oci://" + registry.host() + "/plugins/demo:text", null))
				.withMessageContaining("no layer this gateway can read a plugin from")
				.withMessageContaining("[text/plain]");
		}
	}

	@Test
	void basicAuthentication() throws Exception {
		try (RegistryServer registry = RegistryServer.basic(this.directory.resolve("registry"))) {
			new ImagePusher(registry, "private/demo", null).pushWasmArtifact("v1", PLUGIN);
			String location = "oci://" + registry.host() + "/private/demo:v1";
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> sources().fetch("demo", location, null))
				.withMessageContaining("asks for a user name and password")
				.withMessageContaining("wasm-gateway.sources.registries.[" + registry.host() + "].username");
			PluginSources withCredentials = SourceTestSupport.settings(null)
				.withPlainHttpLoopback()
				.withRegistryCredentials(registry.host(), RegistryServer.USER, RegistryServer.PASSWORD)
				.sources();
			assertThat(withCredentials.fetch("demo", location, null).bytes()).isEqualTo(PLUGIN);
			PluginSources wrongPassword = SourceTestSupport.settings(null)
				.withPlainHttpLoopback()
				.withRegistryCredentials(registry.host(), RegistryServer.USER, "wrong")
				.sources();
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> wrongPassword.fetch("demo", location, null))
				.withMessageContaining("the registry refused access to private/demo (HTTP 401)");
		}
	}

	@Test
	void bearerTokenAuthentication() throws Exception {
		TestCertificate certificate = TestCertificate.shared();
		try (TokenServer tokens = TokenServer.start(certificate);
				RegistryServer registry = RegistryServer.token(this.directory.resolve("registry"), tokens)) {
			new ImagePusher(registry, "private/demo", null).pushWasmArtifact("v1", PLUGIN);
			String location = "oci://" + registry.host() + "/private/demo:v1";
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> sources().fetch("demo", location, null))
				.withMessageContaining("the registry refused access to private/demo");
			PluginSources withCredentials = SourceTestSupport.settings(null)
				.withPlainHttpLoopback()
				.withRegistryCredentials(registry.host(), RegistryServer.USER, RegistryServer.PASSWORD)
				.sources();
			int issued = tokens.tokensIssued.get();
			assertThat(withCredentials.fetch("demo", location, null).bytes()).isEqualTo(PLUGIN);
			assertThat(withCredentials.fetch("demo", location, null).bytes()).isEqualTo(PLUGIN);
			assertThat(tokens.tokensIssued.get() - issued).as("the token is reused").isEqualTo(1);
		}
	}

	@Test
	void tlsRegistryWithTheConfiguredTrust() throws Exception {
		TestCertificate certificate = TestCertificate.shared();
		try (RegistryServer registry = RegistryServer.tls(this.directory.resolve("registry"), certificate)) {
			new ImagePusher(registry, "plugins/demo", certificate.clientContext()).pushWasmArtifact("v1", PLUGIN);
			String location = "oci://" + registry.host() + "/plugins/demo:v1";
			PluginSources trusting = SourceTestSupport.settings(null).withTrust(certificate.clientContext()).sources();
			assertThat(trusting.fetch("demo", location, null).bytes()).isEqualTo(PLUGIN);
			PluginSources untrusting = SourceTestSupport.settings(null).withRetries(0).sources();
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> untrusting.fetch("demo", location, null))
				.withMessageContaining("SSLHandshakeException");
		}
	}

	@Test
	void plainHttpRegistryOnlyWhenAllowed() throws Exception {
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			new ImagePusher(registry, "plugins/demo", null).pushWasmArtifact("v1", PLUGIN);
			String location = "oci://" + registry.host() + "/plugins/demo:v1";
			PluginSources tlsOnly = SourceTestSupport.settings(null).withRetries(0).sources();
			assertThatExceptionOfType(PluginSourceException.class)
				.isThrownBy(() -> tlsOnly.fetch("demo", location, null))
				.withMessageContaining("https://" + registry.host() + "/v2/plugins/demo/manifests/v1");
		}
	}

	@Test
	void registryDownAtStartUsesTheVerifiedLocalCopy() throws Exception {
		Path copies = this.directory.resolve("copies");
		String location;
		try (RegistryServer registry = RegistryServer.anonymous(this.directory.resolve("registry"))) {
			new ImagePusher(registry, "plugins/demo", null).pushWasmArtifact("v1", PLUGIN);
			location = "oci://" + registry.host() + "/plugins/demo:v1";
			assertThat(SourceTestSupport.settings(copies)
				.withPlainHttpLoopback()
				.sources()
				.fetch("demo", location, null)
				.fromLocalCopy()).isFalse();
		}
		FetchedBinary restarted = SourceTestSupport.settings(copies)
			.withPlainHttpLoopback()
			.withRetries(0)
			.sources()
			.fetch("demo", location, null);
		assertThat(restarted.fromLocalCopy()).isTrue();
		assertThat(restarted.bytes()).isEqualTo(PLUGIN);
		Path copy = copies.resolve("demo.wasm");
		byte[] tampered = Files.readAllBytes(copy);
		tampered[tampered.length - 1] ^= 1;
		Files.write(copy, tampered);
		assertThatExceptionOfType(PluginSourceException.class)
			.isThrownBy(() -> SourceTestSupport.settings(copies)
				.withPlainHttpLoopback()
				.withRetries(0)
				.sources()
				.fetch("demo", location, null))
			.withMessageContaining("there is no verified local copy to start from")
			.satisfies((ex) -> assertThat(ex.isUnreachable()).isTrue());
	}

	private static PluginSources sources() {
		return SourceTestSupport.settings(null).withPlainHttpLoopback().sources();
	}

}
