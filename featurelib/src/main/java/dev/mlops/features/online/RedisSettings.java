package dev.mlops.features.online;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.RedisConfig;
import dev.mlops.features.FeatureErrors;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * How to reach the online store's Redis server; serializable, so that executors connect
 * themselves. The password is carried but never shown: {@link #toString()} and every error name
 * the host and port only.
 *
 * @param host the host
 * @param port the port
 * @param database the database number
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param tls whether to use TLS
 * @param timeoutMs connect and read timeout
 * @param clusterNodes the seed nodes ({@code host:port}) of a Redis Cluster; empty for one server
 *     at {@code host:port}
 */
public record RedisSettings(String host, int port, int database, String user, String password, boolean tls, int timeoutMs,
    List<String> clusterNodes) implements Serializable {

  public RedisSettings {
    clusterNodes = clusterNodes == null ? List.of() : List.copyOf(clusterNodes);
  }

  /** One server at {@code host:port}. */
  public RedisSettings(String host, int port, int database, String user, String password, boolean tls, int timeoutMs) {
    this(host, port, database, user, password, tls, timeoutMs, List.of());
  }

  /** A Redis Cluster reached through {@code seeds} ({@code host:port} each), database 0. */
  public static RedisSettings cluster(List<String> seeds, String user, String password, boolean tls, int timeoutMs) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds is empty: a cluster needs at least one seed node");
    }
    HostAndPort first = HostAndPort.from(seeds.get(0));
    return new RedisSettings(first.getHost(), first.getPort(), 0, user, password, tls, timeoutMs, seeds);
  }

  /** The settings of {@code config}, which must name a host (see {@code ManagedRedis} for local runs). */
  public static RedisSettings of(RedisConfig config) {
    String password = config.password().isPresent() ? config.password().reveal() : null;
    if (config.cluster()) {
      return cluster(config.nodes(), config.user(), password, config.tls(), config.timeoutMs());
    }
    if (config.host() == null) {
      throw new IllegalArgumentException("redis.host is not set; start a local server first (ManagedRedis)");
    }
    return new RedisSettings(config.host(), config.port(), config.database(), config.user(), password, config.tls(),
        config.timeoutMs());
  }

  /** Whether the store is a Redis Cluster. */
  public boolean isCluster() {
    return !clusterNodes.isEmpty();
  }

  /** {@code host:port}, or {@code cluster host:port,host:port} for a cluster's seeds: for messages. */
  public String address() {
    return isCluster() ? "cluster " + String.join(",", clusterNodes) : host + ":" + port;
  }

  /** The seed nodes of a cluster. */
  Set<HostAndPort> seeds() {
    Set<HostAndPort> seeds = new LinkedHashSet<>();
    clusterNodes.forEach(n -> seeds.add(HostAndPort.from(n)));
    return seeds;
  }

  /**
   * A client for a few commands at a time (the driver's metadata, lease and sweep): one checked
   * connection to a single server, or a cluster client that routes each key to its node and
   * follows {@code MOVED}/{@code ASK}. Close it after use.
   */
  public UnifiedJedis open() {
    return open(2);
  }

  /** As {@link #open()}, a cluster client with up to {@code connections} pooled per node. */
  UnifiedJedis open(int connections) {
    if (!isCluster()) {
      return new UnifiedJedis(connect().getConnection());
    }
    JedisCluster cluster = null;
    try {
      cluster = new JedisCluster(seeds(), clientConfig(), 5, poolConfig(connections));
      return cluster;
    } catch (JedisException e) {
      if (cluster != null) {
        cluster.close();
      }
      throw unreachable(e);
    }
  }

  JedisClientConfig clientConfig() {
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .database(database).ssl(tls).connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(timeoutMs)
        .clientName("mlops");
    if (user != null) {
      b.user(user);
    }
    if (password != null) {
      b.password(password);
    }
    return b.build();
  }

  /** A single connection to the one server, checked with PING; a cluster is reached through {@link #open()}. */
  public Jedis connect() {
    if (isCluster()) {
      throw new IllegalStateException("connect() reaches one server; the cluster at " + address() + " needs open()");
    }
    Jedis jedis = null;
    try {
      jedis = new Jedis(new HostAndPort(host, port), clientConfig());
      jedis.ping();
      return jedis;
    } catch (JedisException e) {
      if (jedis != null) {
        jedis.close();
      }
      throw unreachable(e);
    }
  }

  /** A thread-safe connection pool. */
  public JedisPooled pool(int maxConnections) {
    return new JedisPooled(poolConfig(maxConnections), new HostAndPort(host, port), clientConfig());
  }

  static <T> GenericObjectPoolConfig<T> poolConfig(int maxConnections) {
    GenericObjectPoolConfig<T> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMinIdle(Math.min(2, maxConnections));
    return pool;
  }

  /** The error for a server that cannot be reached: names host and port, never credentials. */
  public PlatformException unreachable(Exception cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (password != null) {
      why = why.replace(password, "****");
    }
    if (cause instanceof redis.clients.jedis.exceptions.JedisAccessControlException
        || why.startsWith("WRONGPASS") || why.startsWith("NOAUTH") || why.startsWith("NOPERM")) {
      return FeatureErrors.redisLoginFailed(address(), user, why, cause);
    }
    if (cause instanceof redis.clients.jedis.exceptions.JedisDataException) {
      return FeatureErrors.redisRefusedRead(address(), why, cause);
    }
    return FeatureErrors.redisUnreachable(address(), why, cause);
  }

  @Override
  public String toString() {
    return "RedisSettings[" + address() + ", db " + database + (user == null ? "" : ", user " + user)
        + (password == null ? "" : ", password ****") + (tls ? ", tls" : "") + "]";
  }
}
