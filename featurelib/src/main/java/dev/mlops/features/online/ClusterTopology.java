package dev.mlops.features.online;

import dev.mlops.features.FeatureErrors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Which master serves each of the 16384 slots of a Redis Cluster, as {@code CLUSTER SLOTS} told
 * it, and the masters' node ids. Get one with {@link #read}; read a new one after a
 * {@code MOVED} reply or a lost node. Immutable and thread-safe.
 */
final class ClusterTopology {
  static final int SLOTS = 16384;

  private final HostAndPort[] masters;
  private final String[] nodeIds;

  private ClusterTopology(HostAndPort[] masters, String[] nodeIds) {
    this.masters = masters;
    this.nodeIds = nodeIds;
  }

  /** The slot of {@code key} (its hash tag's, when it has one). */
  static int slot(String key) {
    return JedisClusterCRC16.getSlot(key);
  }

  /**
   * Reads the slot map from the first of {@code known} (masters seen before, then the seeds) that
   * answers.
   *
   * @throws dev.mlops.core.PlatformException when none answers, or a slot has no master
   */
  @SuppressWarnings("deprecation") // CLUSTER SLOTS: its successor CLUSTER SHARDS needs Redis 7, the bundled server is 6.2
  static ClusterTopology read(RedisSettings settings, Collection<HostAndPort> known) {
    Set<HostAndPort> candidates = new LinkedHashSet<>(known);
    candidates.addAll(settings.seeds());
    JedisException last = null;
    for (HostAndPort node : candidates) {
      try (Jedis jedis = new Jedis(node, settings.clientConfig())) {
        return parse(settings, jedis.clusterSlots());
      } catch (JedisException e) {
        last = e;
      }
    }
    String why = last == null || last.getMessage() == null ? "no node answered" : last.getMessage();
    throw FeatureErrors.clusterUnreachable(settings.address(), why, last);
  }

  private static ClusterTopology parse(RedisSettings settings, List<Object> ranges) {
    HostAndPort[] masters = new HostAndPort[SLOTS];
    String[] ids = new String[SLOTS];
    for (Object o : ranges) {
      List<?> range = (List<?>) o;
      List<?> master = (List<?>) range.get(2);
      HostAndPort node = new HostAndPort(SafeEncoder.encode((byte[]) master.get(0)), ((Long) master.get(1)).intValue());
      String id = master.size() > 2 ? SafeEncoder.encode((byte[]) master.get(2)) : node.toString();
      for (int s = ((Long) range.get(0)).intValue(); s <= ((Long) range.get(1)).intValue(); s++) {
        masters[s] = node;
        ids[s] = id;
      }
    }
    for (int s = 0; s < SLOTS; s++) {
      if (masters[s] == null) {
        throw FeatureErrors.clusterSlotUncovered(settings.address(), s);
      }
    }
    return new ClusterTopology(masters, ids);
  }

  /** The master that serves {@code slot}. */
  HostAndPort master(int slot) {
    return masters[slot];
  }

  /** The master that serves {@code key}. */
  HostAndPort masterOf(String key) {
    return masters[slot(key)];
  }

  /** Every master, in slot order. */
  List<HostAndPort> masters() {
    return new ArrayList<>(new LinkedHashSet<>(List.of(masters)));
  }

  /**
   * The masters by node id with their slot ranges ({@code id@host:port[0-5460]; ...}): equal for two
   * reads exactly when no slot changed master in between, whatever the order.
   */
  String signature() {
    TreeMap<String, StringBuilder> byNode = new TreeMap<>();
    int start = 0;
    for (int s = 1; s <= SLOTS; s++) {
      if (s == SLOTS || !nodeIds[s].equals(nodeIds[start])) {
        byNode.computeIfAbsent(nodeIds[start] + "@" + masters[start], k -> new StringBuilder())
            .append('[').append(start).append('-').append(s - 1).append(']');
        start = s;
      }
    }
    List<String> parts = new ArrayList<>();
    byNode.forEach((node, slots) -> parts.add(node + slots));
    return String.join("; ", parts);
  }
}
