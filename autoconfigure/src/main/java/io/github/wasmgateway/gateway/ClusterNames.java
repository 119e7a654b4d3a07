package io.github.wasmgateway.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * How a cluster name a plugin passes ({@code proxy_http_call}, {@code proxy_redis_init})
 * is looked up among the configured clusters. Higress plugins name clusters as Envoy does
 * ({@code outbound|<port>|<subset>|<host>}, e.g.
 * {@code outbound|8080||auth.default.svc.cluster.local}), so such a name also finds a
 * cluster configured under its host or the host's first label.
 */
public final class ClusterNames {

	private ClusterNames() {
	}

	/** The name itself, then for Higress names the host part and its first label. */
	public static List<String> candidates(String name) {
		List<String> candidates = new ArrayList<>(3);
		candidates.add(name);
		int bar = name.lastIndexOf('|');
		if (bar >= 0 && bar < name.length() - 1) {
			String host = name.substring(bar + 1);
			candidates.add(host);
			int dot = host.indexOf('.');
			if (dot > 0) {
				candidates.add(host.substring(0, dot));
			}
		}
		return candidates;
	}

}
