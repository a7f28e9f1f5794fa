package dev.mlops.testkit;

import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.config.SparkConfig;
import dev.mlops.core.config.WarehouseConfig;
import dev.mlops.core.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: {@code local[2]}, UI off, 2 shuffle partitions, configured
 * by the platform's own {@link SparkSessions#settings}. Test classes do not use it directly; they
 * take a {@link TestPlatform}, a session of their own on a fresh warehouse.
 */
public final class SharedSpark {
  private static SparkSession shared;

  private SharedSpark() {}

  /** The JVM's shared session, created on first use. */
  public static synchronized SparkSession get() {
    if (shared == null) {
      try {
        Path scratch = Files.createTempDirectory("mlops-shared-warehouse");
        PlatformConfig config = testConfig(scratch);
        SparkSession.Builder builder = SparkSession.builder().master("local[2]");
        SparkSessions.settings(config).forEach(builder::config);
        shared = builder.getOrCreate();
        shared.sparkContext().setLogLevel("ERROR");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.stop()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** The platform config tests use, on the warehouse {@code root}. */
  public static PlatformConfig testConfig(Path root) {
    SparkConfig spark = new SparkConfig("local[2]", "mlops-tests", false, "ERROR", 2,
        Map.of("spark.driver.host", "127.0.0.1", "spark.sql.adaptive.enabled", "false",
            "spark.default.parallelism", "2"));
    return new PlatformConfig("test", new WarehouseConfig(root.toAbsolutePath().toString()), null, spark, null, null, null, null, null, null, null, null);
  }
}
