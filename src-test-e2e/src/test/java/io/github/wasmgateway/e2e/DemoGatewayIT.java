package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged demo gateway, over real HTTP: what the README's curl lines show.
 */
class DemoGatewayIT {

	static DemoGateway gateway;

	static final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		gateway = DemoGateway.start();
	}

	@AfterAll
	static void stop() throws Exception {
		gateway.close();
	}

	static HttpResponse<String> get(String path, String... headers) throws Exception {
		return gateway.get(path, headers);
	}

	@Test
	void pluginEditsHeadersAndRewritesTheBody() throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/rust/hello")))
			.POST(HttpRequest.BodyPublishers.ofString("hello world"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("POST /rust/hello")
			.contains("x-rust-path: /rust/hello")
			.contains("content-length: 11")
			.doesNotContain("transfer-encoding")
			.contains("\n\ndlrow olleh");
	}

	@Test
	void pluginAnswersLocallyWithoutTheUpstream() throws Exception {
		HttpResponse<String> response = get("/deny/me");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("x-as")).hasValue("1");
		assertThat(response.body()).isEqualTo("denied by as-plugin");
	}

	@Test
	void calloutToTheNamedClusterReachesThePlugin() throws Exception {
		HttpResponse<String> response = get("/ex/call", "x-op", "http-call", "x-cluster", "echo");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("x-callout-status: 200");
	}

	@Test
	void perRouteConfigurationKeepsHigressRuleKeys() throws Exception {
		assertThat(get("/ex/config", "x-op", "get-buffer:7").body()).contains(
				"x-result: {\"route\":\"exerciser\",\"_rules_\":[{\"_match_route_\":[\"exerciser\"],\"limit\":10}]}");
	}

	@Test
	void builtInKeyAuthProtectsItsRoutes() throws Exception {
		assertThat(get("/key/x").statusCode()).isEqualTo(401);
		assertThat(get("/key/x", "x-api-key", "wrong").statusCode()).isEqualTo(401);
		HttpResponse<String> bob = get("/key/x", "x-api-key", "bob-key");
		assertThat(bob.statusCode()).isEqualTo(200);
		assertThat(bob.body()).contains("x-mse-consumer: bob");
		assertThat(get("/alice/x", "x-api-key", "bob-key").statusCode()).isEqualTo(403);
		assertThat(get("/alice/x", "x-api-key", "alice-key").statusCode()).isEqualTo(200);
	}

	@Test
	void builtInBasicAuthAndBotDetect() throws Exception {
		assertThat(get("/basic/x").statusCode()).isEqualTo(401);
		String credentials = java.util.Base64.getEncoder().encodeToString("carol:secret".getBytes());
		assertThat(get("/basic/x", "Authorization", "Basic " + credentials).statusCode()).isEqualTo(200);
		HttpResponse<String> bot = get("/bots/x", "User-Agent", "Googlebot/2.1");
		assertThat(bot.statusCode()).isEqualTo(403);
		assertThat(bot.body()).isEqualTo("no bots here");
		assertThat(get("/bots/x", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0").statusCode())
			.isEqualTo(200);
	}

	@Test
	void builtInJwtAuthChecksTheTokenAndPassesItsClaims() throws Exception {
		String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImRlbW8ifQ"
				+ ".eyJpc3MiOiJkZW1vLWlzc3VlciIsInN1YiI6ImRhdmUiLCJleHAiOjQxMDI0NDQ4MDB9"
				+ ".IZ3r_ll5b4HTi9bDhdT4a7Ham72_nVhyvIK3jWAsPaI";
		assertThat(get("/jwt/x").statusCode()).isEqualTo(401);
		assertThat(get("/jwt/x", "Authorization", "Bearer " + token + "x").statusCode()).isEqualTo(401);
		HttpResponse<String> ok = get("/jwt/x", "Authorization", "Bearer " + token);
		assertThat(ok.statusCode()).isEqualTo(200);
		assertThat(ok.body()).contains("x-user: dave");
	}

	@Test
	void builtInOauthIssuesATokenThatOpensTheRoute() throws Exception {
		HttpResponse<String> issued = get(
				"/oauth/oauth2/token?grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
		assertThat(issued.statusCode()).isEqualTo(200);
		String token = issued.body().replaceAll(".*\"access_token\":\"([^\"]*)\".*", "$1");
		assertThat(get("/oauth/x").statusCode()).isEqualTo(401);
		assertThat(get("/oauth/x", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
	}

	@Test
	void builtInHmacAuthChecksTheSignature() throws Exception {
		// as curl users send it (`date -u '+%a, %d %b %Y %H:%M:%S GMT'`): a two-digit day
		String date = java.time.format.DateTimeFormatter
			.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US)
			.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(new javax.crypto.spec.SecretKeySpec("sk1".getBytes(), "HmacSHA256"));
		String signature = java.util.Base64.getEncoder()
			.encodeToString(mac.doFinal(("ak1\nGET /hmac/x\ndate: " + date + "\n").getBytes()));
		String authorization = "Signature keyId=\"ak1\",algorithm=\"hmac-sha256\",headers=\"@request-target date\","
				+ "signature=\"" + signature + "\"";
		assertThat(get("/hmac/x").statusCode()).isEqualTo(401);
		assertThat(get("/hmac/x", "Date", date, "Authorization", authorization).statusCode()).isEqualTo(200);
		assertThat(get("/hmac/x", "Date", date, "Authorization", authorization.replace("signature=\"", "signature=\"A"))
			.statusCode()).isIn(401, 403);
	}

	@Test
	void builtInRateLimitAnswers429OverTheLimit() throws Exception {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			statuses.add(get("/limited/x", "x-user", "demo").statusCode());
		}
		assertThat(statuses).containsExactly(200, 200, 200, 429);
		assertThat(get("/limited/x", "x-user", "demo").headers().firstValue("x-ratelimit-limit")).hasValue("3");
	}

	@Test
	void trappingPluginFailsClosedAndConcurrentRequestsAreUnaffected() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> normal = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			normal.add(client.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("/as/ok/" + i))).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		HttpResponse<String> trapped = get("/trap/x", "x-trap", "1");
		assertThat(trapped.statusCode()).isEqualTo(503);
		assertThat(trapped.body()).contains("plugin 'trapper' failed");
		for (CompletableFuture<HttpResponse<String>> response : normal) {
			assertThat(response.get().statusCode()).isEqualTo(200);
		}
		assertThat(gateway.log()).contains("plugin 'trapper' on route 'trap' failed in proxy_on_request_headers")
			.contains("at crash_here[");
	}

}
