package io.github.wasmgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plugin that traps on some requests, under concurrent load on every worker of the
 * packaged gateway: each trap costs only its own request (503, fail-closed), every other
 * request succeeds with the default settings (envoy#16726 is the opposite).
 */
class TrapStormIT {

	static DemoGateway gateway;

	@BeforeAll
	static void start() throws Exception {
		gateway = DemoGateway.start();
	}

	@AfterAll
	static void stop() throws Exception {
		gateway.close();
	}

	@Test
	void eachTrapCostsOnlyItsOwnRequest() throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		int connections = 8;
		int perConnection = 60;
		List<CompletableFuture<Map<String, List<Integer>>>> runs = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			int offset = c;
			runs.add(CompletableFuture.supplyAsync(() -> run(client, offset, perConnection)));
		}
		Map<String, List<Integer>> statuses = new TreeMap<>(Map.of("trap", new ArrayList<>(), "ok", new ArrayList<>()));
		for (CompletableFuture<Map<String, List<Integer>>> run : runs) {
			run.get().forEach((kind, codes) -> statuses.get(kind).addAll(codes));
		}
		// one request in ten traps (about 10%, far more than the 1% of the load test)
		assertThat(statuses.get("trap")).hasSize(connections * perConnection / 10).containsOnly(503);
		assertThat(statuses.get("ok")).hasSize(connections * perConnection * 9 / 10).containsOnly(200);
	}

	private static Map<String, List<Integer>> run(HttpClient client, int offset, int requests) {
		Map<String, List<Integer>> statuses = Map.of("trap", new ArrayList<>(), "ok", new ArrayList<>());
		for (int i = 0; i < requests; i++) {
			boolean trap = (i + offset) % 10 == 0;
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url("/trap/x")))
				.timeout(Duration.ofSeconds(30));
			if (trap) {
				request.header("x-trap", "1");
			}
			try {
				int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
				statuses.get(trap ? "trap" : "ok").add(status);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		return statuses;
	}

}
