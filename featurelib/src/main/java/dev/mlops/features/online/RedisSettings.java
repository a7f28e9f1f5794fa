package dev.mlops.features.online;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.RedisConfig;
import dev.mlops.features.FeatureErrors;
import java.io.Serializable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
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
 */
public record RedisSettings(String host, int port, int database, String user, String password, boolean tls, int timeoutMs)
    implements Serializable {

  /** The settings of {@code config}, which must name a host (see {@code ManagedRedis} for local runs). */
  public static RedisSettings of(RedisConfig config) {
    if (config.host() == null) {
      throw new IllegalArgumentException("redis.host is not set; start a local server first (ManagedRedis)");
    }
    return new RedisSettings(config.host(), config.port(), config.database(), config.user(),
        config.password().isPresent() ? config.password().reveal() : null, config.tls(), config.timeoutMs());
  }

  /** {@code host:port}, for messages. */
  public String address() {
    return host + ":" + port;
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

  /** A single connection, checked with PING. */
  public Jedis connect() {
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
    org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Connection> pool =
        new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMinIdle(Math.min(2, maxConnections));
    return new JedisPooled(pool, new HostAndPort(host, port), clientConfig());
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
    return FeatureErrors.redisUnreachable(address(), why, cause);
  }

  @Override
  public String toString() {
    return "RedisSettings[" + address() + ", db " + database + (user == null ? "" : ", user " + user)
        + (password == null ? "" : ", password ****") + (tls ? ", tls" : "") + "]";
  }
}
