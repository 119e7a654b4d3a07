package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Instance;
import java.io.InputStream;
import java.util.Properties;

/**
 * The Chicory version on the class path, part of every compile-cache key.
 */
final class ChicoryVersion {

	static final String VALUE = read();

	private ChicoryVersion() {
	}

	private static String read() {
		try (InputStream in = Instance.class
			.getResourceAsStream("/META-INF/maven/com.dylibso.chicory/runtime/pom.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				return properties.getProperty("version", "unknown");
			}
		}
		catch (Exception ex) {
			// fall through
		}
		String version = Instance.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "unknown";
	}

}
