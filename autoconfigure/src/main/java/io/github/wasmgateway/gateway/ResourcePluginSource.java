package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.PluginBinary;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Binaries at any location Spring's {@link ResourceLoader} reads ({@code file:},
 * {@code classpath:}, {@code https:} with a pinned sha256).
 */
public final class ResourcePluginSource implements PluginSource {

	private final ResourceLoader resources;

	private final long maxBinaryBytes;

	public ResourcePluginSource(ResourceLoader resources) {
		this(resources, PluginLimits.DEFAULTS.maxBinaryBytes());
	}

	public ResourcePluginSource(ResourceLoader resources, long maxBinaryBytes) {
		this.resources = resources;
		this.maxBinaryBytes = maxBinaryBytes;
	}

	@Override
	public PluginBinary read(PluginDefinition definition) {
		String location = definition.location();
		if (location.startsWith("https:") || location.startsWith("http:")) {
			if (definition.sha256() == null || definition.sha256().isBlank()) {
				throw new WasmPluginException(definition.name(), null,
						"a plugin downloaded from " + location + " must have its sha256 pinned",
						"Set wasm-gateway.plugins." + definition.name() + ".sha256 to the binary's sha256.", null);
			}
		}
		Resource resource = this.resources.getResource(location);
		try (InputStream in = resource.getInputStream()) {
			// one byte past the limit tells a binary that is too large without reading it
			// all
			byte[] bytes = in.readNBytes((int) Math.min(this.maxBinaryBytes + 1, Integer.MAX_VALUE - 8));
			if (bytes.length > this.maxBinaryBytes) {
				throw new WasmPluginException(definition.name(), null,
						location + " is larger than the " + this.maxBinaryBytes
								+ " bytes allowed (wasm-gateway.max-binary-size)",
						"Raise wasm-gateway.max-binary-size if the plugin really is that large.", null);
			}
			return PluginBinary.of(bytes, location);
		}
		catch (IOException ex) {
			throw new WasmPluginException(definition.name(), null,
					"cannot read " + location + " (" + ex.getMessage() + ")",
					"Check that wasm-gateway.plugins." + definition.name() + ".location points at a .wasm file.", ex);
		}
	}

}
