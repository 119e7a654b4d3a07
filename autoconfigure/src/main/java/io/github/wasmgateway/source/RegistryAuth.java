package io.github.wasmgateway.source;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a registry's {@code WWW-Authenticate} challenge as the distribution protocol
 * does: {@code Basic} with the configured credentials; {@code Bearer} by asking the
 * challenge's realm for a token for the challenge's service and scope (with the
 * credentials, when configured, as Basic authentication; anonymously otherwise).
 */
final class RegistryAuth {

	private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpFetcher fetcher;

	RegistryAuth(HttpFetcher fetcher) {
		this.fetcher = fetcher;
	}

	/**
	 * The Authorization header that answers {@code challenge}.
	 * @throws PluginSourceException when the challenge cannot be answered
	 */
	String authorize(String challenge, OciReference reference, String location) {
		SourceSettings.Credentials credentials = this.fetcher.settings().registries().get(reference.registry());
		if (challenge == null || challenge.isBlank()) {
			throw PluginSourceException
				.refused(location + ": the registry answered 401 without saying how to authenticate");
		}
		String scheme = challenge.trim().split("\\s+", 2)[0];
		if (scheme.equalsIgnoreCase("Basic")) {
			if (credentials == null) {
				throw PluginSourceException.refused(location + ": the registry " + reference.registry()
						+ " asks for a user name and password; set wasm-gateway.sources.registries.["
						+ reference.registry() + "].username and .password");
			}
			return basic(credentials);
		}
		if (!scheme.equalsIgnoreCase("Bearer")) {
			throw PluginSourceException
				.refused(location + ": the registry asks for " + scheme + " authentication, which is not supported");
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		Matcher matcher = PARAMETER.matcher(challenge);
		while (matcher.find()) {
			parameters.put(matcher.group(1).toLowerCase(), matcher.group(2));
		}
		String realm = parameters.get("realm");
		if (realm == null) {
			throw PluginSourceException.refused(location + ": the registry's Bearer challenge names no realm");
		}
		StringBuilder query = new StringBuilder();
		if (parameters.containsKey("service")) {
			query.append("service=").append(encode(parameters.get("service")));
		}
		String scope = parameters.getOrDefault("scope", "repository:" + reference.repository() + ":pull");
		query.append((query.length() > 0) ? "&" : "").append("scope=").append(encode(scope));
		URI tokenUri;
		try {
			tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
		}
		catch (IllegalArgumentException ex) {
			throw PluginSourceException.refused(location + ": the registry's token realm is not a URL: " + realm);
		}
		this.fetcher.checkScheme(tokenUri, location);
		Map<String, String> headers = (credentials != null) ? Map.of("Authorization", basic(credentials)) : Map.of();
		HttpFetcher.Response response = this.fetcher.get(tokenUri, headers, 1024 * 1024, location);
		if (response.status() != 200) {
			throw PluginSourceException.refused(location + ": the registry's token service " + tokenUri.getHost()
					+ " answered HTTP " + response.status()
					+ ((credentials == null)
							? "; the image may need credentials (wasm-gateway.sources.registries.["
									+ reference.registry() + "].username and .password)"
							: "; check the credentials of " + reference.registry()));
		}
		try {
			JsonNode body = json.readTree(response.body());
			JsonNode token = body.path("token");
			if (!token.isString() || token.asString().isEmpty()) {
				token = body.path("access_token");
			}
			if (!token.isString() || token.asString().isEmpty()) {
				throw PluginSourceException.refused(location + ": the registry's token service sent no token");
			}
			return "Bearer " + token.asString();
		}
		catch (JacksonException ex) {
			throw PluginSourceException.refused(location + ": the registry's token service sent no JSON");
		}
	}

	private static String basic(SourceSettings.Credentials credentials) {
		String pair = credentials.username() + ":" + credentials.password();
		return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
