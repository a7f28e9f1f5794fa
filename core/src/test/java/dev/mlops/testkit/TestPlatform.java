package dev.mlops.testkit;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;

/**
 * A fresh warehouse for one test class, with a session of its own on the JVM's shared
 * SparkContext. Create it in {@code @BeforeAll} from a {@code @TempDir}:
 *
 * <pre>{@code
 * @TempDir static Path dir;
 * static TestPlatform platform;
 * @BeforeAll static void setUp() { platform = TestPlatform.create(dir); }
 * }</pre>
 *
 * @param spark a session whose catalog is this warehouse
 * @param config the platform config pointing at it
 * @param warehouse the warehouse folder
 */
public record TestPlatform(SparkSession spark, PlatformConfig config, Path warehouse) {

  /** A new, empty warehouse under {@code dir}. */
  public static TestPlatform create(Path dir) {
    try {
      Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
      PlatformConfig config = SharedSpark.testConfig(warehouse);
      SparkSession spark = SparkSessions.newSessionFor(SharedSpark.get(), config);
      return new TestPlatform(spark, config, warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The warehouse's tables, on this session. */
  public Warehouse tables() {
    return Warehouse.of(spark, config);
  }

  /** Records runs on {@code tables} with {@code clock}, as if configured by a {@code test.yaml} beside the warehouse. */
  public RunRecorder runs(Warehouse tables, Clock clock) {
    return new RunRecorder(tables, new ConfigFile(warehouse.resolveSibling("test.yaml"), "test.yaml", "0".repeat(64), config),
        clock, CodeVersion.current());
  }
}
