package io.github.wasmgateway.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code oci://registry[:port]/repository[:tag]} or {@code ...@sha256:<hex>}, as Higress
 * and Istio write image references (without a tag: {@code latest}, as they do).
 *
 * @param registry host, or host:port
 * @param repository path inside the registry
 * @param tag the tag, or null when pinned by digest
 * @param digest {@code sha256:<hex>} of the manifest, or null when resolved by tag
 */
record OciReference(String registry, String repository, String tag, String digest) {

	static final String SCHEME = "oci://";

	private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

	private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

	private static final Pattern REGISTRY = Pattern.compile("(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\])(?::[0-9]{1,5})?");

	static OciReference parse(String location) {
		if (!location.startsWith(SCHEME)) {
			throw invalid(location, "it does not start with oci://");
		}
		String rest = location.substring(SCHEME.length());
		int slash = rest.indexOf('/');
		if (slash <= 0) {
			throw invalid(location, "it names no repository after the registry");
		}
		String registry = rest.substring(0, slash);
		if (!REGISTRY.matcher(registry).matches()) {
			throw invalid(location, "'" + registry + "' is not a registry host[:port]");
		}
		String path = rest.substring(slash + 1);
		String digest = null;
		int at = path.indexOf('@');
		if (at >= 0) {
			digest = path.substring(at + 1);
			path = path.substring(0, at);
			if (!digest.startsWith("sha256:") || !Sha256.isHex(digest.substring(7))) {
				throw invalid(location, "the digest must be sha256:<64 hex digits>");
			}
			digest = digest.toLowerCase();
		}
		String tag = null;
		int colon = path.lastIndexOf(':');
		if (colon >= 0) {
			tag = path.substring(colon + 1);
			path = path.substring(0, colon);
			if (!TAG.matcher(tag).matches()) {
				throw invalid(location, "'" + tag + "' is not a valid tag");
			}
		}
		for (String component : path.split("/", -1)) {
			Matcher matcher = COMPONENT.matcher(component);
			if (!matcher.matches()) {
				throw invalid(location, "'" + path + "' is not a valid repository (lower-case letters, digits, "
						+ "separators . _ -, components joined by /)");
			}
		}
		if (digest != null) {
			tag = null;
		}
		else if (tag == null) {
			tag = "latest";
		}
		return new OciReference(registry, path, tag, digest);
	}

	private static PluginSourceException invalid(String location, String why) {
		return PluginSourceException.refused(location + " is not an OCI image reference: " + why
				+ " (write oci://registry/repository:tag " + "or oci://registry/repository@sha256:<digest>)");
	}

	/** The tag or digest a manifest is asked for by. */
	String reference() {
		return (this.digest != null) ? this.digest : this.tag;
	}

	boolean pinned() {
		return this.digest != null;
	}

	@Override
	public String toString() {
		return SCHEME + this.registry + "/" + this.repository
				+ ((this.digest != null) ? "@" + this.digest : ":" + this.tag);
	}

}
