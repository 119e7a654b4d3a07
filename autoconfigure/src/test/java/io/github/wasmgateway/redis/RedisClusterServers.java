package io.github.wasmgateway.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Redis Cluster the tests create from real redis-server processes on free loopback
 * ports: masters with the 16384 slots split evenly among them, each with as many replicas
 * as asked. It can fail a master over to its replica and move a slot from one master to
 * another while clients use it.
 */
final class RedisClusterServers implements AutoCloseable {

	static final int SLOTS = 16384;

	private final List<RedisServer> masters = new ArrayList<>();

	private final List<RedisServer> replicas = new ArrayList<>();

	private RedisClusterServers() {
	}

	/** Starts {@code masters} masters with {@code replicasEach} replicas each. */
	static RedisClusterServers create(int masters, int replicasEach) {
		RedisClusterServers cluster = new RedisClusterServers();
		try {
			for (int i = 0; i < masters; i++) {
				cluster.masters.add(RedisServer.launchClusterNode());
			}
			for (int i = 0; i < masters * replicasEach; i++) {
				cluster.replicas.add(RedisServer.launchClusterNode());
			}
			RedisServer first = cluster.masters.get(0);
			for (RedisServer node : cluster.all()) {
				if (node != first) {
					expectOk(node.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(first.port())));
				}
			}
			for (int i = 0; i < masters; i++) {
				List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
				for (int slot = SLOTS * i / masters; slot < SLOTS * (i + 1) / masters; slot++) {
					command.add(Integer.toString(slot));
				}
				expectOk(cluster.masters.get(i).command(command.toArray(String[]::new)));
			}
			await("every node knows every other",
					() -> cluster.all()
						.stream()
						.allMatch((node) -> node.text("CLUSTER", "NODES").lines().count() == cluster.all().size()));
			for (int i = 0; i < cluster.replicas.size(); i++) {
				RedisServer master = cluster.masters.get(i % masters);
				expectOk(cluster.replicas.get(i).command("CLUSTER", "REPLICATE", id(master)));
			}
			await("the cluster is up and every replica in sync", () -> cluster.all()
				.stream()
				.allMatch((node) -> node.text("CLUSTER", "INFO").contains("cluster_state:ok"))
					&& cluster.replicas.stream()
						.allMatch((replica) -> replica.text("INFO", "replication").contains("master_link_status:up")));
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	List<RedisServer> masters() {
		return this.masters;
	}

	List<RedisServer> all() {
		List<RedisServer> all = new ArrayList<>(this.masters);
		all.addAll(this.replicas);
		return all;
	}

	/**
	 * The nodes as {@code wasm-gateway.redis.clusters.<name>.cluster.nodes} takes them.
	 */
	List<String> nodes() {
		return this.masters.stream().map((node) -> "127.0.0.1:" + node.port()).toList();
	}

	/** The node's id in the cluster. */
	static String id(RedisServer node) {
		return node.text("CLUSTER", "MYID");
	}

	/** The hash slot of {@code key}, as the cluster computes it. */
	int slot(String key) {
		return Integer.parseInt(this.masters.get(0).text("CLUSTER", "KEYSLOT", key));
	}

	/** The node that serves {@code slot} now (as the first node it answers sees it). */
	RedisServer masterOf(int slot) {
		for (RedisServer node : all()) {
			if (node.text("INFO", "replication").contains("role:master") && servesSlot(node, slot)) {
				return node;
			}
		}
		throw new IllegalStateException("no master serves slot " + slot);
	}

	private static boolean servesSlot(RedisServer node, int slot) {
		String myself = node.text("CLUSTER", "NODES")
			.lines()
			.filter((line) -> line.contains("myself"))
			.findFirst()
			.orElseThrow();
		String[] fields = myself.split(" ");
		for (int i = 8; i < fields.length; i++) {
			String range = fields[i];
			if (range.startsWith("[")) {
				continue;
			}
			String[] bounds = range.split("-");
			int from = Integer.parseInt(bounds[0]);
			int to = Integer.parseInt(bounds[bounds.length - 1]);
			if (slot >= from && slot <= to) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Fails {@code master} over to its replica (CLUSTER FAILOVER on the replica, as an
	 * operator does before maintenance) and returns the new master.
	 */
	RedisServer failOver(RedisServer master) {
		RedisServer replica = replicaOf(id(master));
		expectOk(replica.command("CLUSTER", "FAILOVER"));
		await("the replica took over", () -> replica.text("INFO", "replication").contains("role:master")
				&& master.text("INFO", "replication").contains("role:slave"));
		this.masters.set(this.masters.indexOf(master), replica);
		this.replicas.set(this.replicas.indexOf(replica), master);
		return replica;
	}

	/**
	 * Stops {@code master} as a crash would, waits until the cluster has promoted its
	 * replica, then starts the old master again (it comes back as the new master's
	 * replica); returns the new master.
	 */
	RedisServer crash(RedisServer master) {
		String masterId = id(master);
		RedisServer replica = replicaOf(masterId);
		master.stop();
		await("the replica was promoted", () -> replica.text("INFO", "replication").contains("role:master")
				&& replica.text("CLUSTER", "INFO").contains("cluster_state:ok"));
		master.start();
		await("the old master is back as a replica",
				() -> master.text("INFO", "replication").contains("master_link_status:up"));
		this.masters.set(this.masters.indexOf(master), replica);
		this.replicas.set(this.replicas.indexOf(replica), master);
		return replica;
	}

	private RedisServer replicaOf(String masterId) {
		return this.replicas.stream()
			.filter((node) -> node.text("CLUSTER", "NODES")
				.lines()
				.anyMatch((line) -> line.contains("myself") && line.contains(masterId)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no replica of " + masterId));
	}

	/**
	 * Moves {@code slot} with its keys from {@code source} to {@code target}, the way
	 * redis-cli --cluster reshard does: IMPORTING/MIGRATING, MIGRATE of the keys, then
	 * SETSLOT NODE on every master.
	 */
	void moveSlot(int slot, RedisServer source, RedisServer target) {
		String sourceId = id(source);
		String targetId = id(target);
		String number = Integer.toString(slot);
		expectOk(target.command("CLUSTER", "SETSLOT", number, "IMPORTING", sourceId));
		expectOk(source.command("CLUSTER", "SETSLOT", number, "MIGRATING", targetId));
		while (true) {
			String keys = source.text("CLUSTER", "COUNTKEYSINSLOT", number);
			if (keys.equals("0")) {
				break;
			}
			List<String> migrate = new ArrayList<>(
					List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000", "KEYS"));
			migrate.addAll(keysInSlot(source, slot));
			String reply = source.command(migrate.toArray(String[]::new));
			if (!reply.equals("+OK") && !reply.equals("+NOKEY")) {
				throw new IllegalStateException("MIGRATE answered " + reply);
			}
		}
		for (RedisServer node : this.masters) {
			expectOk(node.command("CLUSTER", "SETSLOT", number, "NODE", targetId));
		}
	}

	private static List<String> keysInSlot(RedisServer node, int slot) {
		return node.array("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "1000");
	}

	private static void expectOk(String reply) {
		if (!reply.equals("+OK")) {
			throw new IllegalStateException("a cluster command answered " + reply);
		}
	}

	static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("timed out waiting until " + what);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public void close() {
		for (RedisServer node : all()) {
			node.close();
		}
	}

}
