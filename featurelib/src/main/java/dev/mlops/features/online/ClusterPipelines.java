package dev.mlops.features.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Runs a batch of single-key calls on a Redis Cluster: the calls are grouped by the master that
 * serves their key's slot, each group goes down one pipeline to its node, and the groups run in
 * parallel (the last one on the caller's thread). Redirections are followed: a {@code MOVED} reply
 * re-reads the slot map and resends that call to the new master; an {@code ASK} reply resends it
 * to the named node after {@code ASKING}. A {@code NOSCRIPT} reply loads {@code script} on that
 * node and resends. Every call must therefore be safe to send twice.
 *
 * <p>Thread-safe: connections come from a pool per node. Close it when done.
 */
final class ClusterPipelines implements AutoCloseable {
  /** How many rounds of redirections one batch may take before it fails. */
  static final int MAX_ROUNDS = 5;

  /** One single-key call: sends its command(s) down {@code p} and answers how to read the reply. */
  interface Call {
    /** The key; its slot picks the node. */
    String key();

    /** Sends the command(s); the supplier answers the reply, throwing a redirection or error reply. */
    Supplier<Object> send(Pipeline p);
  }

  private final RedisSettings settings;
  private final int connectionsPerNode;
  private final String script;
  private final Map<HostAndPort, JedisPool> pools = new ConcurrentHashMap<>();
  private final ExecutorService parallel;
  private volatile ClusterTopology topology;

  /**
   * @param settings the cluster
   * @param connectionsPerNode the pool size per node
   * @param script a Lua script the calls run with {@code EVALSHA}, loaded on a node that lacks it; or null
   */
  ClusterPipelines(RedisSettings settings, int connectionsPerNode, String script) {
    this.settings = settings;
    this.connectionsPerNode = connectionsPerNode;
    this.script = script;
    this.topology = ClusterTopology.read(settings, List.of());
    this.parallel = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "online-cluster-pipeline");
      t.setDaemon(true);
      return t;
    });
  }

  /** The slot map in use. */
  ClusterTopology topology() {
    return topology;
  }

  /** Re-reads the slot map (after a node was lost). */
  void refresh() {
    topology = ClusterTopology.read(settings, topology.masters());
  }

  /**
   * Runs {@code calls}; answers their replies in order.
   *
   * @throws redis.clients.jedis.exceptions.JedisConnectionException when a node cannot be reached
   * @throws JedisDataException the first error reply other than a redirection or {@code NOSCRIPT}
   */
  Object[] run(List<? extends Call> calls) {
    Object[] replies = new Object[calls.size()];
    Map<Integer, HostAndPort> pending = new LinkedHashMap<>();
    for (int i = 0; i < calls.size(); i++) {
      pending.put(i, null);
    }
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == MAX_ROUNDS) {
        throw new JedisClusterOperationException("Still redirected after " + MAX_ROUNDS + " rounds: the cluster's slots"
            + " keep moving");
      }
      Map<HostAndPort, List<Integer>> byNode = new LinkedHashMap<>();
      Map<HostAndPort, Boolean> asking = new LinkedHashMap<>();
      ClusterTopology map = topology;
      pending.forEach((i, askTarget) -> {
        HostAndPort node = askTarget != null ? askTarget : map.masterOf(calls.get(i).key());
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(i);
        asking.merge(node, askTarget != null, Boolean::logicalOr);
      });
      Map<Integer, HostAndPort> next = new LinkedHashMap<>();
      boolean moved = runGroups(calls, byNode, asking, replies, next);
      if (moved) {
        refresh();
      }
      pending = next;
    }
    return replies;
  }

  /** Runs each node's group; fills {@code replies}, and {@code again} with the calls to resend. Answers whether one moved. */
  private boolean runGroups(List<? extends Call> calls, Map<HostAndPort, List<Integer>> byNode,
      Map<HostAndPort, Boolean> asking, Object[] replies, Map<Integer, HostAndPort> again) {
    List<HostAndPort> nodes = new ArrayList<>(byNode.keySet());
    List<Future<Outcome>> futures = new ArrayList<>();
    for (int n = 0; n < nodes.size() - 1; n++) {
      HostAndPort node = nodes.get(n);
      futures.add(parallel.submit(() -> runGroup(node, calls, byNode.get(node), asking.get(node), replies)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    HostAndPort last = nodes.get(nodes.size() - 1);
    RuntimeException failure = null;
    try {
      outcomes.add(runGroup(last, calls, byNode.get(last), asking.get(last), replies));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<Outcome> f : futures) {
      try {
        outcomes.add(f.get());
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r
              : new JedisClusterOperationException("A node's pipeline failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JedisClusterOperationException("Interrupted while waiting for the cluster's nodes", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    boolean moved = false;
    for (Outcome o : outcomes) {
      again.putAll(o.again());
      moved |= o.moved();
    }
    return moved;
  }

  /** What one node's group left to do. */
  private record Outcome(Map<Integer, HostAndPort> again, boolean moved) {}

  private Outcome runGroup(HostAndPort node, List<? extends Call> calls, List<Integer> group, boolean asking,
      Object[] replies) {
    Map<Integer, HostAndPort> again = new LinkedHashMap<>();
    boolean moved = false;
    try (Jedis jedis = pool(node).getResource()) {
      Pipeline p = jedis.pipelined();
      List<Supplier<Object>> answers = new ArrayList<>(group.size());
      for (int i : group) {
        if (asking) {
          p.sendCommand(Protocol.Command.ASKING, new String[0]);
        }
        answers.add(calls.get(i).send(p));
      }
      p.sync();
      boolean loaded = false;
      for (int k = 0; k < group.size(); k++) {
        int i = group.get(k);
        try {
          replies[i] = answers.get(k).get();
        } catch (JedisAskDataException e) {
          again.put(i, e.getTargetNode());
        } catch (JedisMovedDataException e) {
          again.put(i, null);
          moved = true;
        } catch (JedisDataException e) {
          if (script == null || e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
            throw e;
          }
          if (!loaded) {
            jedis.scriptLoad(script);
            loaded = true;
          }
          again.put(i, asking ? node : null);
        }
      }
    }
    return new Outcome(again, moved);
  }

  private JedisPool pool(HostAndPort node) {
    return pools.computeIfAbsent(node, n -> new JedisPool(RedisSettings.poolConfig(connectionsPerNode), n,
        settings.clientConfig()));
  }

  @Override
  public void close() {
    parallel.shutdownNow();
    pools.values().forEach(JedisPool::close);
  }
}
