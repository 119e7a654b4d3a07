package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.host.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Building commands and waiting for replies in the Redis tests. */
final class RedisTestSupport {

	private RedisTestSupport() {
	}

	/** A reply as the plugin gets it. */
	record Reply(int status, byte[] bytes) {

		String text() {
			return new String(this.bytes, StandardCharsets.ISO_8859_1);
		}

	}

	/** The RESP array of bulk strings an SDK sends. */
	static byte[] resp(String... words) {
		StringBuilder text = new StringBuilder("*").append(words.length).append("\r\n");
		for (String word : words) {
			text.append('$')
				.append(word.getBytes(StandardCharsets.ISO_8859_1).length)
				.append("\r\n")
				.append(word)
				.append("\r\n");
		}
		return text.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	static CompletableFuture<Reply> send(RedisClient client, String plugin, String cluster, byte[] command) {
		CompletableFuture<Reply> reply = new CompletableFuture<>();
		boolean started = client.call(plugin, cluster, command, (status, bytes) -> {
			if (!reply.complete(new Reply(status, bytes))) {
				throw new AssertionError("completion ran twice");
			}
		});
		assertThat(started).as("call started").isTrue();
		return reply;
	}

	static Reply call(RedisClient client, String plugin, String cluster, String... words) {
		return await(send(client, plugin, cluster, resp(words)));
	}

	static Reply await(CompletableFuture<Reply> reply) {
		try {
			return reply.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("no completion within 10 s", ex);
		}
	}

	/** A client as the auto-configuration builds it, with its own Lettuce resources. */
	static Client client(WasmGatewayRedisProperties properties) {
		RedisEndpoints endpoints = new RedisEndpoints(properties.getReconnectDelay(), List.of());
		return new Client(new WasmRedisClient(new RedisClusterResolver(properties, null), endpoints), endpoints);
	}

	/** A client and the endpoints it owns. */
	record Client(WasmRedisClient redis, RedisEndpoints endpoints) implements AutoCloseable {

		@Override
		public void close() {
			this.redis.close();
			this.endpoints.close();
		}

	}

	static WasmGatewayRedisProperties.Cluster cluster(String url) {
		WasmGatewayRedisProperties.Cluster cluster = new WasmGatewayRedisProperties.Cluster();
		cluster.setUrl(url);
		cluster.setTimeout(Duration.ofSeconds(5));
		return cluster;
	}

}
