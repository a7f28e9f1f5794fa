package dev.mlops.core.redis;

import dev.mlops.core.CoreErrors;
import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.config.RedisConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The Redis server the platform runs itself when the config names none ({@code redis.host}
 * unset): local runs and the demo need nothing installed. The server is started once, on a free
 * loopback port, and kept running for later commands; its port and process id are written to
 * {@code <warehouse>/_redis/server.properties}. Persistence is off: a stopped server loses the
 * online store, and the next sync rebuilds it in full.
 */
public final class ManagedRedis {
  private ManagedRedis() {}

  /** The Redis settings to use: the configured server, or the local one (started if need be). */
  public static RedisConfig resolve(PlatformConfig config) {
    // Under spark-submit its master reaches this JVM as a system property, and wins over the file's.
    String master = new org.apache.spark.SparkConf(true).get("spark.master", String.valueOf(config.spark().master()));
    return resolve(config, master);
  }

  /**
   * As {@link #resolve(PlatformConfig)}, for the Spark master {@code master}. The local server
   * listens on the driver's loopback, which executors on other hosts cannot reach (the sync writes
   * from the executors): with a master other than {@code local...}, {@code redis.host} is required.
   */
  static RedisConfig resolve(PlatformConfig config, String master) {
    RedisConfig redis = config.redis();
    if (!redis.managed()) {
      return redis;
    }
    if (!master.startsWith("local") && !"null".equals(master)) {
      throw CoreErrors.redisNotConfiguredForCluster(master);
    }
    String root = config.warehouse().root();
    if (config.warehouse().hasScheme() && !root.startsWith("file:")) {
      throw CoreErrors.redisNotConfigured(root);
    }
    Path dir = Path.of(config.warehouse().hasScheme() ? java.net.URI.create(root).getPath() : root).resolve("_redis");
    Path state = dir.resolve("server.properties");
    Properties p = new Properties();
    if (Files.exists(state)) {
      try {
        p.load(new java.io.StringReader(Files.readString(state, StandardCharsets.UTF_8)));
        int port = Integer.parseInt(p.getProperty("port"));
        if (answers(port)) {
          return redis.withAddress("127.0.0.1", port);
        }
      } catch (IOException | RuntimeException e) {
        // a stale or broken state file: start a new server
      }
    }
    try {
      Files.createDirectories(dir);
      LocalRedisServer server = LocalRedisServer.startDetached(dir.resolve("redis.log"));
      p.setProperty("port", String.valueOf(server.port()));
      p.setProperty("pid", String.valueOf(server.pid()));
      p.setProperty("binary", server.binary().toString());
      try (var w = Files.newBufferedWriter(state, StandardCharsets.UTF_8)) {
        p.store(w, "The Redis server started by mlops for this warehouse (redis.host unset)");
      }
      return redis.withAddress("127.0.0.1", server.port());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the local Redis server under " + dir, e);
    }
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
