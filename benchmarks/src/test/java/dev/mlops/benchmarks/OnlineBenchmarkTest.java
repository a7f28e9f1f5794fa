package dev.mlops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.CatalogConfig;
import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.config.WarehouseConfig;
import dev.mlops.core.redis.LocalRedisServer;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.online.FeatureVector;
import dev.mlops.features.online.RedisSettings;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The online benchmark at a small scale: every vector read equals its offline row; another value is a mismatch. */
class OnlineBenchmarkTest {
  @TempDir Path dir;

  @Test
  void everyReadVectorMatchesTheOfflineRowAndAnotherValueIsAMismatch() {
    TestPlatform platform = TestPlatform.create(dir);
    PlatformConfig c = platform.config();
    PlatformConfig own = new PlatformConfig(OnlineBenchmark.PROJECT, new WarehouseConfig(dir.resolve("bench").toString()),
        CatalogConfig.defaults(), c.spark(), c.redis(), c.airflow(), c.features(), c.online(), c.validation(), c.training(),
        c.monitoring(), c.pipelines());
    Warehouse warehouse = Warehouse.of(SparkSessions.newSessionFor(platform.spark(), own), own);
    RunRecorder runs = new RunRecorder(warehouse, new ConfigFile(dir, "test.yaml", "0".repeat(64), own), Clock.systemUTC(),
        CodeVersion.current());
    List<BenchResult> results = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    try (LocalRedisServer redis = LocalRedisServer.startOnFreePort()) {
      RedisSettings settings = new RedisSettings(redis.host(), redis.port(), 0, null, null, false, 2000);
      new OnlineBenchmark(warehouse, runs, settings, dir.resolve("repo"), 500).run(2_000, 200, progress::add, results::add);
    }
    assertThat(results).extracting(BenchResult::name).as("the cases").containsExactly("online first sync 20 features",
        "online full re-sync 20 features", "online read 1 entity", "online read 100 entities");
    for (BenchResult r : results) {
      assertThat(r.agrees()).as("%s (progress: %s)", r.json(), progress).isTrue();
    }
    assertThat(results.get(0).details().get("connections")).as("both writers' connections")
        .isEqualTo(platform.spark().sparkContext().defaultParallelism());

    Map<String, Object> values = new HashMap<>();
    for (int j = 0; j < OnlineBenchmark.FEATURES; j++) {
      values.put(OnlineBenchmark.FEATURE_NAMES[j], j == 0 ? 2.5 : 0.0);
    }
    OutputComparison out = OutputComparison.exact();
    double[] row = new double[OnlineBenchmark.FEATURES * 2];
    row[OnlineBenchmark.FEATURES] = 2.5;
    OnlineBenchmark.compareVectors(List.of(Map.of("entity_id", 1L)), List.of(new FeatureVector(Map.of(), values, Map.of())), row, out);
    assertThat(out.agrees()).as("the vector of entity 1 as stored offline").isTrue();
    OnlineBenchmark.compareVectors(List.of(Map.of("entity_id", 0L)), List.of(new FeatureVector(Map.of(), values, Map.of())), row, out);
    assertThat(out.mismatches()).as("the vector of entity 1 read for entity 0").containsExactly("entity 0 f00: read 2.5, offline 0.0");
  }
}
