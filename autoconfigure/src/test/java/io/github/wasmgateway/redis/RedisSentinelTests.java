package io.github.wasmgateway.redis;

import static io.github.wasmgateway.redis.RedisTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.redis.RedisTestSupport.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plugins' Redis calls through Sentinel, against real servers the test starts: a master,
 * a replica and a Sentinel watching them. Calls reach the master Sentinel names, and
 * follow it when Sentinel switches the master over to the replica.
 */
class RedisSentinelTests {

	static RedisServer master;

	static RedisServer replica;

	static RedisServer sentinel;

	@BeforeAll
	static void start() {
		master = RedisServer.launch();
		replica = RedisServer.launch("--replicaof", "127.0.0.1", Integer.toString(master.port()));
		RedisClusterServers.await("the replica is in sync",
				() -> replica.text("INFO", "replication").contains("master_link_status:up"));
		sentinel = RedisServer.launchSentinel("main", master.port());
		RedisClusterServers.await("the sentinel knows the replica",
				() -> sentinel.text("INFO", "sentinel").contains("slaves=1"));
	}

	@AfterAll
	static void stop() {
		for (RedisServer server : new RedisServer[] { sentinel, replica, master }) {
			if (server != null) {
				server.close();
			}
		}
	}

	static String port(WasmRedisClient client) {
		Reply reply = call(client, "p", "sentinel", "INFO", "server");
		if (reply.status() != 0) {
			return "status " + reply.status();
		}
		String text = reply.text();
		int at = text.indexOf("tcp_port:");
		return text.substring(at + 9, text.indexOf("\r\n", at));
	}

	@Test
	void callsReachTheMasterSentinelNamesAndFollowASwitch() throws Exception {
		WasmGatewayRedisProperties properties = new WasmGatewayRedisProperties();
		WasmGatewayRedisProperties.Cluster cluster = new WasmGatewayRedisProperties.Cluster();
		cluster.getSentinel().setMaster("main");
		cluster.getSentinel().setNodes(List.of("127.0.0.1:" + sentinel.port()));
		cluster.setTimeout(Duration.ofSeconds(5));
		properties.getClusters().put("sentinel", cluster);
		properties.setReconnectDelay(Duration.ofMillis(200));
		try (RedisTestSupport.Client owner = RedisTestSupport.client(properties)) {
			WasmRedisClient client = owner.redis();
			assertThat(client.init("p", "sentinel", "", "", Duration.ofSeconds(5))).isTrue();
			assertThat(port(client)).isEqualTo(Integer.toString(master.port()));
			assertThat(call(client, "p", "sentinel", "SET", "sentinel:k", "before").text()).isEqualTo("+OK\r\n");

			assertThat(sentinel.command("SENTINEL", "FAILOVER", "main")).isEqualTo("+OK");
			// the replica becomes the master; the old master's clients are disconnected
			// and
			// Lettuce asks Sentinel again where the master is
			String port = Eventually.poll(() -> port(client), Integer.toString(replica.port())::equals,
					Duration.ofSeconds(60), Duration.ofMillis(100));
			assertThat(port).isEqualTo(Integer.toString(replica.port()));
			assertThat(call(client, "p", "sentinel", "GET", "sentinel:k").text()).isEqualTo("$6\r\nbefore\r\n");
			assertThat(call(client, "p", "sentinel", "SET", "sentinel:k", "after").text()).isEqualTo("+OK\r\n");
			assertThat(replica.text("GET", "sentinel:k")).isEqualTo("after");
		}
	}

}
