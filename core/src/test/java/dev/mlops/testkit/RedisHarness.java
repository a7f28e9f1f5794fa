package dev.mlops.testkit;

import dev.mlops.core.redis.LocalRedisServer;
import java.net.URI;

/**
 * A real Redis server for tests: the one named by {@code REDIS_URL}
 * ({@code redis://host:port}), or else a {@link LocalRedisServer} process on a free loopback port
 * ({@code redis-server} on the PATH, or the binary of the embedded-redis artifact), stopped by
 * {@link #close()}.
 */
public final class RedisHarness implements AutoCloseable {
  private final LocalRedisServer server;
  private final String host;
  private final int port;

  private RedisHarness(LocalRedisServer server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** Connects to {@code REDIS_URL} or starts a server. */
  public static RedisHarness start() {
    return start(System::getenv);
  }

  /** As {@link #start()}, reading {@code REDIS_URL} from {@code env} (tests of the harness itself). */
  public static RedisHarness start(java.util.function.Function<String, String> env) {
    String url = env.apply("REDIS_URL");
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url);
      return new RedisHarness(null, uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }
    LocalRedisServer server = LocalRedisServer.startOnFreePort();
    return new RedisHarness(server, server.host(), server.port());
  }

  /** The server's host. */
  public String host() {
    return host;
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** The server process, when this harness started one (not for {@code REDIS_URL}). */
  public LocalRedisServer process() {
    if (server == null) {
      throw new IllegalStateException("REDIS_URL is set: this harness does not own the server");
    }
    return server;
  }

  /**
   * Empties every database of the server, as a restart without persistence would; refused when the
   * server is one {@code REDIS_URL} names, which the harness did not start and must not wipe.
   */
  public void flushAll() {
    if (server == null) {
      throw new IllegalStateException("Refusing to flush the Redis server at " + host + ":" + port + ": REDIS_URL names it,"
          + " so this harness did not start it; unset REDIS_URL to run this test on a server of its own");
    }
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(host, port)) {
      jedis.flushAll();
    }
  }

  /** Whether this harness started the server (and may wipe it). */
  public boolean owned() {
    return server != null;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
