package dev.mlops.core.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real Redis Cluster of master processes on loopback ports, for tests and the online benchmark:
 * each master is a {@link LocalRedisServer} started with {@code cluster-enabled}, joined with
 * {@code CLUSTER MEET} and given an equal share of the 16384 slots with {@code CLUSTER ADDSLOTS}
 * (no {@code redis-cli} needed). No replicas, no persistence.
 *
 * <p>A master can be {@link #kill(int) killed} and {@link #replace(int) replaced} by a new, empty
 * node that takes over its slots (the survivors forget the dead node), to test what a sync does
 * when a master is lost.
 *
 * <p>Not thread-safe; {@link #close()} stops every process and deletes the nodes' files.
 */
public final class LocalRedisCluster implements AutoCloseable {
  /** The slots of a Redis Cluster. */
  public static final int SLOTS = 16384;
  private static final long FORMING_SECONDS = 20;
  private final Path dir;
  private final List<LocalRedisServer> masters = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();

  private LocalRedisCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code count} masters, joins them, assigns the slots and waits for {@code cluster_state:ok}. */
  public static LocalRedisCluster start(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    LocalRedisCluster cluster;
    try {
      cluster = new LocalRedisCluster(Files.createTempDirectory("mlops-redis-cluster"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a folder for the cluster's node files", e);
    }
    try {
      for (int i = 0; i < count; i++) {
        cluster.masters.add(cluster.startNode());
      }
      for (int i = 0; i < count; i++) {
        try (Jedis jedis = cluster.connect(i)) {
          cluster.nodeIds.add(jedis.clusterMyId());
          if (i > 0) {
            jedis.clusterMeet(cluster.masters.get(0).host(), cluster.masters.get(0).port());
          }
          jedis.clusterAddSlots(slots(i, count));
        }
      }
      cluster.awaitOk();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The seed nodes as {@code host:port}, one per master, in order. */
  public List<String> nodes() {
    return masters.stream().map(m -> m.host() + ":" + m.port()).toList();
  }

  /** Master {@code i}'s process. */
  public LocalRedisServer master(int i) {
    return masters.get(i);
  }

  /** How many masters the cluster has. */
  public int size() {
    return masters.size();
  }

  /** The first slot master {@code i} of {@code count} serves. */
  public static int firstSlot(int i, int count) {
    return i * SLOTS / count;
  }

  /** The last slot master {@code i} of {@code count} serves. */
  public static int lastSlot(int i, int count) {
    return (i + 1) * SLOTS / count - 1;
  }

  /** The slots of master {@code i} of {@code count} ({@code ADDSLOTSRANGE} needs Redis 7; the bundled server is 6.2). */
  private static int[] slots(int i, int count) {
    return java.util.stream.IntStream.rangeClosed(firstSlot(i, count), lastSlot(i, count)).toArray();
  }

  /** Kills master {@code i}'s process: its slots stay assigned to it, unserved, until {@link #replace}. */
  public void kill(int i) {
    masters.get(i).stop();
  }

  /**
   * Replaces master {@code i} (killed first if it still runs) with a new, empty node on a new port
   * that takes over its slots: the others forget the old node, meet the new one, and the cluster
   * is waited for until {@code cluster_state:ok} again.
   */
  public void replace(int i) {
    kill(i);
    LocalRedisServer fresh = startNode();
    masters.set(i, fresh);
    String dead = nodeIds.get(i);
    for (int j = 0; j < masters.size(); j++) {
      if (j == i) {
        continue;
      }
      try (Jedis jedis = connect(j)) {
        jedis.clusterForget(dead);
      } catch (JedisException e) {
        // it may have forgotten the node already
      }
    }
    try (Jedis jedis = connect(i)) {
      nodeIds.set(i, jedis.clusterMyId());
      int other = i == 0 ? 1 % masters.size() : 0;
      if (other != i) {
        jedis.clusterMeet(masters.get(other).host(), masters.get(other).port());
      }
      jedis.clusterAddSlots(slots(i, masters.size()));
    }
    awaitOk();
  }

  /**
   * Waits until every master reports {@code cluster_state:ok}, knows every other master and sees
   * all slots assigned.
   *
   * @throws IllegalStateException when that takes longer than {@value #FORMING_SECONDS} s
   */
  public void awaitOk() {
    long deadline = System.nanoTime() + Duration.ofSeconds(FORMING_SECONDS).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = "";
      for (int i = 0; i < masters.size() && last.isEmpty(); i++) {
        last = problem(i);
      }
      if (last.isEmpty()) {
        return;
      }
      sleep(20);
    }
    throw new IllegalStateException("The local Redis Cluster " + nodes() + " did not form within "
        + FORMING_SECONDS + " s: " + last);
  }

  /** What keeps master {@code i} from being ready, or "". */
  private String problem(int i) {
    try (Jedis jedis = connect(i)) {
      String info = jedis.clusterInfo();
      if (!info.contains("cluster_state:ok")) {
        return nodes().get(i) + " is not in cluster_state:ok";
      }
      if (!info.contains("cluster_slots_assigned:" + SLOTS) || !info.contains("cluster_known_nodes:" + masters.size() + "\r")) {
        return nodes().get(i) + " does not see every node and slot yet";
      }
      String topology = jedis.clusterNodes();
      for (String id : nodeIds) {
        if (!topology.contains(id)) {
          return nodes().get(i) + " does not know node " + id + " yet";
        }
      }
      return "";
    } catch (JedisException e) {
      return nodes().get(i) + ": " + e.getMessage();
    }
  }

  private LocalRedisServer startNode() {
    String file = dir.resolve("nodes-" + UUID.randomUUID() + ".conf").toString();
    return LocalRedisServer.startOnFreePort("--cluster-enabled", "yes", "--cluster-config-file", file,
        "--cluster-node-timeout", "1000", "--dir", dir.toString());
  }

  private Jedis connect(int i) {
    return new Jedis(masters.get(i).host(), masters.get(i).port(), 2000);
  }

  @Override
  public void close() {
    masters.forEach(LocalRedisServer::close);
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // temporary files: left for the OS to clean
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the local Redis Cluster", e);
    }
  }
}
