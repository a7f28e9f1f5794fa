package dev.mlops.core.config;

import java.util.List;

/**
 * The Redis server of the online store.
 *
 * <p>Without a {@code host} the platform runs its own local server, started on demand (the demo
 * and local runs need nothing installed). The password is a {@link Secret}: give it as
 * {@code ${REDIS_PASSWORD}} so it comes from the environment, never from the file.
 *
 * @param host the server's host name; null for a local server started on demand
 * @param port the port (default 6379)
 * @param database the database number (default 0)
 * @param user the ACL user name, if any
 * @param password the password, from the environment
 * @param tls whether to connect with TLS (default false)
 * @param timeoutMs connect and read timeout in milliseconds (default 2000)
 * @param mode {@value #STANDALONE} (default: one server at {@code host:port}) or {@value #CLUSTER}
 *     (a Redis Cluster reached through the seed {@code nodes})
 * @param nodes for {@value #CLUSTER} mode, the seed nodes as {@code host:port}; the client learns
 *     the rest of the cluster from any one of them
 */
public record RedisConfig(
    String host, Integer port, Integer database, String user, Secret password, Boolean tls, Integer timeoutMs,
    String mode, List<String> nodes) {
  /** {@code redis.mode} of a single server. */
  public static final String STANDALONE = "standalone";
  /** {@code redis.mode} of a Redis Cluster. */
  public static final String CLUSTER = "cluster";

  public RedisConfig {
    port = port == null ? 6379 : port;
    if (port < 1 || port > 65535) {
      throw new ConfigValueException("port", "must be between 1 and 65535, got " + port);
    }
    database = database == null ? 0 : database;
    if (database < 0) {
      throw new ConfigValueException("database", "must not be negative, got " + database);
    }
    password = password == null ? Secret.none() : password;
    tls = tls != null && tls;
    timeoutMs = timeoutMs == null ? 2000 : timeoutMs;
    if (host != null && host.isBlank()) {
      host = null;
    }
    mode = mode == null ? STANDALONE : mode;
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    if (!mode.equals(STANDALONE) && !mode.equals(CLUSTER)) {
      throw new ConfigValueException("mode", "must be " + STANDALONE + " or " + CLUSTER + ", got \"" + mode + "\"");
    }
    if (mode.equals(CLUSTER)) {
      checkCluster(host, database, nodes);
    } else if (!nodes.isEmpty()) {
      throw new ConfigValueException("nodes", "is only read with mode: cluster (set mode: cluster, or give one server as"
          + " host and port)");
    }
  }

  private static void checkCluster(String host, int database, List<String> nodes) {
    if (nodes.isEmpty()) {
      throw new ConfigValueException("nodes", "is required with mode: cluster: list one or more seed nodes as host:port,"
          + " for example nodes: [redis-0.redis:6379, redis-1.redis:6379]");
    }
    if (host != null) {
      throw new ConfigValueException("host", "is not read with mode: cluster: list the seed nodes under nodes instead");
    }
    if (database != 0) {
      throw new ConfigValueException("database", "must be 0 with mode: cluster (Redis Cluster has database 0 only), got "
          + database);
    }
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i);
      int colon = node == null ? -1 : node.lastIndexOf(':');
      int nodePort = -1;
      if (colon > 0) {
        try {
          nodePort = Integer.parseInt(node.substring(colon + 1));
        } catch (NumberFormatException e) {
          nodePort = -1;
        }
      }
      if (nodePort < 1 || nodePort > 65535) {
        throw new ConfigValueException("nodes[" + i + "]", "must be host:port with a port between 1 and 65535, got \""
            + node + "\"");
      }
    }
  }

  /** Whether the store is a Redis Cluster ({@code mode: cluster}). */
  public boolean cluster() {
    return mode.equals(CLUSTER);
  }

  /** No server configured: a local one is started on demand. */
  public static RedisConfig defaults() {
    return new RedisConfig(null, null, null, null, null, null, null, null, null);
  }

  /** Whether the platform must start its own local server. */
  public boolean managed() {
    return host == null && !cluster();
  }

  /** A copy pointing at {@code newHost:newPort}. */
  public RedisConfig withAddress(String newHost, int newPort) {
    return new RedisConfig(newHost, newPort, database, user, password, tls, timeoutMs, STANDALONE, null);
  }

  /** A copy for a cluster reached through {@code seeds} ({@code host:port} each). */
  public RedisConfig withClusterNodes(List<String> seeds) {
    return new RedisConfig(null, port, 0, user, password, tls, timeoutMs, CLUSTER, seeds);
  }

  /** {@code host:port} for messages; never includes credentials. */
  public String address() {
    if (cluster()) {
      return "cluster " + String.join(",", nodes);
    }
    return (host == null ? "(local server)" : host) + ":" + port;
  }
}
