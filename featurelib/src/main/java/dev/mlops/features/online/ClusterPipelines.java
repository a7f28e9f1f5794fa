package dev.mlops.features.online;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Runs a batch of single-key calls on a Redis Cluster: the calls are grouped by the master that
 * serves their key's slot and each group goes down one pipeline to its node. All groups are sent
 * (and flushed) before any reply is read, so the nodes work at the same time while one thread
 * waits: no thread hand-offs, which on a busy machine cost more than the network. Redirections are
 * followed: a {@code MOVED} reply re-reads the slot map and resends that call to the new master; an
 * {@code ASK} reply resends it to the named node after {@code ASKING}. A {@code NOSCRIPT} reply
 * loads {@code script} on that node and resends. Every call must therefore be safe to send twice.
 *
 * <p>Thread-safe: each call borrows one connection per node it needs from a small idle list per
 * node. Close it when done.
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

  /** A connection whose buffered commands can be flushed without waiting for their replies. */
  private static final class NodeConnection extends Connection {
    NodeConnection(HostAndPort node, JedisClientConfig config) {
      super(node, config);
    }

    void flushCommands() {
      flush();
    }
  }

  /** One node's share of a round, sent and not yet read. */
  private record Sent(HostAndPort node, NodeConnection connection, Pipeline pipeline, List<Integer> group,
      List<Supplier<Object>> answers, boolean asking) {}

  private final RedisSettings settings;
  private final int connectionsPerNode;
  private final String script;
  private final Map<HostAndPort, Deque<NodeConnection>> idle = new ConcurrentHashMap<>();
  private volatile ClusterTopology topology;
  private volatile boolean closed;

  /**
   * @param settings the cluster
   * @param connectionsPerNode how many idle connections to keep per node
   * @param script a Lua script the calls run with {@code EVALSHA}, loaded on a node that lacks it; or null
   */
  ClusterPipelines(RedisSettings settings, int connectionsPerNode, String script) {
    this.settings = settings;
    this.connectionsPerNode = connectionsPerNode;
    this.script = script;
    this.topology = ClusterTopology.read(settings, List.of());
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
      if (runRound(calls, byNode, asking, replies, next)) {
        refresh();
      }
      pending = next;
    }
    return replies;
  }

  /**
   * Sends every node's group, then reads each; fills {@code replies}, and {@code again} with the
   * calls to resend. Answers whether one moved.
   */
  private boolean runRound(List<? extends Call> calls, Map<HostAndPort, List<Integer>> byNode,
      Map<HostAndPort, Boolean> asking, Object[] replies, Map<Integer, HostAndPort> again) {
    List<Sent> sent = new ArrayList<>(byNode.size());
    List<Sent> read = new ArrayList<>(byNode.size()); // every reply consumed: the connection can be reused
    try {
      for (Map.Entry<HostAndPort, List<Integer>> e : byNode.entrySet()) {
        NodeConnection connection = borrow(e.getKey());
        Pipeline p = new Pipeline(connection);
        sent.add(new Sent(e.getKey(), connection, p, e.getValue(), new ArrayList<>(e.getValue().size()),
            asking.get(e.getKey())));
        Sent s = sent.get(sent.size() - 1);
        for (int i : s.group()) {
          if (s.asking()) {
            p.sendCommand(Protocol.Command.ASKING, new String[0]);
          }
          s.answers().add(calls.get(i).send(p));
        }
        connection.flushCommands();
      }
      boolean moved = false;
      for (Sent s : sent) {
        s.pipeline().sync();
        read.add(s);
        moved |= read(s, replies, again);
      }
      return moved;
    } finally {
      for (Sent s : sent) {
        if (read.contains(s)) {
          giveBack(s.node(), s.connection());
        } else {
          closeQuietly(s.connection()); // replies still unread on it
        }
      }
    }
  }

  /** Reads one node's replies into {@code replies}, or {@code again}; answers whether one moved. */
  private boolean read(Sent s, Object[] replies, Map<Integer, HostAndPort> again) {
    boolean moved = false;
    boolean loaded = false;
    for (int k = 0; k < s.group().size(); k++) {
      int i = s.group().get(k);
      try {
        replies[i] = s.answers().get(k).get();
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
          new Jedis(s.connection()).scriptLoad(script);
          loaded = true;
        }
        again.put(i, s.asking() ? s.node() : null);
      }
    }
    return moved;
  }

  private NodeConnection borrow(HostAndPort node) {
    NodeConnection c = idle.computeIfAbsent(node, n -> new ConcurrentLinkedDeque<>()).pollFirst();
    return c != null ? c : new NodeConnection(node, settings.clientConfig());
  }

  private void giveBack(HostAndPort node, NodeConnection c) {
    Deque<NodeConnection> list = idle.get(node);
    if (closed || c.isBroken() || list.size() >= connectionsPerNode) {
      closeQuietly(c);
    } else {
      list.offerFirst(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      // broken anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    idle.values().forEach(list -> {
      for (NodeConnection c = list.pollFirst(); c != null; c = list.pollFirst()) {
        closeQuietly(c);
      }
    });
  }
}
