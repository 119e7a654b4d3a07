package io.github.wasmgateway.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a registry (or whoever answers in its place) sends is untrusted: image references
 * as configured, manifests and indexes, layer archives. Whatever the bytes, reading them
 * ends in a plugin or in our {@link PluginSourceException} naming the location; no other
 * exception, no hang, no allocation beyond the size limit.
 */
class RegistryAnswersFuzzTests {

	private static final long MAX_BYTES = 1024 * 1024;

	private static final String LOCATION = "oci://registry.test/fuzz:v1";

	@FuzzTest(maxDuration = "10s")
	void registryAnswersReadOrFailWithOurError(FuzzedDataProvider data) {
		try {
			switch (data.consumeInt(0, 3)) {
				case 0 -> OciReference.parse(data.consumeRemainingAsString());
				case 1 -> {
					byte[] tar = data.consumeRemainingAsBytes();
					assertThat(TarGz.extract(gzip(tar), "plugin.wasm", MAX_BYTES, LOCATION))
						.hasSizeLessThanOrEqualTo((int) MAX_BYTES);
				}
				case 2 -> TarGz.extract(data.consumeRemainingAsBytes(), "plugin.wasm", MAX_BYTES, LOCATION);
				default -> {
					byte[] manifest = data.consumeBytes(data.consumeInt(0, 4096));
					byte[] layer = data.consumeRemainingAsBytes();
					var image = WasmImage.parse(manifest, LOCATION);
					if (WasmImage.isIndex(image)) {
						WasmImage.choose(image, LOCATION);
					}
					else {
						WasmImage.extract(image, (digest) -> layer, MAX_BYTES, LOCATION);
					}
				}
			}
		}
		catch (PluginSourceException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	private static byte[] gzip(byte[] data) {
		try {
			return ImagePusher.gzip(data);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
