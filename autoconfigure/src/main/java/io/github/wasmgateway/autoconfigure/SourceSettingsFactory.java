package io.github.wasmgateway.autoconfigure;

import io.github.wasmgateway.source.SourceSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundles;

/** {@code wasm-gateway.sources.*} as the plugin sources take them. */
final class SourceSettingsFactory {

	private SourceSettingsFactory() {
	}

	static SourceSettings of(WasmGatewayProperties properties, SslBundles sslBundles) {
		WasmGatewayProperties.Sources sources = properties.getSources();
		SSLContext sslContext = null;
		if (sources.getSslBundle() != null && !sources.getSslBundle().isBlank()) {
			if (sslBundles == null) {
				throw new IllegalStateException("wasm-gateway.sources.ssl-bundle is set to '" + sources.getSslBundle()
						+ "' but this application has no SSL bundles (spring.ssl.bundle.*)");
			}
			sslContext = sslBundles.getBundle(sources.getSslBundle()).createSslContext();
		}
		Map<String, SourceSettings.Credentials> registries = new LinkedHashMap<>();
		sources.getRegistries()
			.forEach((host, registry) -> registries.put(host,
					new SourceSettings.Credentials(registry.getUsername(), registry.getPassword())));
		return new SourceSettings(sources.getConnectTimeout(), sources.getReadTimeout(), sources.getRetries(),
				sources.getRetryBackoff(), properties.getMaxBinarySize().toBytes(), sources.getLocalCopies(),
				sslContext, sources.isPlainHttpLoopback(), registries);
	}

}
